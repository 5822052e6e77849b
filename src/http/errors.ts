// One error type for the API and one mapping from any error to its HTTP
// answer: AppError as it says, the serving layer's domain errors by kind, and
// unknown errors as a bare 500: no message, stack or SQL leaves the process.
import { isDatabaseUnavailable } from '../db/pool.ts';
import { domainErrorResponse, errorReply as reply, type ErrorResponse } from '@tariff/pricing';

export class AppError extends Error {
  override name = 'AppError';
  readonly status: number;
  readonly code: string;
  readonly details: unknown;
  /** Headers the answer carries (WWW-Authenticate on a 401). */
  readonly headers: Readonly<Record<string, string>>;

  constructor(status: number, code: string, message: string, details?: unknown, headers: Record<string, string> = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
    this.headers = headers;
  }
}

/** Parses request input, turning a validation failure into a 400 that names every bad field (the core's, shared with @tariff/client). */
export { parseRequest as parseInput } from '@tariff/pricing';

/** What any error becomes on the wire: the one mapping every path shares. */
export function errorResponse(err: unknown): ErrorResponse {
  if (err instanceof AppError) return reply(err.status, err.code, err.message, err.details, { ...err.headers });
  const domain = domainErrorResponse(err);
  if (domain) return domain;
  if (err instanceof URIError && (err as URIError & { status?: number }).status === 400) {
    // The router could not percent-decode a path parameter (%FF, %E0%A4%A, a lone surrogate).
    return reply(400, 'invalid_path', `path: ${err.message}`);
  }
  if (isDatabaseUnavailable(err)) {
    // Reads from memory keep working; this request needed the database itself.
    return reply(503, 'database_unavailable', 'the database is unreachable; current prices are still served, history is not', undefined, { 'Retry-After': '5' });
  }
  return reply(500, 'internal', 'internal error');
}
