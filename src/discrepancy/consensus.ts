// Classifying a disagreement by consensus and by the shape of the odd price,
// where no structural cause (markup, regional, stale, missing tier) explains it:
//   - zero_price: a price of zero where other sources charge;
//   - unit_slip: one price is ×1,000 or ×1,000,000 the others (per-token vs
//     per-1K or per-1M written in the wrong unit);
//   - outlier_served / outlier_other: two or more prices agree, more than any
//     other group of agreeing prices, and the rest differ; tariff's served
//     price is among the odd ones, or only other sources' prices are.
// Prices "agree" when they are within AGREE of the group's lowest (0.0509 and 0.051).
import { compare, type Decimal, multiply, parseDecimal, ZERO } from '@tariff/pricing';

/** Largest ÷ smallest at most this: the same price, written with more or fewer digits. */
const AGREE = parseDecimal('1.02');
/** How far a unit slip's ratio may be from ×1,000 or ×1,000,000. */
const SLIPS = ['1000', '1000000'].map((factor) => ({
  low: multiply(parseDecimal(factor), parseDecimal('0.98')), high: multiply(parseDecimal(factor), parseDecimal('1.02')),
}));

export interface Priced {
  /** `served` for tariff's price, else the source's name. */
  source: string;
  price: string;
}

export interface Consensus {
  class: 'zero_price' | 'unit_slip' | 'outlier_served' | 'outlier_other' | null;
  /** The sources whose prices differ from the consensus (`served`: tariff's), empty without one. */
  outliers: string[];
}

export function judgeByConsensus(prices: readonly Priced[]): Consensus {
  const values = prices.map((p) => ({ ...p, value: parseDecimal(p.price) }));
  const outliers = outsideConsensus(values);
  const zeros = values.filter((v) => v.value.coef === 0n);
  if (zeros.length > 0 && zeros.length < values.length) return { class: 'zero_price', outliers };
  if (outliers.length === 0) return { class: null, outliers };
  const agreed = values.find((v) => !outliers.includes(v.source))!;
  const odd = values.filter((v) => outliers.includes(v.source));
  if (odd.length === 1 && (isSlip(odd[0]!.value, agreed.value) || isSlip(agreed.value, odd[0]!.value))) return { class: 'unit_slip', outliers };
  return { class: outliers.includes('served') ? 'outlier_served' : 'outlier_other', outliers };
}

/**
 * The sources outside the largest group of two or more agreeing prices, when
 * that group is larger than every other group; empty otherwise (a tie, or no two agree).
 */
function outsideConsensus(values: ReadonlyArray<Priced & { value: Decimal }>): string[] {
  const sorted = [...values].sort((a, b) => compare(a.value, b.value));
  const groups: Array<typeof sorted> = [];
  for (const value of sorted) {
    const last = groups.at(-1);
    if (last && agree(last[0]!.value, value.value)) last.push(value);
    else groups.push([value]);
  }
  const [largest, second] = [...groups].sort((a, b) => b.length - a.length);
  if (!largest || largest.length < 2 || (second && second.length >= largest.length)) return [];
  return values.filter((v) => !largest.includes(v)).map((v) => v.source);
}

function agree(a: Decimal, b: Decimal): boolean {
  if (a.coef === 0n || b.coef === 0n) return a.coef === b.coef;
  const [low, high] = compare(a, b) <= 0 ? [a, b] : [b, a];
  return compare(high, multiply(low, AGREE)) <= 0;
}

/** high ÷ low within 2% of 1,000 or 1,000,000. */
function isSlip(high: Decimal, low: Decimal): boolean {
  if (compare(low, ZERO) <= 0) return false;
  return SLIPS.some(({ low: from, high: to }) => compare(high, multiply(low, from)) >= 0 && compare(high, multiply(low, to)) <= 0);
}
