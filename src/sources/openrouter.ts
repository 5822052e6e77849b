// OpenRouter (GET /api/v1/models): `{data: [...]}` with decimal-string prices
// in USD per token (per request for `request`). A missing price key means the
// model charges nothing for it; image, audio and web_search prices are not
// token prices tariff keeps.
import { z } from 'zod';
import type { PriceRecord, PriceState, SourceResult, TokenPrices } from '../catalog/types.ts';
import { toPrice } from './json.ts';
import { collectRecords, stateOf, type Source } from './source.ts';

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

export const openRouter: Source = {
  name: 'openrouter',
  title: 'OpenRouter',
  url: { env: 'OPENROUTER_MODELS_URL', default: 'https://openrouter.ai/api/v1/models' },
  feeds: ['openrouter'],
  upstreamIds: () => ['openrouter'],
  parse: (payload) => parseOpenRouter(payload),
};

/** Every OpenRouter model as a price record; a malformed or repeated model is skipped, not fatal. */
export function parseOpenRouter(payload: unknown): SourceResult {
  const parsed = payloadSchema.safeParse(payload);
  if (!parsed.success) throw new Error('OpenRouter payload is not {data: [...]}');
  const rows = parsed.data.data.map((raw, index) => [idOf(raw) ?? `data[${index}]`, raw] as const);
  return collectRecords(rows, (_id, raw): PriceRecord => {
    const model = modelSchema.parse(raw);
    return { model_id: model.id, name: model.name ?? null, ...pricesOf(model.pricing), tiers: [] };
  });
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
  return { state: stateOf(prices), ...prices };
}
