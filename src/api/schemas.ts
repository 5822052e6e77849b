// Request schemas shared by the routes (and by the OpenAPI document).
import { z } from 'zod';
import { PRICE_STATES } from '../catalog/types.ts';
import { canonical } from '../money/decimal.ts';

export const providerId = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'must be a provider id such as openai');
export const modelId = z.string().min(1).max(512).regex(/^[^\u0000-\u001f\u007f]+$/, 'must not contain control characters');

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
}).refine((body) => body.state !== 'priced' || (body.input_cost_per_1m_tokens != null && body.output_cost_per_1m_tokens != null), {
  message: 'a priced override needs input_cost_per_1m_tokens and output_cost_per_1m_tokens',
  path: ['input_cost_per_1m_tokens'],
});

export const syncBody = z.strictObject({
  providers: z.array(providerId).min(1).max(200).optional(),
  dry_run: z.boolean().default(false),
  force: z.boolean().default(false),
});

export const fxBody = z.strictObject({ force: z.boolean().default(false) });

export const syncLogQuery = z.strictObject({
  provider: z.string().min(1).max(64).optional(),
  status: z.enum(['in_progress', 'success', 'failed', 'rejected']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

export const idParam = z.strictObject({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });
