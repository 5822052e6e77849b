// The admin requests' schemas. The public requests' (prices, quotes) are the
// pricing core's, shared with @tariff/client; re-exported here for the routes
// and the OpenAPI document.
import { z } from 'zod';
import { canonical, EXTRA_UNITS, ORIGINAL_TOKEN_DIMENSIONS, type ExtraUnitId, PRICE_STATES, providerId } from '@tariff/pricing';

export {
  catalogVersion, changesQuery, costsQuery, currencyCode, historyQuery, MAX_BATCH, modelId, modelPath, modelQuery, plainModelRequest, plainQuoteItem,
  pointInTime, providerId, quoteBatch, quoteItem, type QuoteItem, usageSchema,
} from '@tariff/pricing';

const DECIMAL = /^\d{1,12}(\.\d{1,20})?$/;
/** A non-negative USD amount as a decimal string ("2.5") or a JSON number (2.5); kept exact as a canonical string. */
export const money = z
  .union([z.string(), z.number().finite().nonnegative()])
  .transform((value) => (typeof value === 'number' ? String(value) : value.trim()))
  .refine((text) => DECIMAL.test(text), 'must be a non-negative decimal amount such as "2.5"')
  .transform(canonical);

/** Prices in the dimensions beyond the original fields, by unit id (units.ts), each in USD per its unit. */
const extraPrices = z.partialRecord(z.enum(EXTRA_UNITS as [ExtraUnitId, ...ExtraUnitId[]]), money)
  .describe('Prices in the other dimensions, by unit id (GET /costs `units` gives each one\'s unit).');

const tokenPrices = {
  ...Object.fromEntries(ORIGINAL_TOKEN_DIMENSIONS.map((d) => [d.answer, money.nullable().optional()])) as
    { [D in (typeof ORIGINAL_TOKEN_DIMENSIONS)[number] as D['answer']]: z.ZodOptional<z.ZodNullable<typeof money>> },
  prices: extraPrices.optional(),
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

