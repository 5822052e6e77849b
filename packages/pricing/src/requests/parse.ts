// Parsing the public requests: a refusal is a RequestError (./error.ts), the
// same on the server and in @tariff/client.
import type { z } from 'zod';
import type { QuoteRequest } from '../answers/quote.ts';
import { MAX_BATCH, plainQuoteItem, quoteBatch, quoteItem } from './schemas.ts';
import { RequestError } from './error.ts';

export { RequestError };

/** Parses request input, turning a validation failure into a 400 that names every bad field. */
export function parseRequest<T extends z.ZodType>(schema: T, input: unknown, where: 'query' | 'body' | 'path'): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const fields = result.error.issues.map((issue) => ({
    field: [where, ...issue.path.map(String), ...(issue.code === 'unrecognized_keys' ? [issue.keys.join(',')] : [])].join('.'),
    message: issue.message,
  }));
  throw new RequestError(400, 'invalid_request', fields.map((f) => `${f.field}: ${f.message}`).join('; '), { fields });
}

/** A POST /costs/quote body as the quotes it asks for: one item, or a batch (an array). */
export function parseQuoteBody(body: unknown): QuoteRequest | QuoteRequest[] {
  if (Array.isArray(body)) {
    if (body.length > MAX_BATCH) throw new RequestError(413, 'batch_too_large', `body: at most ${MAX_BATCH} quotes per request, got ${body.length}`);
    return parseRequest(quoteBatch, body, 'body');
  }
  return plainQuoteItem(body) ?? parseRequest(quoteItem, body ?? {}, 'body');
}
