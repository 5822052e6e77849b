// The exact cost of one LLM call from a catalog entry and the call's usage.
//
// A QuoteUsage is a set of exclusive buckets, one per price dimension (units.ts):
// input_tokens are the text prompt tokens not read from or written to the
// cache, output_tokens exclude reasoning and audio/image output, and so on.
//
// Rules:
// - service_tier (standard by default) picks the price list: a tier the model
//   has no price for cannot be quoted; a dimension the tier leaves unpriced
//   bills at its standard price (listed in `service_tier.fallback`). Above a
//   long-context threshold a tier bills at its own long-context prices only: a
//   tier without them cannot be quoted there (service_tier_long_context_unpriced).
// - Long-context tiers: the prompt size is the sum of the prompt-side token
//   buckets. When it exceeds a tier's above_tokens, the highest such tier
//   replaces the base prices for the WHOLE request, in every dimension it
//   prices; a dimension the tier leaves unpriced keeps the base price.
// - A bucket is billed at its own price; failing that, cache reads and writes
//   at the input price and reasoning at the output price (tariff's rule since
//   its first version); failing that, a modality its provider documents as
//   billed at the text rate at that rate (text_rate.ts). A per-request fee the model does
//   not have is not charged. Any other bucket with units and no price cannot be
//   quoted: never a silent $0, never a silent text price.
// - cost = units × price ÷ 10^scale (1M for tokens), exactly; total = sum.
// - A dynamic or unpriced entry cannot be quoted.
import { formatCoefficient, formatDecimal, multiply, parseDecimal } from '../money/decimal.ts';
import { parsedEntry, type ParsedPrice } from './billing.ts';
import type { CatalogEntry } from '../catalog/types.ts';
import type { PriceVariant } from './types.ts';
import { variantAt } from './variants.ts';
import { ORIGINAL_DIMENSIONS, PROMPT_UNITS, UNIT_IDS, type OriginalDimension, type ServiceTier, type UnitId } from './units.ts';

/** Usage buckets by unit id (all optional but input_tokens and output_tokens), and the service tier. */
export type QuoteUsage = { input_tokens: number; output_tokens: number } & Partial<Record<UnitId, number>> & {
  service_tier?: ServiceTier | null | undefined;
};

export interface QuoteComponent {
  units: number;
  /** USD per the dimension's unit (per 1M tokens, per request, …); null when not charged. */
  unit_price: string | null;
  cost_usd: string;
  /** The dimension whose price was used, when it is not the bucket's own (a fallback or a text-rate rule). */
  priced_as?: UnitId;
  /** The source of the price used (provenance.ts); absent when nothing was charged for want of a price. */
  source?: string;
}

/** The six original components keep their original names; every other dimension is named by its unit id. */
export const LEGACY_COMPONENTS: Readonly<Partial<Record<UnitId, string>>> = Object.fromEntries(
  ORIGINAL_DIMENSIONS.map((d) => [d.unit, d.component]));
export const COMPONENTS = ORIGINAL_DIMENSIONS.map((d) => d.component);

export interface Quote {
  state: 'priced' | 'free';
  /** The long-context tier applied, or null for the base prices. */
  tier: { above_input_tokens: number } | null;
  service_tier: { name: ServiceTier; fallback: UnitId[] };
  /** The usage billed: every bucket with units, and requests. */
  usage: Partial<Record<UnitId, number>>;
  /** The six original components always, in their order; then every other dimension the usage touched, by unit id, in unit order. */
  components: Record<(typeof COMPONENTS)[number], QuoteComponent> & Partial<Record<UnitId, QuoteComponent>>;
  total_usd: string;
}

/** Why an entry cannot be quoted for a usage; the API answers 422 with `code`. */
export class QuoteError extends Error {
  readonly code: string;
  readonly provider: string;
  readonly model_id: string;
  readonly details: Record<string, unknown>;

  constructor(entry: CatalogEntry, code: string, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'QuoteError';
    this.code = code;
    this.provider = entry.provider;
    this.model_id = entry.model_id;
    this.details = details;
  }
}

/**
 * The quote of a call made at `at` (now by default): a model whose price
 * depends on the date or the time of day (variants) is billed at the list in
 * effect then. `reportedTier`, when given, is the service tier a provider's
 * response reported (null: it did not say), in place of the usage's own.
 */
export function quote(served: CatalogEntry, usage: QuoteUsage, at?: Date, reportedTier?: ServiceTier | null): Quote {
  const entry = served.variants ? inEffect(served, at ?? new Date()) : served;
  if (entry.state === 'dynamic') {
    throw new QuoteError(entry, 'price_dynamic', `model ${entry.model_id} has dynamic pricing: its price is set per request upstream`, { state: entry.state });
  }
  if (entry.state === 'unpriced') {
    throw new QuoteError(entry, 'price_unpriced', `model ${entry.model_id} has no price upstream that tariff can bill`, { state: entry.state });
  }
  const counts = billedUnits(usage);
  const parsed = parsedEntry(entry);
  const serviceTier = (reportedTier === undefined ? usage.service_tier : reportedTier) ?? 'standard';
  const list = parsed.lists.get(serviceTier);
  if (!list) {
    throw new QuoteError(entry, 'service_tier_unavailable', `usage.service_tier: model ${entry.model_id} has no ${serviceTier} price`, {
      service_tier: serviceTier, available: [...parsed.lists.keys()],
    });
  }

  let prompt = 0;
  for (const index of PROMPT_INDEXES) prompt += counts[index]!;
  if (list.unpricedAbove !== null && prompt > list.unpricedAbove) {
    throw new QuoteError(entry, 'service_tier_long_context_unpriced',
      `service_tier: ${entry.provider}/${entry.model_id} has no ${serviceTier} price for prompts above ${list.unpricedAbove} tokens (only standard long-context prices)`,
      { service_tier: serviceTier, above_input_tokens: list.unpricedAbove, prompt_tokens: prompt });
  }
  let prices = list.base;
  let tier: Quote['tier'] = null;
  for (const t of list.tiers) {
    if (prompt > t.above) {
      prices = t.prices;
      tier = { above_input_tokens: t.above };
      break;
    }
  }

  // The six original components always, in their order, as one object
  // literal; then every other dimension the usage touched, in unit order
  // (adding every member by a computed name was a third of a quote's time).
  const bill = new Bill(counts, prices, parsed.exp);
  const components: Record<OriginalDimension['component'], QuoteComponent | undefined> & Record<string, QuoteComponent | undefined> = {
    input: bill.line(INPUT), cache_read: bill.line(CACHE_READ), cache_write: bill.line(CACHE_WRITE),
    output: bill.line(OUTPUT), reasoning: bill.line(REASONING), requests: bill.line(REQUESTS),
  };
  const billed: Partial<Record<UnitId, number>> = {
    input_tokens: counts[INPUT], cache_read_tokens: counts[CACHE_READ], cache_write_tokens: counts[CACHE_WRITE],
    output_tokens: counts[OUTPUT], reasoning_tokens: counts[REASONING], requests: counts[REQUESTS],
  };
  for (const index of OTHER_INDEXES) {
    if (counts[index] === 0) continue;
    const line = bill.line(index);
    if (line === undefined) continue;
    components[UNIT_IDS[index]!] = line;
    billed[UNIT_IDS[index]!] = counts[index];
  }
  if (bill.unpriced) {
    const { unpriced } = bill;
    throw new QuoteError(entry, 'dimension_unpriced',
      `usage.${unpriced[0]}: ${entry.provider}/${entry.model_id} has no ${serviceTier === 'standard' ? '' : `${serviceTier} `}price for ${unpriced.join(', ')}`,
      { dimensions: unpriced });
  }
  return {
    state: entry.state,
    tier,
    service_tier: { name: serviceTier, fallback: list.fallback },
    usage: billed,
    components: components as Quote['components'],
    total_usd: bill.totalUsd(),
  };
}

/**
 * One quote's lines and their exact sum. Every cost is a whole multiple of
 * 10^exp, so the total is an integer sum. Doubles are exact while a product or
 * sum is a safe integer (one past 2^53 - 1 comes out at 2^53 or more, never as
 * a wrong safe integer): a cost or an addition past that is made in BigInt,
 * into `over`.
 */
class Bill {
  private readonly counts: readonly number[];
  private readonly prices: ReadonlyArray<ParsedPrice | undefined>;
  private readonly exp: number;
  private total = 0;
  private over = 0n;
  /** Dimensions with units and no price: the quote is refused. */
  unpriced: UnitId[] | undefined;

  constructor(counts: readonly number[], prices: ReadonlyArray<ParsedPrice | undefined>, exp: number) {
    this.counts = counts;
    this.prices = prices;
    this.exp = exp;
  }

  /** The component of the dimension at `index`; undefined when it has units and no price (noted in `unpriced`). */
  line(index: number): QuoteComponent | undefined {
    const count = this.counts[index]!;
    const unit = UNIT_IDS[index]!;
    const price = this.prices[index];
    if (!price && count > 0 && unit !== 'requests') {
      (this.unpriced ??= []).push(unit);
      return undefined;
    }
    let cost: number | bigint = 0;
    if (price && count > 0) {
      cost = count * price.small;
      if (!Number.isSafeInteger(cost)) cost = BigInt(count) * price.coef;
      if (typeof cost === 'number' && Number.isSafeInteger(this.total + cost)) this.total += cost;
      else this.over += BigInt(cost);
    }
    const costUsd = formatCoefficient(cost, this.exp);
    if (!price) return { units: count, unit_price: null, cost_usd: costUsd };
    const component: QuoteComponent = { units: count, unit_price: price.text, cost_usd: costUsd, source: price.source };
    if (price.unit !== unit) component.priced_as = price.unit;
    return component;
  }

  totalUsd(): string {
    return formatCoefficient(this.over === 0n ? this.total : BigInt(this.total) + this.over, this.exp);
  }
}

const variantEntries = new WeakMap<PriceVariant, CatalogEntry>();

/** The entry with the variant in effect at `at` as its prices (one object per variant, so its parse is cached). */
function inEffect(entry: CatalogEntry, at: Date): CatalogEntry {
  const variant = variantAt(entry, at);
  if (!variant) return entry;
  let effective = variantEntries.get(variant);
  if (!effective) {
    const { from: _from, window: _window, ...list } = variant;
    const { variants, extra: _extra, filled_from: filledFrom, ...rest } = entry;
    // The variant's dimensions are `variants[i].<path>` in the entry's provenance, plain paths in its own.
    const prefix = `variants[${variants!.indexOf(variant)}].`;
    const own = Object.entries(filledFrom ?? {}).filter(([path]) => path.startsWith(prefix)).map(([path, source]) => [path.slice(prefix.length), source]);
    effective = { ...rest, ...list, ...(own.length > 0 ? { filled_from: Object.fromEntries(own) } : {}) };
    variantEntries.set(variant, effective);
  }
  return effective;
}

/** The exact product of a USD amount and an exchange rate, e.g. for a quote in EUR. */
export function convert(amountUsd: string, rate: string): string {
  return formatDecimal(multiply(parseDecimal(amountUsd), parseDecimal(rate)));
}

/** Each unit's index in UNIT_IDS, the original dimensions' and the others', and the prompt-side indexes. */
const INDEX = new Map<UnitId, number>(UNIT_IDS.map((unit, index) => [unit, index]));
const [INPUT, CACHE_READ, CACHE_WRITE, OUTPUT, REASONING] = (['input_tokens', 'cache_read_tokens', 'cache_write_tokens', 'output_tokens', 'reasoning_tokens'] as const)
  .map((unit) => INDEX.get(unit)!) as [number, number, number, number, number];
/** The dimensions besides the six original ones, by index: shown when the usage has units in them. */
const OTHER_INDEXES = UNIT_IDS.flatMap((unit, index) => (LEGACY_COMPONENTS[unit] === undefined ? [index] : []));
const PROMPT_INDEXES = PROMPT_UNITS.map((unit) => INDEX.get(unit)!);
const REQUESTS = INDEX.get('requests')!;
/** Every count 0 but one request, copied per quote (a copy of a packed array costs a fraction of filling a new one). */
const NO_UNITS: readonly number[] = UNIT_IDS.map((_, index) => (index === REQUESTS ? 1 : 0));

/** The count of each bucket, by unit index; requests default to 1. Reads only the keys the usage has. */
function billedUnits(usage: QuoteUsage): number[] {
  const counts = NO_UNITS.slice();
  for (const key in usage) {
    const index = INDEX.get(key as UnitId);
    const value = usage[key as UnitId];
    if (index === undefined || value === undefined || value === null) continue;
    if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${key} must be a non-negative integer, got ${String(value)}`);
    counts[index] = value;
  }
  return counts;
}
