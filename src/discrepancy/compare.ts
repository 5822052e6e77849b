// Comparing one served model's prices with the same model in other sources,
// dimension by dimension (every unit sheet.ts knows, extra ones included),
// and classifying each disagreement by its known structural cause.
//
// Spreads are largest ÷ smallest, exact, rounded half-up to SPREAD_PLACES
// decimals; a spread that rounds to 1 is agreement (float noise such as
// 0.30000000000000004 against 0.3 is not a discrepancy). A zero price
// against a non-zero one has no finite spread: null. What no structural cause
// explains is classified by consensus (consensus.ts). Only the
// dimensions tariff prices are compared: an item always has a served price.
import {
  compare, type Decimal, formatDecimal, isNegative, parseDecimal, type PriceList, sheetPrices, subtract, type UnitId, type UnitPrices, ZERO,
} from '@tariff/pricing';
import { judgeByConsensus } from './consensus.ts';

export const SPREAD_PLACES = 4;
/** OpenRouter's fee on top of provider prices, and how far from it a ratio may be: OpenRouter's side is the dearer. */
const MARKUP = { ratio: '1.055', tolerance: '0.003' };
const OPENROUTER = 'openrouter';
/** Regional endpoints cost 10% more: the dearer side is a regional id (Bedrock `us.…`, genai-prices `regional.anthropic…`). */
const REGIONAL = { ratio: '1.1', tolerance: '0.0005' };
const REGIONAL_ID = /(?:^|[/:])(?:regional|us|eu|apac|au|jp|ca|us-gov)\./;

export const CLASSES = [
  'outlier_served', 'outlier_other', 'zero_price', 'unit_slip', 'markup', 'regional', 'stale', 'missing_tier', 'unknown',
] as const;
export type DiscrepancyClass = (typeof CLASSES)[number];

export interface DiscrepancyItem {
  provider: string;
  model_id: string;
  dimension: UnitId;
  served: { source: string; price: string };
  sources: Record<string, { model_id: string; price: string }>;
  spread: string | null;
  class: DiscrepancyClass;
  /** Where two or more prices agree, more than any other group: whose prices differ from them (`served`: tariff's). */
  outliers: string[];
}

export interface ServedModel {
  provider: string;
  model_id: string;
  source: string;
  /** The price list tariff serves now. */
  list: PriceList;
  /** The dimensions (provenance paths) another source than `source` filled, and that source (the record's filled_from). */
  filled?: Readonly<Record<string, string>> | undefined;
  /** Per dimension, every price tariff has served for this model (price_history). */
  earlier: ReadonlyMap<UnitId, ReadonlySet<string>>;
}

export interface OtherModel {
  source: string;
  model_id: string;
  /** The list the source says is in effect now (priceAt). */
  list: PriceList;
  /** Lists the source itself says were in effect before (genai-prices' earlier variants). */
  superseded: readonly PriceList[];
}

/** One item per dimension whose prices disagree: base prices first, then prices above each long-context threshold. */
export function compareModel(served: ServedModel, others: readonly OtherModel[]): DiscrepancyItem[] {
  const items: DiscrepancyItem[] = [];
  const servedPrices = sheetPrices(served.list);
  for (const [dimension, servedPrice] of Object.entries(servedPrices) as Array<[UnitId, string]>) {
    // A dimension another source filled is never compared with that source itself.
    const pricedBy = (source: string) => others.flatMap((other) => {
      const price = sheetPrices(other.list)[dimension];
      return price === undefined || (other.source === source && source !== served.source) ? [] : [{ other, price }];
    });
    const source = sourceOf(served, dimension);
    const priced = pricedBy(source);
    if (priced.length === 0) continue;
    const base = judge(served, source, dimension, servedPrice, priced, false);
    if (base) {
      items.push(base);
      continue;
    }
    for (const threshold of thresholds([served.list, ...priced.map((p) => p.other.list)])) {
      const tierSource = sourceOf(served, dimension, threshold);
      const above = pricedBy(tierSource).map(({ other }) => ({ other, price: priceAbove(other.list, dimension, threshold) ?? '' }));
      const tier = judge(served, tierSource, dimension, priceAbove(served.list, dimension, threshold) ?? servedPrice, above, true, threshold);
      if (tier) {
        items.push(tier);
        break;
      }
    }
  }
  return items;
}

/** The source of a served dimension, above `threshold` when given (the tier's price when the served list has one there). */
function sourceOf(served: ServedModel, dimension: UnitId, threshold?: number): string {
  const tier = threshold === undefined ? undefined
    : [...served.list.tiers].filter((t) => t.above_tokens <= threshold && sheetPrices(t)[dimension] !== undefined)
      .sort((a, b) => b.above_tokens - a.above_tokens)[0];
  return served.filled?.[tier ? `tier>${tier.above_tokens}.${dimension}` : dimension] ?? served.source;
}

function judge(
  served: ServedModel, servedSource: string, dimension: UnitId, servedPrice: string, priced: Array<{ other: OtherModel; price: string }>,
  tiered: boolean, threshold?: number,
): DiscrepancyItem | null {
  if (priced.length === 0) return null;
  const all = [servedPrice, ...priced.map((p) => p.price)].map(parseDecimal);
  const spread = spreadOf(all);
  if (spread !== null && compare(spread, ONE) <= 0) return null;
  const classes = new Set<DiscrepancyClass>();
  for (const { other, price } of priced) {
    const pair = spreadOf([parseDecimal(servedPrice), parseDecimal(price)]);
    if (pair !== null && compare(pair, ONE) <= 0) continue;
    classes.add(classify({ ...served, source: servedSource }, other, dimension, servedPrice, price, pair, tiered ? threshold : undefined));
  }
  const [only] = classes;
  const consensus = judgeByConsensus([{ source: 'served', price: servedPrice }, ...priced.map(({ other, price }) => ({ source: other.source, price }))]);
  const cause = classes.size === 1 && only !== undefined && only !== 'unknown' ? only : undefined;
  return {
    provider: served.provider,
    model_id: served.model_id,
    dimension,
    served: { source: servedSource, price: servedPrice },
    sources: Object.fromEntries(priced.map(({ other, price }) => [other.source, { model_id: other.model_id, price }])),
    spread: spread === null ? null : formatDecimal(spread),
    class: cause ?? consensus.class ?? 'unknown',
    outliers: consensus.outliers,
  };
}

function classify(
  served: ServedModel, other: OtherModel, dimension: UnitId, servedPrice: string, otherPrice: string,
  pair: Decimal | null, threshold: number | undefined,
): DiscrepancyClass {
  if (threshold !== undefined && (!hasTierAt(served.list, dimension, threshold) || !hasTierAt(other.list, dimension, threshold))) {
    return 'missing_tier';
  }
  const superseded = new Set(other.superseded.flatMap((list) => {
    const price = threshold === undefined ? sheetPrices(list)[dimension] : priceAbove(list, dimension, threshold);
    return price === undefined || price === null ? [] : [price];
  }));
  if (served.earlier.get(dimension)?.has(otherPrice) || superseded.has(otherPrice) || superseded.has(servedPrice)) return 'stale';
  if (pair === null) return 'unknown';
  const otherDearer = compare(parseDecimal(otherPrice), parseDecimal(servedPrice)) > 0;
  const openRouterDearer = otherDearer ? other.source === OPENROUTER : served.source === OPENROUTER || served.provider === OPENROUTER;
  if (openRouterDearer && near(pair, MARKUP)) return 'markup';
  if (REGIONAL_ID.test(otherDearer ? other.model_id : served.model_id) && near(pair, REGIONAL)) return 'regional';
  return 'unknown';
}

const ONE = parseDecimal('1');

function near(value: Decimal, { ratio, tolerance }: { ratio: string; tolerance: string }): boolean {
  const gap = subtract(value, parseDecimal(ratio));
  const distance = isNegative(gap) ? subtract(ZERO, gap) : gap;
  return compare(distance, parseDecimal(tolerance)) <= 0;
}

/** Largest ÷ smallest, rounded half-up to SPREAD_PLACES; 1 when all are zero, null when only some are. */
export function spreadOf(values: readonly Decimal[]): Decimal | null {
  let low = values[0];
  let high = values[0];
  for (const value of values) {
    if (low === undefined || compare(value, low) < 0) low = value;
    if (high === undefined || compare(value, high) > 0) high = value;
  }
  if (low === undefined || high === undefined || high.coef === 0n) return ONE;
  if (low.coef === 0n) return null;
  // high / low = (hc / lc) × 10^(he − le); scaled by 10^places and rounded half-up.
  const k = high.exp - low.exp + SPREAD_PLACES;
  const numerator = high.coef * 10n ** BigInt(Math.max(0, k));
  const denominator = low.coef * 10n ** BigInt(Math.max(0, -k));
  const rounded = (2n * numerator + denominator) / (2n * denominator);
  return parseDecimal(formatDecimal({ coef: rounded, exp: -SPREAD_PLACES }));
}

/** Every long-context threshold any of the lists has, ascending. */
function thresholds(lists: readonly PriceList[]): number[] {
  return [...new Set(lists.flatMap((list) => list.tiers.map((tier) => tier.above_tokens)))].sort((a, b) => a - b);
}

/** The price of a dimension for a prompt just above `threshold`: the highest tier at or below it that sets it, else the base. */
function priceAbove(list: PriceList, dimension: UnitId, threshold: number): string | null {
  const tier = [...list.tiers].filter((t) => t.above_tokens <= threshold).sort((a, b) => b.above_tokens - a.above_tokens)[0];
  const prices: UnitPrices = tier ? sheetPrices(tier) : {};
  return prices[dimension] ?? sheetPrices(list)[dimension] ?? null;
}

function hasTierAt(list: PriceList, dimension: UnitId, threshold: number): boolean {
  return list.tiers.some((tier) => tier.above_tokens <= threshold && sheetPrices(tier)[dimension] !== undefined);
}
