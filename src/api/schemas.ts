// Request schemas shared by the routes (and by the OpenAPI document).
import { z } from 'zod';
import { PRICE_STATES } from '../catalog/types.ts';
import { canonical } from '../money/decimal.ts';

const PROVIDER_ID = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const MAX_MODEL_ID = 512;
const NO_CONTROL_CHARACTERS = /^[^\u0000-\u001f\u007f]+$/;
export const providerId = z.string().regex(PROVIDER_ID, 'must be a provider id such as openai');
export const modelId = z.string().min(1).max(MAX_MODEL_ID).regex(NO_CONTROL_CHARACTERS, 'must not contain control characters');

const DECIMAL = /^\d{1,12}(\.\d{1,20})?$/;
/** A non-negative USD amount as a decimal string ("2.5") or a JSON number (2.5); kept exact as a canonical string. */
export const money = z
  .union([z.string(), z.number().finite().nonnegative()])
  .transform((value) => (typeof value === 'number' ? String(value) : value.trim()))
  .refine((text) => DECIMAL.test(text), 'must be a non-negative decimal amount such as "2.5"')
  .transform(canonical);

const tokenPrices = {
  input_cost_per_1m_tokens: money.nullable().optional(),
  output_cost_per_1m_tokens: money.nullable().optional(),
  cache_read_cost_per_1m_tokens: money.nullable().optional(),
  cache_write_cost_per_1m_tokens: money.nullable().optional(),
  reasoning_cost_per_1m_tokens: money.nullable().optional(),
};

export const overrideBody = z.strictObject({
  reason: z.string().trim().min(1).max(200).regex(/^[^\u0000-\u001f\u007f]+$/, 'must not contain control characters'),
  state: z.enum(PRICE_STATES).default('priced'),
  ...tokenPrices,
  request_cost: money.nullable().optional(),
  tiers: z.array(z.strictObject({ above_input_tokens: z.number().int().positive().max(100_000_000), ...tokenPrices }))
    .max(10).default([]),
}).superRefine((body, ctx) => {
  if (body.state !== 'priced') return;
  // One issue per missing price, each at its own path, so the 400 names the field that is missing.
  for (const key of ['input_cost_per_1m_tokens', 'output_cost_per_1m_tokens'] as const) {
    if (body[key] == null) {
      ctx.addIssue({ code: 'custom', path: [key], message: 'a priced override needs input_cost_per_1m_tokens and output_cost_per_1m_tokens' });
    }
  }
});

export const syncBody = z.strictObject({
  providers: z.array(providerId).min(1).max(200).optional(),
  dry_run: z.boolean().default(false),
  force: z.boolean().default(false),
});

export const fxBody = z.strictObject({ force: z.boolean().default(false) });

export const syncLogQuery = z.strictObject({
  // Postgres refuses NUL in text: control characters are a 400 here, not a database error.
  provider: z.string().min(1).max(64).regex(/^[^\u0000-\u001f\u007f]+$/, 'must not contain control characters').optional(),
  status: z.enum(['in_progress', 'success', 'failed', 'rejected']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

export const idParam = z.strictObject({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });

const CURRENCY_CODE = /^[A-Z]{3}$/;
export const currencyCode = z.string().regex(CURRENCY_CODE, 'must be an ISO 4217 currency code such as ZAR');
export const pointInTime = z.iso.datetime({ offset: true, error: 'must be an ISO-8601 time such as 2026-01-31T12:00:00Z' })
  .transform((text) => new Date(text));

export const costsQuery = z.strictObject({
  provider: providerId.optional(),
  currency: currencyCode.optional(),
  at: pointInTime.optional(),
});

export const modelQuery = z.strictObject({
  currency: currencyCode.optional(),
  at: pointInTime.optional(),
});

export const modelPath = z.strictObject({ provider: providerId, model: modelId });

export const historyQuery = z.strictObject({
  provider: providerId,
  model: modelId,
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

const MAX_TOKENS = 1e12;
const MAX_REQUESTS = 1e9;
const tokens = z.number().int('must be a whole number of tokens').nonnegative().max(MAX_TOKENS);
export const usageSchema = z.strictObject({
  input_tokens: tokens,
  output_tokens: tokens,
  cache_read_tokens: tokens.optional(),
  cache_write_tokens: tokens.optional(),
  reasoning_tokens: tokens.optional(),
  requests: z.number().int().nonnegative().max(MAX_REQUESTS).optional(),
});

export const quoteItem = z.strictObject({
  provider: providerId,
  model: modelId,
  usage: usageSchema,
  at: pointInTime.optional(),
  currency: currencyCode.optional(),
});

export const MAX_BATCH = 1000;
export const quoteBatch = z.array(quoteItem).min(1).max(MAX_BATCH);

export type QuoteItem = z.output<typeof quoteItem>;

/**
 * A model request's path and query in their common form, checked without zod
 * (every price lookup carries them): a provider and model valid by modelPath's
 * rules and no query but a valid currency. Returns what modelPath and
 * modelQuery parse them to; undefined for anything else, which they then parse.
 */
export function plainModelRequest(provider: unknown, model: string, query: Record<string, unknown>):
  { path: z.output<typeof modelPath>; query: z.output<typeof modelQuery> } | undefined {
  if (typeof provider !== 'string' || !PROVIDER_ID.test(provider)) return undefined;
  if (model.length > MAX_MODEL_ID || !NO_CONTROL_CHARACTERS.test(model)) return undefined;
  for (const key in query) if (key !== 'currency') return undefined;
  const { currency } = query;
  if (currency === undefined) return { path: { provider, model }, query: {} };
  if (typeof currency !== 'string' || !CURRENCY_CODE.test(currency)) return undefined;
  return { path: { provider, model }, query: { currency } };
}

/** The largest count plainQuoteItem accepts per usage key; a key not here is left to zod. */
const PLAIN_USAGE: ReadonlyMap<string, number> = new Map([
  ['input_tokens', MAX_TOKENS], ['output_tokens', MAX_TOKENS], ['cache_read_tokens', MAX_TOKENS],
  ['cache_write_tokens', MAX_TOKENS], ['reasoning_tokens', MAX_TOKENS], ['requests', MAX_REQUESTS],
]);

/**
 * The common quote body, checked without zod because it arrives with every
 * billed call: provider, model, usage and perhaps currency, each value valid by
 * quoteItem's own rules (the same patterns and limits). Returns what quoteItem
 * parses it to; undefined for anything else (an error to word, `at`, a key it
 * does not know), which quoteItem then parses. quoteItem stays the definition:
 * test/api/schemas.test.ts holds the two to the same answers.
 */
export function plainQuoteItem(body: unknown): QuoteItem | undefined {
  if (!isPlainObject(body)) return undefined;
  for (const key in body) if (key !== 'provider' && key !== 'model' && key !== 'usage' && key !== 'currency') return undefined;
  const { provider, model, usage, currency } = body;
  if (typeof provider !== 'string' || !PROVIDER_ID.test(provider)) return undefined;
  if (typeof model !== 'string' || model.length > MAX_MODEL_ID || !NO_CONTROL_CHARACTERS.test(model)) return undefined;
  if (currency !== undefined && (typeof currency !== 'string' || !CURRENCY_CODE.test(currency))) return undefined;
  if (!isPlainObject(usage) || usage.input_tokens === undefined || usage.output_tokens === undefined) return undefined;
  const counts: Record<string, number> = {};
  for (const key in usage) {
    const value = usage[key];
    const max = PLAIN_USAGE.get(key);
    if (max === undefined || typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0 || value > max) return undefined;
    counts[key] = value;
  }
  const parsed = { provider, model, usage: counts as QuoteItem['usage'] };
  return currency === undefined ? parsed : { ...parsed, currency };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}
