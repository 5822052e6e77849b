// Express's side of the shared HTTP concerns (./http.ts): thin middleware
// that calls the same functions the lean path calls, so a request is
// identified, read, answered and logged the same way whichever path it takes.
import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import type { Logger } from '../log.ts';
import { AppError } from './errors.ts';
import { errorReply, readJsonBody, recordRequest, requestId, writeReply, type Reply, type RequestObserver } from './reply.ts';

/** Answers an Express request through the one response writer. */
export function send(res: Response, reply: Reply): void {
  // requestContext names every request the app takes; a router mounted on its own (tests) gets an id here.
  writeReply(res, res.req.id ?? (res.req.id = requestId(res.req)), reply);
}

/** The request id and a logger bound to it; on finish, the request's latency and log line. */
export function requestContext(logger: Logger, metrics: RequestObserver): RequestHandler {
  return (req, res, next) => {
    const started = performance.now();
    req.id = requestId(req);
    req.log = logger.child({ reqId: req.id });
    res.on('finish', () => {
      const route = req.route ? `${req.baseUrl}${String(req.route.path)}` : 'unmatched';
      recordRequest(metrics, logger, req, route, req.id, res.statusCode, started);
    });
    next();
  };
}

/** req.body: the request's JSON body, read by the same function as the lean path's (one limit, one JSON check). */
export function jsonBody(limit: number): RequestHandler {
  return async (req, _res, next) => {
    req.body = await readJsonBody(req, limit);
    next();
  };
}

export const notFound: RequestHandler = (req) => {
  throw new AppError(404, 'not_found', `no route for ${req.method} ${req.path}`);
};

export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const reply = errorReply(err, logger, req.id);
    if (!res.headersSent) send(res, reply);
  };
}
