// OpenRouter (GET /api/v1/models): `{data: [...]}` with decimal-string prices.
// Every key of the pricing object OpenRouter's API reference documents
// (openrouter.ai/docs/client-sdks/python/components/pricing, "Fields") is
// mapped in PRICING_FIELDS: per token unless it says otherwise, `request` per
// request, `web_search` per search, `image` "per input image" (its model pages
// show "$/K input imgs") and `image_output` "per output image". `image_token`
// ("Price in USD per image token") prices image output tokens: the reference
// does not say input or output, but input images are priced per image by
// `image`, and the only image tokens OpenRouter's usage reports are
// `completion_tokens_details.image_tokens`, its image output. `discount` ("the
// price is multiplied by (1 - discount) (0 = no discount, 1 = free)") is applied
// to every price, exactly; a discount outside 0..1 refuses the model. A missing
// price key means the model charges nothing for it; any other key is reported.
import { z } from 'zod';
import { compare, formatDecimal, multiply, parseDecimal, subtract, type PriceRecord, type SourceResult, type UnitId } from '@tariff/pricing';
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
  input_cache_write_1h: { unit: 'cache_write_1h_tokens', places: 6 },
  input_audio_cache: { unit: 'cache_read_audio_tokens', places: 6 },
  internal_reasoning: { unit: 'reasoning_tokens', places: 6 },
  image: { unit: 'input_images', places: 0 },
  image_output: { unit: 'images', places: 0 },
  image_token: { unit: 'output_image_tokens', places: 6 },
  audio: { unit: 'input_audio_tokens', places: 6 },
  audio_output: { unit: 'output_audio_tokens', places: 6 },
  request: { unit: 'requests', places: 0 },
  web_search: { unit: 'web_search_requests', places: 0 },
};

/** The pricing key holding the fraction every price is discounted by. */
const DISCOUNT = 'discount';

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
  const factor = priceFactor(pricing[DISCOUNT]);
  for (const [key, value] of Object.entries(pricing)) {
    if (value === null || value === undefined) continue;
    if (key === DISCOUNT) {
      fields.mapped.add(`pricing.${key}`, model.id);
      continue;
    }
    const field = PRICING_FIELDS[key];
    if (!field || typeof value !== 'string') {
      fields.unmapped.add(`pricing.${key}`, model.id);
      if (typeof value === 'string') prices.unsupportedPrice(`pricing.${key}`, value);
      continue;
    }
    const price = toPrice(value, field.places);
    prices.set(field.unit, factor === null ? price : formatDecimal(multiply(parseDecimal(price), factor)));
    fields.mapped.add(`pricing.${key}`, model.id);
  }
  return prices.record(model.id, name);
}

/** 1 − discount, exactly; null without a discount. A discount that is not a fraction in 0..1 refuses the model. */
function priceFactor(discount: unknown) {
  if (discount === undefined || discount === null) return null;
  if (typeof discount !== 'string' && typeof discount !== 'number') throw new Error(`pricing.${DISCOUNT} is not a number`);
  const fraction = parseDecimal(String(discount));
  const one = parseDecimal('1');
  if (compare(fraction, parseDecimal('0')) < 0 || compare(fraction, one) > 0) {
    throw new RangeError(`pricing.${DISCOUNT} ${String(discount)} is not a fraction from 0 to 1`);
  }
  return fraction.coef === 0n ? null : subtract(one, fraction);
}
