// Headers every response carries, whichever path answered it.
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
  'Cross-Origin-Resource-Policy': 'same-site',
};

/**
 * The dashboard's HTML pages load their own scripts and styles (never inline
 * ones, never another origin's); every other header stays as above.
 */
export const DASHBOARD_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    + "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
};

/** A caller's X-Request-Id is echoed when it looks like an id, else replaced. */
export const REQUEST_ID = /^[\w.:-]{1,128}$/;
