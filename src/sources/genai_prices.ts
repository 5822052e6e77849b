// genai-prices (pydantic/genai-prices, prices/data.json): an array of providers,
// each with models that carry a `match` rule (which requested ids mean the
// model; first match in the provider's order wins) and prices per 1M tokens,
// or per 1,000 requests for `requests_kcount`.
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
// - `input_mtok` covers every input modality unless the modality has a price
//   of its own: audio, image and video input tokens inherit the input price
//   (`inherits`) unless `input_audio_mtok` is set.
// - A price key this adapter does not know is reported in `unmapped`, never
//   dropped silently.
import { z } from 'zod';
import {
  type MatchRule, type PriceList, type PriceRecord, type PriceTier, type PriceVariant, type SourceResult, toSheet, type UnitId, type UnitPrices,
} from '@tariff/pricing';
import { describeProblem, numberLiteral, toPrice, toTokenCount } from './json.ts';
import { collectRecords, stateOf, type Source } from './source.ts';
import { UPSTREAM_SOURCES } from '../upstreams.ts';

/** Each genai-prices price key: the tariff unit it prices and the power of ten that turns it into the unit's price. */
const KEYS = {
  input_mtok: { unit: 'input_tokens', shift: 0 },
  output_mtok: { unit: 'output_tokens', shift: 0 },
  cache_read_mtok: { unit: 'cache_read_tokens', shift: 0 },
  cache_write_mtok: { unit: 'cache_write_tokens', shift: 0 },
  input_audio_mtok: { unit: 'input_audio_tokens', shift: 0 },
  output_audio_mtok: { unit: 'output_audio_tokens', shift: 0 },
  cache_audio_read_mtok: { unit: 'cache_read_audio_tokens', shift: 0 },
  // Per 1,000 requests → per request: an exact shift of the decimal point.
  requests_kcount: { unit: 'requests', shift: -3 },
} as const satisfies Record<string, { unit: UnitId; shift: number }>;
type Key = keyof typeof KEYS;

/** The input modalities `input_mtok` covers when they have no price of their own. */
const INPUT_MODALITIES: Array<{ unit: UnitId; key?: Key }> = [
  { unit: 'input_audio_tokens', key: 'input_audio_mtok' },
  { unit: 'input_image_tokens' },
  { unit: 'input_video_tokens' },
];

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
  const variants = entries.filter((entry) => entry !== own).map((entry): PriceVariant => ({
    ...priceList(entry.prices),
    ...(entry.constraint === undefined ? {} : 'start_date' in entry.constraint
      ? { from: `${entry.constraint.start_date}T00:00:00.000Z` }
      : { window: { start: utcTime(entry.constraint.start_time), end: utcTime(entry.constraint.end_time) } }),
  }));
  const inherits = base.input === null ? [] : INPUT_MODALITIES
    .filter(({ key }) => key === undefined || !entries.some((entry) => Object.hasOwn(entry.prices, key)))
    .map(({ unit }) => unit);
  return {
    model_id: model.id,
    name: model.name ?? null,
    state: stateOf(base),
    ...base,
    ...(inherits.length > 0 ? { inherits } : {}),
    ...(variants.length > 0 ? { variants } : {}),
    match: model.match,
  };
}

/** One genai-prices price object as a price list: base prices, and a long-context tier per tier start. */
function priceList(raw: Record<string, unknown>): PriceList {
  const base: UnitPrices = {};
  const steps = new Map<UnitId, Array<{ start: number; price: string }>>();
  for (const [key, value] of Object.entries(raw)) {
    if (!Object.hasOwn(KEYS, key) || value === undefined || value === null) continue;
    const { unit, shift } = KEYS[key as Key];
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

