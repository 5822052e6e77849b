// The hot routes without Express: GET /costs/:provider/:model and POST
// /costs/quote are on the path of every billed LLM call, and Express's own
// per-request work costs about half the throughput a bare node:http server
// reaches on small bodies. These handlers reuse the routes' own parts (the
// zod schemas, lookup, memoised bodies, answerQuote, errorResponse), set the
// same headers, and record the same metrics. Anything else — a query other than
// ?currency=, a body that is not plain JSON, any error on the GET route —
// returns false and Express answers the request as usual.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CatalogCache } from '../cache/catalog.ts';
import type { Pool } from '../db/pool.ts';
import type { Logger } from '../log.ts';
import { errorResponse } from './errors.ts';
import { REQUEST_ID, SECURITY_HEADERS } from './headers.ts';
import type { Metrics } from './metrics.ts';
import { modelResponse, matchesEtag } from './routes/costs.ts';
import { answerQuote } from './routes/quote.ts';
import { modelPath } from './schemas.ts';

const JSON_TYPE = 'application/json; charset=utf-8';
const MODEL_ROUTE = '/costs/:provider/*model';
const QUOTE_ROUTE = '/costs/quote';
const CURRENCY_ONLY = /^currency=([A-Z]{3})$/;

export interface FastDeps {
  catalog: CatalogCache;
  pool: Pool;
  metrics: Metrics;
  logger: Logger;
  bodyLimit: number;
}

/** Returns true when it took the request; false leaves it untouched for Express. */
export function fastPath({ catalog, pool, metrics, logger, bodyLimit }: FastDeps): (req: IncomingMessage, res: ServerResponse) => boolean {
  const debug = logger.isLevelEnabled('debug');

  function send(req: IncomingMessage, res: ServerResponse, route: string, started: bigint, status: number, body: Buffer | string | undefined, headers: Record<string, string>) {
    const incoming = req.headers['x-request-id'];
    const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    // One writeHead with every header: far cheaper than a setHeader call each.
    const all: Record<string, string | number> = { ...SECURITY_HEADERS, 'X-Request-Id': id, ...headers };
    if (body !== undefined) {
      all['Content-Type'] = JSON_TYPE;
      all['Content-Length'] = Buffer.byteLength(body);
    }
    res.writeHead(status, all);
    res.end(body);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    metrics.observe(req.method ?? 'GET', route, status, seconds);
    if (debug || status >= 500) {
      logger[status >= 500 ? 'warn' : 'debug']({ reqId: id, method: req.method, path: req.url, status, ms: seconds * 1000 }, 'request');
    }
  }

  function getModel(req: IncomingMessage, res: ServerResponse, path: string, query: string): boolean {
    const currency = query === '' ? undefined : CURRENCY_ONLY.exec(query)?.[1];
    if (query !== '' && currency === undefined) return false;
    const rest = path.slice('/costs/'.length);
    const slash = rest.indexOf('/');
    if (slash <= 0 || slash === rest.length - 1) return false;
    let provider: string;
    let model: string;
    try {
      provider = decodeURIComponent(rest.slice(0, slash));
      model = rest.slice(slash + 1).split('/').map(decodeURIComponent).join('/');
    } catch {
      return false;
    }
    if (!modelPath.safeParse({ provider, model }).success) return false;
    const started = process.hrtime.bigint();
    const view = catalog.current;
    const stale = catalog.stale !== undefined;
    let response;
    try {
      response = modelResponse(view, provider, model, currency, stale);
    } catch {
      return false;
    }
    const headers: Record<string, string> = { ETag: view.etag, 'X-Catalog-Version': String(view.version), 'Cache-Control': 'no-cache' };
    if (stale) headers['X-Catalog-Stale'] = 'true';
    const inm = req.headers['if-none-match'];
    if (matchesEtag(typeof inm === 'string' ? inm : undefined, view.etag)) {
      send(req, res, MODEL_ROUTE, started, 304, undefined, headers);
    } else {
      send(req, res, MODEL_ROUTE, started, 200, view.memo(response.key, response.build), headers);
    }
    return true;
  }

  function postQuote(req: IncomingMessage, res: ServerResponse): boolean {
    const type = req.headers['content-type'] ?? '';
    const encoding = req.headers['content-encoding'];
    // Other media types, charsets and content codings are Express's (and body-parser's) to refuse or decode.
    if (!/^application\/json\s*(;\s*charset=utf-8\s*)?$/i.test(type) || (encoding !== undefined && encoding !== 'identity')) return false;
    const started = process.hrtime.bigint();
    const fail = (err: unknown) => {
      const { status, body, headers } = errorResponse(err);
      if (status >= 500) logger.error({ err }, 'request failed');
      send(req, res, QUOTE_ROUTE, started, status, JSON.stringify(body), headers);
    };
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > bodyLimit) {
      req.resume();
      fail(parserError('entity.too.large', 413));
      return true;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > bodyLimit && !refused) {
        refused = true;
        fail(parserError('entity.too.large', 413));
      }
      if (!refused) chunks.push(chunk);
    });
    req.on('end', () => {
      if (refused) return;
      const text = Buffer.concat(chunks, size).toString('utf8');
      let body: unknown;
      // No body at all is no body, as body-parser sees it: the route reports the missing fields.
      if (size === 0) body = undefined;
      else try {
        // body-parser's strict mode: only an object or an array is a JSON body.
        if (!/^[\s]*[{[]/.test(text)) throw new SyntaxError('not an object or array');
        body = JSON.parse(text);
      } catch {
        fail(parserError('entity.parse.failed', 400));
        return;
      }
      answerQuote(catalog, pool, body).then(
        (answer) => send(req, res, QUOTE_ROUTE, started, 200, answer, {}),
        fail,
      );
    });
    req.on('error', () => res.destroy());
    return true;
  }

  return (req, res) => {
    if (!catalog.loaded) return false;
    const url = req.url ?? '';
    const mark = url.indexOf('?');
    const path = mark < 0 ? url : url.slice(0, mark);
    const query = mark < 0 ? '' : url.slice(mark + 1);
    if (req.method === 'GET' && path.startsWith('/costs/') && path !== '/costs/history') return getModel(req, res, path, query);
    if (req.method === 'POST' && path === QUOTE_ROUTE && query === '') return postQuote(req, res);
    return false;
  };
}

/** An error shaped like body-parser's, so errorResponse renders it exactly as the Express path would. */
function parserError(type: string, status: number): Error {
  return Object.assign(new Error(type), { type, status, expose: true });
}
