// OpenRouter (GET /api/v1/models): `{data: [...]}` with decimal-string prices
// in USD per token (per request for `request`). A missing price key means the
// model charges nothing for it; image, audio and web_search prices are not
// token prices tariff keeps.
import { z } from 'zod';
import type { PriceRecord, PriceState, SkippedRow, SourceResult, TokenPrices } from '../catalog/types.ts';
import { describeProblem, toPrice } from './json.ts';

const PER_MILLION = 6;
/** OpenRouter's price for routers whose cost depends on the model they pick. */
const VARIABLE_PRICE = '-1';

const price = z.string().nullish();

const modelSchema = z.looseObject({
  id: z.string().min(1),
  name: z.string().nullish(),
  pricing: z.looseObject({
    prompt: z.string(),
    completion: z.string(),
    input_cache_read: price,
    input_cache_write: price,
    internal_reasoning: price,
    request: price,
  }),
});

const payloadSchema = z.looseObject({ data: z.array(z.unknown()) });

type Pricing = z.output<typeof modelSchema>['pricing'];

/** Every OpenRouter model as a price record; a malformed or repeated model is skipped, not fatal. */
export function parseOpenRouter(payload: unknown): SourceResult {
  const parsed = payloadSchema.safeParse(payload);
  if (!parsed.success) throw new Error('OpenRouter payload is not {data: [...]}');

  const records: PriceRecord[] = [];
  const skipped: SkippedRow[] = [];
  const seen = new Set<string>();
  parsed.data.data.forEach((raw, index) => {
    const modelId = idOf(raw) ?? `data[${index}]`;
    if (seen.has(modelId)) {
      skipped.push({ model_id: modelId, reason: 'duplicate id' });
      return;
    }
    seen.add(modelId);
    try {
      const model = modelSchema.parse(raw);
      records.push({ model_id: model.id, name: model.name ?? null, ...pricesOf(model.pricing), tiers: [] });
    } catch (error) {
      skipped.push({ model_id: modelId, reason: describeProblem(error) });
    }
  });
  return { records, skipped };
}

function idOf(raw: unknown): string | undefined {
  const id = z.looseObject({ id: z.string().min(1) }).safeParse(raw);
  return id.success ? id.data.id : undefined;
}

function pricesOf(pricing: Pricing): TokenPrices & { state: PriceState; request: string | null } {
  if (pricing.prompt === VARIABLE_PRICE || pricing.completion === VARIABLE_PRICE) {
    return { state: 'dynamic', input: null, output: null, cache_read: null, cache_write: null, reasoning: null, request: null };
  }
  const perMillion = (literal: string | null | undefined) => (literal == null ? null : toPrice(literal, PER_MILLION));
  const prices = {
    input: toPrice(pricing.prompt, PER_MILLION),
    output: toPrice(pricing.completion, PER_MILLION),
    cache_read: perMillion(pricing.input_cache_read),
    cache_write: perMillion(pricing.input_cache_write),
    reasoning: perMillion(pricing.internal_reasoning),
    request: pricing.request == null ? null : toPrice(pricing.request),
  };
  // input and output are never null here, so "all zero or absent" includes both being zero.
  const free = Object.values(prices).every((p) => p === null || p === '0');
  return { state: free ? 'free' : 'priced', ...prices };
}
