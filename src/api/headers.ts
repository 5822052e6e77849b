// Headers every response carries, whichever path answered it.
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
  'Cross-Origin-Resource-Policy': 'same-site',
};

/** A caller's X-Request-Id is echoed when it looks like an id, else replaced. */
export const REQUEST_ID = /^[\w.:-]{1,128}$/;
