// genai-prices (pydantic/genai-prices, prices/new_data/v2/data.json, the live
// feed; the older prices/data.json is frozen and reads the same): an array of providers,
// each with models that carry a `match` rule (which requested ids mean the
// model; first match in the provider's order wins) and prices per 1M tokens,
// or per 1,000 requests and searches for the `_kcount` keys.
//
// - A price is a number, or `{base, tiers: [{start, price}]}`: above `start`
//   prompt tokens the whole request bills at the tier price, which is what a
//   tariff long-context tier is (a tier sets each dimension to its price at
//   that prompt size).
// - `prices` may be a list of `{constraint?, prices}`: the entry without a
//   constraint is the record's own price, `{start_date}` becomes a variant
//   `from` that day (UTC) and `{start_time, end_time}` a variant with a UTC
//   time-of-day `window`. catalog/variants.ts `priceAt` picks the one in effect.
// - genai-prices counts cache tokens inside input tokens where tariff's usage
//   buckets are exclusive; the price per token is the same either way, so
//   prices map 1:1.
// - `input_mtok` is the text input price: a modality without a price key of
//   its own is left unpriced (prices/text_rate.ts has the providers' own rules).
// - A price key this adapter does not know is reported in `unmapped`, never
//   dropped silently.
import { z } from 'zod';
import {
  type MatchRule, parseDecimal, type PriceList, type PriceRecord, type PriceTier, type PriceVariant, type SourceResult, toSheet, type UnitId, type UnitPrices,
} from '@tariff/pricing';
import { describeProblem, numberLiteral, toPrice, toTokenCount } from './json.ts';
import { collectRecords, stateOf, type Source } from './source.ts';
import { UPSTREAM_SOURCES } from '../upstreams.ts';

/**
 * Each genai-prices price key tariff has a unit for: the unit it prices and the
 * power of ten that turns it into the unit's price. A key marked `text` is the
 * text-only spelling of another (input_text_mtok of input_mtok, the 5-minute
 * cache write of the plain one): it prices the unit only when the other key is
 * absent. Keys without a unit (per-hour, per-pixel and tool prices, citations,
 * image cache reads) are reported in `unmapped` and the record's `unsupported`.
 */
const KEYS = {
  input_mtok: { unit: 'input_tokens', shift: 0 },
  input_text_mtok: { unit: 'input_tokens', shift: 0, text: true },
  output_mtok: { unit: 'output_tokens', shift: 0 },
  output_text_mtok: { unit: 'output_tokens', shift: 0, text: true },
  cache_read_mtok: { unit: 'cache_read_tokens', shift: 0 },
  cache_text_read_mtok: { unit: 'cache_read_tokens', shift: 0, text: true },
  cache_write_mtok: { unit: 'cache_write_tokens', shift: 0 },
  cache_write_5m_mtok: { unit: 'cache_write_tokens', shift: 0, text: true },
  cache_text_write_mtok: { unit: 'cache_write_tokens', shift: 0, text: true },
  cache_text_write_5m_mtok: { unit: 'cache_write_tokens', shift: 0, text: true },
  cache_write_1h_mtok: { unit: 'cache_write_1h_tokens', shift: 0 },
  cache_text_write_1h_mtok: { unit: 'cache_write_1h_tokens', shift: 0, text: true },
  input_audio_mtok: { unit: 'input_audio_tokens', shift: 0 },
  output_audio_mtok: { unit: 'output_audio_tokens', shift: 0 },
  cache_audio_read_mtok: { unit: 'cache_read_audio_tokens', shift: 0 },
  input_image_mtok: { unit: 'input_image_tokens', shift: 0 },
  output_image_mtok: { unit: 'output_image_tokens', shift: 0 },
  input_video_mtok: { unit: 'input_video_tokens', shift: 0 },
  output_reasoning_mtok: { unit: 'reasoning_tokens', shift: 0 },
  output_text_reasoning_mtok: { unit: 'reasoning_tokens', shift: 0, text: true },
  // Per million characters → per character, per 1,000 requests or searches → per one: exact shifts of the decimal point.
  input_mchars: { unit: 'input_characters', shift: -6 },
  requests_kcount: { unit: 'requests', shift: -3 },
  web_searches_kcount: { unit: 'web_search_requests', shift: -3 },
} as const satisfies Record<string, { unit: UnitId; shift: number; text?: true }>;
type Key = keyof typeof KEYS;

const matchRule: z.ZodType<MatchRule> = z.lazy(() => z.union([
  z.strictObject({ equals: z.string() }),
  z.strictObject({ starts_with: z.string() }),
  z.strictObject({ ends_with: z.string() }),
  z.strictObject({ contains: z.string() }),
  z.strictObject({ regex: z.string().refine(compiles, 'not a valid regular expression') }),
  z.strictObject({ or: z.array(matchRule).min(1) }),
  z.strictObject({ and: z.array(matchRule).min(1) }),
]));

const tiered = z.looseObject({
  base: numberLiteral,
  tiers: z.array(z.looseObject({ start: numberLiteral, price: numberLiteral })),
});
const priceValue = z.union([numberLiteral, tiered]);
const priceObject = z.record(z.string(), z.unknown());

const TIME = /^(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const constraint = z.union([
  z.strictObject({ start_date: z.iso.date() }),
  z.strictObject({ start_time: z.string().regex(TIME), end_time: z.string().regex(TIME) }),
]);

const modelSchema = z.looseObject({
  id: z.string().min(1),
  name: z.string().nullish(),
  match: matchRule,
  prices: z.union([priceObject, z.array(z.looseObject({ constraint: constraint.optional(), prices: priceObject })).min(1)]),
});
type Model = z.output<typeof modelSchema>;

const providerSchema = z.looseObject({ id: z.string().min(1), models: z.array(z.unknown()) });
const payloadSchema = z.array(z.unknown());

export const genaiPrices: Source = {
  ...UPSTREAM_SOURCES.genai_prices,
  upstreamIds: (payload) => providersOf(payload).map((provider) => provider.id),
  parse: parseGenaiPrices,
};

function providersOf(payload: unknown): Array<z.output<typeof providerSchema>> {
  const parsed = payloadSchema.safeParse(payload);
  if (!parsed.success) throw new Error('genai-prices payload is not an array of providers');
  return parsed.data.flatMap((raw) => {
    const provider = providerSchema.safeParse(raw);
    return provider.success ? [provider.data] : [];
  });
}

/** The models of one genai-prices provider as price records, in the provider's order (`match_index`). */
export function parseGenaiPrices(payload: unknown, upstreamId: string): SourceResult {
  const provider = providersOf(payload).find((candidate) => candidate.id === upstreamId);
  if (!provider) throw new Error(`provider ${upstreamId} is not in genai-prices`);
  const rows = provider.models.map((raw, index) => [idOf(raw) ?? `models[${index}]`, { raw, index }] as const);
  return collectRecords(rows, (_id, { raw, index }, fields) => {
    const model = modelSchema.parse(raw);
    for (const key of new Set(entriesOf(model).flatMap((entry) => Object.keys(entry.prices)))) {
      (Object.hasOwn(KEYS, key) ? fields.mapped : fields.unmapped).add(`prices.${key}`, model.id);
    }
    return { ...toRecord(model), match_index: index };
  });
}

function idOf(raw: unknown): string | undefined {
  const id = z.looseObject({ id: z.string().min(1) }).safeParse(raw);
  return id.success ? id.data.id : undefined;
}

function entriesOf(model: Model): Array<{ constraint?: z.output<typeof constraint> | undefined; prices: Record<string, unknown> }> {
  return Array.isArray(model.prices) ? model.prices : [{ prices: model.prices }];
}

function toRecord(model: Model): PriceRecord {
  const entries = entriesOf(model);
  // The entry without a constraint is the default; genai-prices falls back to the first entry when none lacks one.
  const own = entries.find((entry) => entry.constraint === undefined) ?? entries[0]!;
  const base = priceList(own.prices);
  const unsupported = Object.entries(own.prices).flatMap(([key, value]) => {
    if (Object.hasOwn(KEYS, key)) return [];
    const parsed = priceValue.safeParse(value);
    const price = parsed.success ? (typeof parsed.data === 'string' ? parsed.data : parsed.data.base) : undefined;
    return price === undefined || parseDecimal(toPrice(price, 0)).coef === 0n ? [] : [{ field: `prices.${key}`, value: toPrice(price, 0) }];
  });
  const variants = entries.filter((entry) => entry !== own).map((entry): PriceVariant => ({
    ...priceList(entry.prices),
    ...(entry.constraint === undefined ? {} : 'start_date' in entry.constraint
      ? { from: `${entry.constraint.start_date}T00:00:00.000Z` }
      : { window: { start: utcTime(entry.constraint.start_time), end: utcTime(entry.constraint.end_time) } }),
  }));
  return {
    model_id: model.id,
    name: model.name ?? null,
    state: stateOf(base),
    ...base,
    ...(unsupported.length > 0 ? { unsupported } : {}),
    ...(variants.length > 0 ? { variants } : {}),
    match: model.match,
  };
}

/** One genai-prices price object as a price list: base prices, and a long-context tier per tier start. */
function priceList(raw: Record<string, unknown>): PriceList {
  const base: UnitPrices = {};
  const steps = new Map<UnitId, Array<{ start: number; price: string }>>();
  // Plain keys first: a text-only spelling prices its unit only when the plain key does not.
  const keys = Object.keys(raw).filter((key): key is Key => Object.hasOwn(KEYS, key))
    .sort((a, b) => Number('text' in KEYS[a]) - Number('text' in KEYS[b]));
  for (const key of keys) {
    const value = raw[key];
    if (value === undefined || value === null) continue;
    const { unit, shift } = KEYS[key];
    if ('text' in KEYS[key] && base[unit] !== undefined) continue;
    try {
      const parsed = priceValue.parse(value);
      if (typeof parsed === 'string') {
        base[unit] = toPrice(parsed, shift);
        continue;
      }
      base[unit] = toPrice(parsed.base, shift);
      steps.set(unit, parsed.tiers
        .map((tier) => ({ start: toTokenCount(tier.start), price: toPrice(tier.price, shift) }))
        .sort((a, b) => a.start - b.start));
    } catch (error) {
      throw new Error(`${key}: ${describeProblem(error)}`, { cause: error });
    }
  }
  return { ...toSheet(base), tiers: tiersOf(steps) };
}

/**
 * Each dimension's tiers are independent upstream; a tariff tier replaces the
 * base for every dimension it sets, so the tier at each start sets every
 * tiered dimension to its price at that prompt size.
 */
function tiersOf(steps: ReadonlyMap<UnitId, Array<{ start: number; price: string }>>): PriceTier[] {
  const starts = [...new Set([...steps.values()].flatMap((list) => list.map((step) => step.start)))].sort((a, b) => a - b);
  return starts.map((start) => {
    const prices: UnitPrices = {};
    for (const [unit, list] of steps) {
      const step = list.filter((candidate) => candidate.start <= start).at(-1);
      if (step) prices[unit] = step.price;
    }
    const { request: _request, ...sheet } = toSheet(prices);
    return { above_tokens: start, ...sheet };
  });
}

/** `00:30:00Z`, `08:30:00+08:00` → the UTC time of day, `HH:MM:SSZ`. */
function utcTime(text: string): string {
  const [, h = '0', m = '0', s = '0', zone = 'Z'] = TIME.exec(text) ?? [];
  const offset = zone === 'Z' ? 0 : (zone.startsWith('-') ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
  const minutes = (((Number(h) * 60 + Number(m) - offset) % 1440) + 1440) % 1440;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}:${pad(Number(s))}Z`;
}

function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}

