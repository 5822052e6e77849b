// One error type for the API and one handler that turns any error into a JSON
// body. Unknown errors are logged and answered as a bare 500: no message,
// stack or SQL leaves the process.
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { z } from 'zod';
import { isDatabaseUnavailable } from '../db/pool.ts';

export class AppError extends Error {
  override name = 'AppError';
  readonly status: number;
  readonly code: string;
  readonly details: unknown;

  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/** Parses request input, turning a validation failure into a 400 that names every bad field. */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown, where: 'query' | 'body' | 'path'): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields = result.error.issues.map((issue) => ({
    field: [where, ...issue.path.map(String), ...unrecognized(issue)].join('.'),
    message: issue.message,
  }));
  throw new AppError(400, 'invalid_request', fields.map((f) => `${f.field}: ${f.message}`).join('; '), { fields });
}

function unrecognized(issue: z.core.$ZodIssue): string[] {
  return issue.code === 'unrecognized_keys' ? [issue.keys.join(',')] : [];
}

export const notFound: RequestHandler = (req) => {
  throw new AppError(404, 'not_found', `no route for ${req.method} ${req.path}`);
};

interface BodyParserError { type?: string; status?: number; expose?: boolean }

export interface ErrorResponse {
  status: number;
  body: { error: { code: string; message: string; details?: unknown } };
  headers: Record<string, string>;
}

/** What any error becomes on the wire: the one mapping every route shares. */
export function errorResponse(err: unknown): ErrorResponse {
  const parserError = (err ?? {}) as BodyParserError;
  const reply = (status: number, code: string, message: string, details?: unknown, headers: Record<string, string> = {}): ErrorResponse =>
    ({ status, body: { error: { code, message, ...(details === undefined ? {} : { details }) } }, headers });
  if (err instanceof AppError) return reply(err.status, err.code, err.message, err.details);
  if (parserError.type === 'entity.too.large') return reply(413, 'body_too_large', 'request body is larger than the limit');
  if (parserError.type === 'entity.parse.failed') return reply(400, 'invalid_json', 'body: request body is not valid JSON');
  if (err instanceof URIError && parserError.status === 400) {
    // The router could not percent-decode a path parameter (%FF, %E0%A4%A, a lone surrogate).
    return reply(400, 'invalid_path', `path: ${err.message}`);
  }
  if (typeof parserError.status === 'number' && parserError.status >= 400 && parserError.status < 500 && parserError.expose) {
    // The body parser's other refusals (unsupported charset or encoding, undecodable gzip): the body is the field.
    return reply(parserError.status, parserError.type?.replaceAll('.', '_') ?? 'invalid_body', `body: ${String((err as Error).message)}`);
  }
  if (isDatabaseUnavailable(err)) {
    // Reads from memory keep working; this request needed the database itself.
    return reply(503, 'database_unavailable', 'the database is unreachable; current prices are still served, history is not', undefined, { 'Retry-After': '5' });
  }
  return reply(500, 'internal', 'internal error');
}

export function errorHandler(): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const { status, body, headers } = errorResponse(err);
    if (status === 500) req.log.error({ err }, 'request failed');
    else if (status === 503) req.log.warn({ err }, 'request needed the unreachable database');
    if (res.headersSent) return;
    res.set(headers).status(status).json(body);
  };
}
