// OpenRouter (GET /api/v1/models): `{data: [...]}` with decimal-string prices
// in USD per token, except `request` (per request), `web_search` (per search)
// and `image` (per input image: OpenRouter's API reference, Models › pricing,
// "image: price per image input", which its model pages show as "$/K input
// imgs"). A missing price key means the model charges nothing for it. Every
// pricing key is mapped (PRICING_FIELDS) or reported.
import { z } from 'zod';
import type { PriceRecord, SourceResult, UnitId } from '@tariff/pricing';
import { toPrice } from './json.ts';
import { collectRecords, PriceCollector, type FieldCounters, type Source } from './source.ts';
import { UPSTREAM_SOURCES } from '../upstreams.ts';

/** OpenRouter's price for routers whose cost depends on the model they pick. */
const VARIABLE_PRICE = '-1';

/** Each OpenRouter pricing key tariff maps: its dimension, and the power of ten from OpenRouter's unit to tariff's. */
export const PRICING_FIELDS: Readonly<Record<string, { unit: UnitId; places: number }>> = {
  prompt: { unit: 'input_tokens', places: 6 },
  completion: { unit: 'output_tokens', places: 6 },
  input_cache_read: { unit: 'cache_read_tokens', places: 6 },
  input_cache_write: { unit: 'cache_write_tokens', places: 6 },
  internal_reasoning: { unit: 'reasoning_tokens', places: 6 },
  image: { unit: 'input_images', places: 0 },
  audio: { unit: 'input_audio_tokens', places: 6 },
  request: { unit: 'requests', places: 0 },
  web_search: { unit: 'web_search_requests', places: 0 },
};

const modelSchema = z.looseObject({
  id: z.string().min(1),
  name: z.string().nullish(),
  pricing: z.looseObject({ prompt: z.string(), completion: z.string() }).catchall(z.unknown()),
  architecture: z.looseObject({ input_modalities: z.array(z.string()).nullish() }).nullish(),
});

const payloadSchema = z.looseObject({ data: z.array(z.unknown()) });

export const openRouter: Source = {
  ...UPSTREAM_SOURCES.openrouter,
  upstreamIds: () => ['openrouter'],
  parse: (payload) => parseOpenRouter(payload),
};

/** Every OpenRouter model as a price record; a malformed or repeated model is skipped, not fatal. */
export function parseOpenRouter(payload: unknown): SourceResult {
  const parsed = payloadSchema.safeParse(payload);
  if (!parsed.success) throw new Error('OpenRouter payload is not {data: [...]}');
  const rows = parsed.data.data.map((raw, index) => [idOf(raw) ?? `data[${index}]`, raw] as const);
  return collectRecords(rows, (_id, raw, fields) => toRecord(modelSchema.parse(raw), fields));
}

function idOf(raw: unknown): string | undefined {
  const id = z.looseObject({ id: z.string().min(1) }).safeParse(raw);
  return id.success ? id.data.id : undefined;
}

function toRecord(model: z.output<typeof modelSchema>, fields: FieldCounters): PriceRecord {
  const name = model.name ?? null;
  const prices = new PriceCollector();
  const pricing = model.pricing;
  if (pricing.prompt === VARIABLE_PRICE || pricing.completion === VARIABLE_PRICE) {
    for (const key of Object.keys(pricing)) fields.mapped.add(`pricing.${key}`, model.id);
    return { ...prices.record(model.id, name), state: 'dynamic' };
  }
  for (const [key, value] of Object.entries(pricing)) {
    if (value === null || value === undefined) continue;
    const field = PRICING_FIELDS[key];
    if (!field || typeof value !== 'string') {
      fields.unmapped.add(`pricing.${key}`, model.id);
      if (typeof value === 'string') prices.unsupportedPrice(`pricing.${key}`, value);
      continue;
    }
    prices.set(field.unit, toPrice(value, field.places));
    fields.mapped.add(`pricing.${key}`, model.id);
  }
  return prices.record(model.id, name);
}
