// USD exchange rates from Yahoo Finance, through yahoo-finance2's quote()
// (cookie page → /v1/test/getcrumb → /v7/finance/quote). The flow's requests
// go to one configurable origin (see requestTarget), each call has its own
// client (own cookie jar, crumb and queue), and the library's console output is
// routed to pino. The payload is parsed with zod here; whether a rate is plausible is the
// caller's decision.
import { format } from 'node:util';
import { Agent, fetch as undiciFetch } from 'undici';
import YahooFinance from 'yahoo-finance2';
import { ExtendedCookieJar } from 'yahoo-finance2/lib/cookieJar';
import { z } from 'zod';
import type { Logger } from '../log.ts';
import { formatDecimal, parseDecimal } from '@tariff/pricing';

/** A USD exchange rate as fetched: units of `currency` per 1 USD. */
export interface FetchedRate {
  base: 'USD';
  /** ISO 4217 code (stored as the pair's quote currency). */
  currency: string;
  /** Canonical decimal string, e.g. "18.2345". */
  rate: string;
  market_time: Date;
  source: 'yahoo_finance';
}

export interface FetchUsdRatesOptions {
  /** Origin the quote flow's requests go to (YAHOO_FINANCE_URL); see requestTarget. */
  baseUrl: string;
  /** Bounds the whole flow: cookie page, crumb and quote. */
  timeoutMs: number;
  logger: Logger;
  signal?: AbortSignal;
}

/** Paths of the library's API calls, as opposed to its cookie and crumb requests. */
const API_PATH = /^\/v\d+\/finance\//;
const MAX_REASON_LENGTH = 200;

const resultSchema = z.array(z.looseObject({ symbol: z.string() }));

const quoteSchema = z.object({
  currency: z.string().optional(),
  // zod rejects NaN and ±Infinity. A zero or negative rate passes: the caller's guard judges it.
  regularMarketPrice: z.number(),
  // yahoo-finance2 coerces Unix seconds to a Date; accept the raw seconds too.
  regularMarketTime: z.union([z.date(), z.number().transform((seconds) => new Date(seconds * 1000))])
    .refine((date) => Number.isFinite(date.getTime()), 'not a valid time'),
});

/** One quote per currency, in the order asked, from a single quote request. */
export async function fetchUsdRates(currencies: readonly string[], options: FetchUsdRatesOptions): Promise<FetchedRate[]> {
  if (currencies.length === 0) return [];
  const symbols = currencies.map(symbolOf);
  const log = options.logger.child({ component: 'yahoo_finance' });
  const deadline = AbortSignal.timeout(options.timeoutMs);
  const signal = options.signal ? AbortSignal.any([deadline, options.signal]) : deadline;
  // Its own connection pool, destroyed at the end: the library never reads the cookie page's body.
  const agent = new Agent();

  // A fresh client per call: the default cookie jar is one module-level instance shared by
  // every client, and the crumb is cached per jar.
  const yahooFinance = new YahooFinance({
    fetch: redirectingFetch(options.baseUrl, { agent, signal, log }),
    cookieJar: new ExtendedCookieJar(),
    logger: libraryLogger(log),
    suppressNotices: ['yahooSurvey', 'ripHistorical'],
    // On a validation failure the library would otherwise ask registry.npmjs.org for its latest version.
    versionCheck: false,
    validation: { logErrors: false },
  });

  let raw: unknown;
  try {
    // validateResult: false because zod below checks the fields tariff uses; the library's
    // full schema would fail the call on a change in any of ~60 unrelated fields.
    raw = await yahooFinance.quote(symbols, {}, { validateResult: false });
  } catch (error) {
    throw failure(symbols.join(','), reasonOf(error, options, deadline), error);
  } finally {
    await agent.destroy();
  }

  const rows = resultSchema.safeParse(raw);
  if (!rows.success) throw failure(symbols.join(','), 'result is not a list of quotes', rows.error);
  return currencies.map((currency, index) => {
    const symbol = symbols[index] ?? symbolOf(currency);
    const row = rows.data.find((candidate) => candidate.symbol === symbol);
    if (!row) throw failure(symbol, 'the symbol is missing from the result');
    return toFetchedRate(currency, symbol, row);
  });
}

/** Yahoo's symbol for the USD rate of a currency: units of it per 1 USD. */
export function symbolOf(currency: string): string {
  return `USD${currency}=X`;
}

export function toFetchedRate(currency: string, symbol: string, row: unknown): FetchedRate {
  const parsed = quoteSchema.safeParse(row);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(quote)'}: ${issue.message}`);
    throw failure(symbol, problems.join('; '), parsed.error);
  }
  const { currency: quoted, regularMarketPrice, regularMarketTime } = parsed.data;
  if (quoted !== undefined && quoted !== currency) {
    throw failure(symbol, `quoted in ${quoted}, expected ${currency}`);
  }
  return {
    base: 'USD',
    currency,
    rate: formatDecimal(parseDecimal(String(regularMarketPrice))),
    market_time: regularMarketTime,
    source: 'yahoo_finance',
  };
}

/**
 * Where a request that yahoo-finance2 addressed to `requested` is sent. A base URL on Yahoo
 * itself replaces only the API host: the cookie page (finance.yahoo.com) and crumb
 * (query1.finance.yahoo.com) stay where the library sends them, as Yahoo serves them from
 * those hosts. Any other base URL (a proxy, a local double) receives every request, path
 * and query kept; the library still believes it called Yahoo, and matches cookies to that.
 */
export function requestTarget(requested: URL, baseUrl: URL): URL {
  const onYahoo = baseUrl.hostname === 'yahoo.com' || baseUrl.hostname.endsWith('.yahoo.com');
  if (onYahoo && !API_PATH.test(requested.pathname)) return requested;
  return new URL(`${requested.pathname}${requested.search}`, baseUrl.origin);
}

/**
 * yahoo-finance2's fetch: each request goes to its requestTarget, within the call's deadline.
 *
 * undici's fetch rather than the global one: the library tests `getSetCookie()` with
 * `instanceof Array`, which fails for arrays from Node's built-in fetch when this code runs
 * in another realm (a jest VM context); undici's package lives in the caller's realm.
 */
function redirectingFetch(baseUrl: string, context: { agent: Agent; signal: AbortSignal; log: Logger }): typeof fetch {
  const base = new URL(baseUrl);
  return async (input: string | URL | Request, init?: RequestInit) => {
    // yahoo-finance2 passes URL strings; a Request would lose its own method and headers here.
    const requested = new URL(input instanceof Request ? input.url : input);
    const target = requestTarget(requested, base);
    context.log.trace({ host: requested.host, path: requested.pathname }, 'yahoo finance request');
    const response = await undiciFetch(target, {
      method: init?.method ?? 'GET',
      headers: headersOf(init?.headers),
      body: typeof init?.body === 'string' ? init.body : null,
      redirect: init?.redirect ?? 'follow',
      signal: init?.signal ? AbortSignal.any([init.signal, context.signal]) : context.signal,
      dispatcher: context.agent,
    });
    if (API_PATH.test(requested.pathname)) {
      // The library console.errors the URL (crumb included) of a failed API response and puts
      // an unparsable body in its error message; failing here keeps both out of the output.
      const type = response.headers.get('content-type') ?? '';
      const problem = !response.ok
        ? `HTTP ${response.status} ${response.statusText}`.trim()
        : /\bjson\b/i.test(type) ? null : `expected JSON, got ${type || 'no content-type'}`;
      if (problem) {
        await response.body?.cancel();
        throw new Error(`${problem} from ${requested.pathname}`);
      }
    }
    return response;
  };
}

function headersOf(init: RequestInit['headers']): Record<string, string> {
  return Object.fromEntries(new Headers(init).entries());
}

/**
 * yahoo-finance2's logger interface on pino. Its debug lines are dropped (they quote the
 * crumb); its info is notices; its error always precedes a throw, which the caller logs.
 */
function libraryLogger(log: Logger) {
  const text = (args: unknown[]) => format(...args);
  return {
    debug: () => {},
    dir: (...args: unknown[]) => log.trace(text(args)),
    info: (...args: unknown[]) => log.debug(text(args)),
    warn: (...args: unknown[]) => log.warn(text(args)),
    error: (...args: unknown[]) => log.warn(text(args)),
  };
}

function reasonOf(error: unknown, options: FetchUsdRatesOptions, deadline: AbortSignal): string {
  if (options.signal?.aborted) return 'aborted';
  if (deadline.aborted) return `timed out after ${options.timeoutMs} ms`;
  // Duck-typed: errors from Node's built-ins may come from another realm than this module's Error.
  const text = hasKey(error, 'message') ? String(error.message) : String(error);
  const cause = hasKey(error, 'cause') ? error.cause : undefined;
  const code = hasKey(cause, 'code') ? ` (${String(cause.code)})` : '';
  const message = (text.split('\n')[0] ?? '').trim();
  return `${message.length > MAX_REASON_LENGTH ? `${message.slice(0, MAX_REASON_LENGTH)}…` : message}${code}`;
}

function hasKey<K extends string>(value: unknown, key: K): value is Record<K, unknown> {
  return typeof value === 'object' && value !== null && key in value;
}

function failure(symbols: string, reason: string, cause?: unknown): Error {
  return new Error(`yahoo finance quote for ${symbols} failed: ${reason}`, cause === undefined ? undefined : { cause });
}
