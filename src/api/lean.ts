// The lean path of the hot routes: GET /costs/:provider/:model and POST
// /costs/quote are on the path of every billed LLM call, GET /costs?since= on
// the path of every change to every live client, and Express's own
// per-request work costs about a quarter of the throughput a bare node:http
// server reaches on small bodies. This path only routes: it answers with the
// routes' own handlers (modelReply, quoteReply) and the shared HTTP functions
// (./http.ts) Express's middleware calls too, so both paths answer alike by
// construction. A request it does not recognise as plainly one of its routes
// (a HEAD, a path with empty or undecodable segments, a GET with a body, a
// query string on the quote, GET /costs with anything but one valid since)
// returns false and Express answers it.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import type { CatalogCache } from '../cache/catalog.ts';
import { ChangeLog } from '../cache/changes.ts';
import type { Pool } from '../db/pool.ts';
import type { Logger } from '../log.ts';
import { BODY_LIMIT_BYTES, errorReply, hasBody, onJsonBody, recordRequest, requestId, writeReply, type Reply } from '../http/reply.ts';
import type { Metrics } from './metrics.ts';
import { deltaReply, modelReply } from './routes/costs.ts';
import { quoteReply } from './routes/quote.ts';
import { reportedCostObserver } from './reported_cost.ts';

const MODEL_ROUTE = '/costs/:provider/*model';
const QUOTE_ROUTE = '/costs/quote';
const COSTS_ROUTE = '/costs';
/** The one query the lean path takes on GET /costs: a since that costsQuery accepts as it is. */
const SINCE_ONLY = /^since=\d{1,15}$/;

export interface LeanDeps {
  catalog: CatalogCache;
  pool: Pool;
  metrics: Metrics;
  logger: Logger;
  /** The change log GET /costs?since= reads first (the change stream's); without it, only the database's. */
  changes?: { log: ChangeLog } | undefined;
}

export interface LeanPath {
  /** Returns true when it took the request; false leaves it untouched for Express. */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
  /** Requests this path has taken: a counter, so a test can prove the path is in use. */
  readonly taken: number;
}

export function leanPath({ catalog, pool, metrics, logger, changes }: LeanDeps): LeanPath {
  let taken = 0;
  const log = changes?.log ?? new ChangeLog();
  const onReported = reportedCostObserver(metrics.reportedCostDelta, logger);

  function answer(req: IncomingMessage, res: ServerResponse, route: string, handler: () => Reply | Promise<Reply>, started = performance.now()): void {
    const id = requestId(req);
    const finish = (reply: Reply) => {
      writeReply(res, id, reply);
      recordRequest(metrics, logger, req, route, id, reply.status, started);
    };
    let reply;
    try {
      reply = handler();
    } catch (err) {
      reply = errorReply(err, logger, id);
    }
    if (reply instanceof Promise) reply.then(finish, (err: unknown) => finish(errorReply(err, logger, id)));
    else finish(reply);
  }

  function handle(req: IncomingMessage, res: ServerResponse): boolean {
    if (!catalog.loaded) return false;
    const url = req.url ?? '';
    const mark = url.indexOf('?');
    const path = mark < 0 ? url : url.slice(0, mark);
    const query = mark < 0 ? '' : url.slice(mark + 1);
    if (req.method === 'GET' && path.startsWith('/costs/')) {
      const params = modelParams(path);
      if (!params || hasBody(req)) return false;
      const inm = req.headers['if-none-match'];
      answer(req, res, MODEL_ROUTE, () => modelReply(catalog, pool, params.provider, params.model, parseQuery(query), inm));
    } else if (req.method === 'GET' && path === COSTS_ROUTE && SINCE_ONLY.test(query)) {
      if (hasBody(req)) return false;
      const since = Number(query.slice('since='.length));
      const inm = req.headers['if-none-match'];
      answer(req, res, COSTS_ROUTE, () => deltaReply(catalog, log, pool, since, inm));
    } else if (req.method === 'POST' && path === QUOTE_ROUTE && mark < 0) {
      const started = performance.now();
      onJsonBody(req, BODY_LIMIT_BYTES, (err, body) => answer(req, res, QUOTE_ROUTE, () => {
        if (err) throw err;
        return quoteReply(catalog, pool, body, onReported);
      }, started));
    } else {
      return false;
    }
    taken++;
    return true;
  }

  return {
    handle,
    get taken() { return taken; },
  };
}

/**
 * /costs/<provider>/<model…>, percent-decoded per segment as Express's router
 * decodes them; undefined for anything the router would read differently
 * (empty segments, a trailing slash) or could not decode.
 */
function modelParams(path: string): { provider: string; model: string } | undefined {
  const rest = path.slice('/costs/'.length);
  const slash = rest.indexOf('/');
  if (slash <= 0 || rest.endsWith('/') || rest.includes('//')) return undefined;
  if (!rest.includes('%')) return { provider: rest.slice(0, slash), model: rest.slice(slash + 1) };
  try {
    return { provider: decodeURIComponent(rest.slice(0, slash)), model: rest.slice(slash + 1).split('/').map(decodeURIComponent).join('/') };
  } catch {
    return undefined;
  }
}
