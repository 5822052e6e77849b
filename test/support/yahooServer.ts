// A local Yahoo Finance for yahoo-finance2's quote flow: the cookie page sets an
// A3 cookie for .yahoo.com, /v1/test/getcrumb hands out the crumb for that
// cookie, and /v7/finance/quote answers with the real recorded EURUSD=X quote
// relabelled as each requested USDXXX=X pair, at a rate the test sets.
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { UPSTREAM_FIXTURES } from './env.ts';

export type YahooFault = 'none' | 'http500' | 'html' | 'empty_result' | 'hang';

export interface YahooServerOptions {
  /** Units of the currency per 1 USD, by ISO code: { ZAR: 18.2345 }. Pairs not listed are left out of results. */
  rates: Record<string, number>;
  /** How /v7/finance/quote misbehaves; the cookie page and crumb keep working. */
  fault?: YahooFault;
}

export interface YahooServer {
  /** Origin to pass as the base URL, e.g. http://127.0.0.1:40123 */
  url: string;
  /** Path and query of every request received, in order. */
  requests: string[];
  setRate(currency: string, rate: number): void;
  setFault(fault: YahooFault): void;
  close(): Promise<void>;
}

export const COOKIE_PAGE_PATH = '/quote/AAPL';
export const CRUMB_PATH = '/v1/test/getcrumb';
export const QUOTE_PATH = '/v7/finance/quote';

interface QuoteEnvelope {
  request: { url: string };
  response: { headers: Record<string, string>; bodyJson: { quoteResponse: { result: Record<string, unknown>[] } } };
}

const envelope = JSON.parse(
  readFileSync(path.resolve(UPSTREAM_FIXTURES, 'yahoo-quote-EURUSD=X.json'), 'utf8'),
) as QuoteEnvelope;
const template = envelope.response.bodyJson.quoteResponse.result[0];
if (!template) throw new Error('yahoo-quote-EURUSD=X.json has no quote result');
const JSON_TYPE = envelope.response.headers['content-type'] ?? 'application/json;charset=utf-8';
/** The crumb Yahoo handed out when the fixture was recorded. */
const CRUMB = new URL(envelope.request.url).searchParams.get('crumb') ?? 'haT3oykhHqZ';
const COOKIE_VALUE = 'd=AQABBLocalYahooFixtureCookie&S=AQAAAFixture';
const UNAUTHORIZED = { finance: { result: null, error: { code: 'Unauthorized', description: 'Invalid Crumb' } } };

export async function startYahooServer(options: YahooServerOptions): Promise<YahooServer> {
  const rates = new Map(Object.entries(options.rates));
  let fault: YahooFault = options.fault ?? 'none';
  const requests: string[] = [];

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(`${url.pathname}${url.search}`);
    const hasCookie = (req.headers.cookie ?? '').split(/;\s*/).includes(`A3=${COOKIE_VALUE}`);

    if (req.method !== 'GET') return send(res, 405, 'text/plain', 'Method Not Allowed');
    if (url.pathname === COOKIE_PAGE_PATH) {
      // Domain=.yahoo.com: the library stores the cookie for the Yahoo host it believes it called.
      res.setHeader('set-cookie', `A3=${COOKIE_VALUE}; Max-Age=31557600; Domain=.yahoo.com; Path=/; SameSite=None; Secure; HttpOnly`);
      return send(res, 200, 'text/html; charset=utf-8', '<!doctype html><html><head><title>AAPL</title></head><body></body></html>');
    }
    if (url.pathname === CRUMB_PATH) {
      return hasCookie ? send(res, 200, 'text/plain;charset=utf-8', CRUMB) : send(res, 401, 'text/plain', 'Unauthorized');
    }
    if (url.pathname === QUOTE_PATH) return answerQuote(req, res, url, hasCookie);
    return send(res, 404, 'text/plain', 'Not Found');
  });

  function answerQuote(req: IncomingMessage, res: ServerResponse, url: URL, hasCookie: boolean): void {
    switch (fault) {
      case 'hang':
        req.resume();
        return;
      case 'http500':
        return send(res, 500, 'text/plain', 'Internal Server Error');
      case 'html':
        return send(res, 200, 'text/html; charset=utf-8', '<!doctype html><html><body><h1>Will be right back…</h1></body></html>');
      case 'empty_result':
        return sendJson(res, 200, { quoteResponse: { result: [], error: null } });
      case 'none':
        break;
    }
    if (!hasCookie || url.searchParams.get('crumb') !== CRUMB) return sendJson(res, 401, UNAUTHORIZED);
    const symbols = (url.searchParams.get('symbols') ?? '').split(',').filter((symbol) => symbol !== '');
    const result = symbols.flatMap((symbol) => {
      const currency = /^USD([A-Z]{3})=X$/.exec(symbol)?.[1];
      const rate = currency === undefined ? undefined : rates.get(currency);
      if (currency === undefined || rate === undefined) return [];
      return [{ ...template, symbol, currency, regularMarketPrice: rate, bid: rate, ask: rate }];
    });
    sendJson(res, 200, { quoteResponse: { result, error: null } });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    setRate: (currency, rate) => void rates.set(currency, rate),
    setFault: (next) => void (fault = next),
    close: () => new Promise<void>((resolve, reject) => {
      if (!server.listening) return resolve();
      server.close((error) => (error ? reject(error) : resolve()));
      server.closeAllConnections();
    }),
  };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  send(res, status, JSON_TYPE, JSON.stringify(body));
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}
