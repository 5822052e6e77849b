// The public requests' checks (the prices and quote routes): zod schemas that
// are the definition, and hand-written fast checks of the common forms held
// equal to them. The server validates with these, and so does @tariff/client,
// so a bad request is refused alike on both sides.
import { z } from 'zod';
import { SERVICE_TIERS, UNIT_IDS, type UnitId, UNITS } from '../prices/units.ts';
import { FORMATS } from '../usage/types.ts';

const PROVIDER_ID = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const MAX_MODEL_ID = 512;
const NO_CONTROL_CHARACTERS = /^[^\u0000-\u001f\u007f]+$/;
export const providerId = z.string().regex(PROVIDER_ID, 'must be a provider id such as openai');
export const modelId = z.string().min(1).max(MAX_MODEL_ID).regex(NO_CONTROL_CHARACTERS, 'must not contain control characters');

const CURRENCY_CODE = /^[A-Z]{3}$/;
export const currencyCode = z.string().regex(CURRENCY_CODE, 'must be an ISO 4217 currency code such as ZAR');
export const pointInTime = z.iso.datetime({ offset: true, error: 'must be an ISO-8601 time such as 2026-01-31T12:00:00Z' })
  .transform((text) => new Date(text));

/** A catalog version a caller holds: GET /costs?since= answers what changed after it (0: everything). */
export const catalogVersion = z.string().regex(/^\d{1,15}$/, 'must be a catalog version such as 42').transform(Number);

export const costsQuery = z.strictObject({
  provider: providerId.optional(),
  currency: currencyCode.optional(),
  at: pointInTime.optional(),
  since: catalogVersion.optional().describe('A catalog version held: answer the records changed after it and the ids removed (0: every record).'),
}).superRefine((query, ctx) => {
  if (query.since === undefined) return;
  for (const key of ['provider', 'currency', 'at'] as const) {
    if (query[key] !== undefined) ctx.addIssue({ code: 'custom', path: [key], message: 'cannot be combined with since' });
  }
});

/** GET /costs/changes: the version to resume from, when no Last-Event-ID says it. */
export const changesQuery = z.strictObject({
  since: catalogVersion.optional().describe('A catalog version held: changes after it are sent first, coalesced (Last-Event-ID wins when both are given).'),
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
const MAX_COUNT = 1e9;
const tokens = z.number().int('must be a whole number of tokens').nonnegative().max(MAX_TOKENS);
const count = z.number().int('must be a whole number').nonnegative().max(MAX_COUNT);
/** The largest value each usage bucket accepts: token buckets up to 1e12, counts (requests, images, seconds) up to 1e9. */
const USAGE_MAX: ReadonlyMap<string, number> = new Map(UNIT_IDS.map((unit) => [unit, UNITS[unit].scale === 6 ? MAX_TOKENS : MAX_COUNT]));

/**
 * Keys of the providers' own usage objects (OpenAI, Anthropic, Gemini, Bedrock,
 * OpenRouter) that are not tariff's buckets: a usage object carrying one is a
 * provider's, which a quote reads when it is sent as `response`.
 */
const PROVIDER_USAGE_KEYS = new Set([
  'prompt_tokens', 'completion_tokens', 'total_tokens', 'prompt_tokens_details', 'completion_tokens_details',
  'input_tokens_details', 'output_tokens_details',
  'cache_read_input_tokens', 'cache_creation_input_tokens', 'cache_creation', 'server_tool_use', 'speed', 'inference_geo',
  'promptTokenCount', 'candidatesTokenCount', 'totalTokenCount', 'cachedContentTokenCount', 'thoughtsTokenCount',
  'toolUsePromptTokenCount', 'promptTokensDetails', 'candidatesTokensDetails', 'cacheTokensDetails', 'trafficType',
  'inputTokens', 'outputTokens', 'totalTokens', 'cacheReadInputTokens', 'cacheWriteInputTokens',
  'cost', 'cost_details', 'is_byok',
]);

/** The unknown-key error of `usage`: for a provider's own keys, it says to send the object as `response`. */
function usageKeyError(issue: { code?: string; keys?: readonly string[] }): string | undefined {
  if (issue.code !== 'unrecognized_keys') return undefined;
  const own = (issue.keys ?? []).filter((key) => PROVIDER_USAGE_KEYS.has(key));
  if (own.length === 0) return undefined;
  return `${own.join(', ')} ${own.length === 1 ? 'is a key' : 'are keys'} of a provider's own usage object, not tariff's buckets: `
    + 'send the provider\'s response body (or its usage object) as `response`, which tariff reads as that provider bills it';
}

/** One bucket per price dimension (units.ts), exclusive; input_tokens required, output_tokens 0 when absent. */
export const usageSchema = z.strictObject({
  ...Object.fromEntries(UNIT_IDS.map((unit) => [unit, (UNITS[unit].scale === 6 ? tokens : count).optional()
    .describe(`${UNITS[unit].description} Priced per ${UNITS[unit].per}.`)])) as Record<UnitId, z.ZodOptional<z.ZodNumber>>,
  input_tokens: tokens.describe(UNITS.input_tokens.description),
  output_tokens: tokens.default(0).describe(`${UNITS.output_tokens.description} 0 when absent (an embedding call has no output).`),
  service_tier: z.enum(SERVICE_TIERS).optional().describe('The service tier the call ran on: a price variant of the model (standard by default).'),
}, { error: usageKeyError });

/**
 * One quote: the call's usage in tariff's buckets, or the provider's own
 * response body (or just its usage object) in one of FORMATS, read as that
 * provider bills it. The model may come from the response.
 */
export const quoteItem = z.strictObject({
  provider: providerId,
  model: modelId.optional(),
  usage: usageSchema.optional(),
  response: z.record(z.string(), z.unknown(), { error: 'must be a JSON object: the provider\'s response body, or its usage object' }).optional()
    .describe('The provider\'s response body, or just its usage object, instead of `usage`.'),
  format: z.enum(FORMATS).optional().describe('The response\'s format; detected from its shape when absent.'),
  service_tier: z.enum(SERVICE_TIERS).optional()
    .describe('With a response: the service tier the call ran on, over what the response says (an OpenAI Batch output line says "default").'),
  at: pointInTime.optional(),
  currency: currencyCode.optional(),
}).superRefine((item, ctx) => {
  if ((item.usage === undefined) === (item.response === undefined)) {
    ctx.addIssue({ code: 'custom', path: ['usage'], message: 'give either usage (tariff\'s buckets) or response (the provider\'s response body), not both or neither' });
  }
  if (item.service_tier !== undefined && item.response === undefined) {
    ctx.addIssue({ code: 'custom', path: ['service_tier'], message: 'describes a response: with usage, give usage.service_tier' });
  }
  if (item.format !== undefined && item.response === undefined) {
    ctx.addIssue({ code: 'custom', path: ['format'], message: 'format describes a response: give response too' });
  }
  if (item.usage !== undefined && item.model === undefined) {
    ctx.addIssue({ code: 'custom', path: ['model'], message: 'required with usage (only a response may name the model itself)' });
  }
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
const PLAIN_USAGE = USAGE_MAX;
const PLAIN_KEYS = new Set(['provider', 'model', 'usage', 'response', 'format', 'currency']);

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
  for (const key in body) if (!PLAIN_KEYS.has(key)) return undefined;
  const { provider, model, usage, response, format, currency } = body;
  if (typeof provider !== 'string' || !PROVIDER_ID.test(provider)) return undefined;
  if (model !== undefined && (typeof model !== 'string' || model.length > MAX_MODEL_ID || !NO_CONTROL_CHARACTERS.test(model))) return undefined;
  if (currency !== undefined && (typeof currency !== 'string' || !CURRENCY_CODE.test(currency))) return undefined;
  if (response !== undefined) {
    // The response is the provider's body, read by src/usage/ (which checks every field it uses): only its form is checked here.
    if (usage !== undefined || !isPlainObject(response)) return undefined;
    if (format !== undefined && (typeof format !== 'string' || !(FORMATS as readonly string[]).includes(format))) return undefined;
    return withOptional({ provider, response }, model, format as (typeof FORMATS)[number] | undefined, currency);
  }
  if (model === undefined || format !== undefined) return undefined;
  if (!isPlainObject(usage) || usage.input_tokens === undefined || usage.output_tokens === undefined) return undefined;
  for (const key in usage) {
    const value = usage[key];
    const max = PLAIN_USAGE.get(key);
    if (max === undefined || typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0 || value > max) return undefined;
  }
  // Every key checked above is a usage bucket, input_tokens and output_tokens among them: the parsed body is the usage.
  return withOptional({ provider, usage: usage as unknown as NonNullable<QuoteItem['usage']> }, model, undefined, currency);
}

/** The item as zod parses it: optional keys absent rather than undefined. */
function withOptional(item: QuoteItem, model: string | undefined, format: QuoteItem['format'], currency: string | undefined): QuoteItem {
  if (model !== undefined) item.model = model;
  if (format !== undefined) item.format = format;
  if (currency !== undefined) item.currency = currency;
  return item;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype;
}
