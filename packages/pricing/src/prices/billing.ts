// The price an entry bills each usage bucket at, per service tier and
// long-context tier, with the fallbacks and text-rate rules applied (the
// rules are at the top of quote.ts): parsed once per served entry object, as
// coefficients at one common exponent so that a quote's sums are integer additions.
import { formatDecimal, parseDecimal, type Decimal } from '../money/decimal.ts';
import type { CatalogEntry } from '../catalog/types.ts';
import { sheetPrices } from './sheet.ts';
import { textRateRules, type TextRateRule } from './text_rate.ts';
import type { PriceList } from './types.ts';
import { UNIT_IDS, UNITS, type ServiceTier, type UnitId, type UnitPrices } from './units.ts';

/** One applied price: its canonical text and its coefficient at the entry's common cost exponent. */
export interface ParsedPrice {
  readonly text: string;
  readonly coef: bigint;
  /** The coefficient as a number when it is a safe integer, else NaN: quote() multiplies in doubles while products stay exact. */
  readonly small: number;
  readonly unit: UnitId;
  /** The source of the price (provenance.ts): the one that filled its dimension, else the entry's. */
  readonly source: string;
}

/** One price list, parsed: per unit, the price a bucket bills at (fallbacks applied), by long-context tier. */
export interface ParsedList {
  /** By unit index (UNIT_IDS order). */
  readonly base: ReadonlyArray<ParsedPrice | undefined>;
  /** Highest threshold first. */
  readonly tiers: readonly { readonly above: number; readonly prices: ReadonlyArray<ParsedPrice | undefined> }[];
  /** Units this list leaves to the standard list (service tiers only). */
  readonly fallback: UnitId[];
  /**
   * A service tier without long-context prices of its own, for a model whose
   * standard list has them: the lowest standard threshold, above which the
   * tier's price is unknown (never the standard long-context price). Null otherwise.
   */
  readonly unpricedAbove: number | null;
}

export interface ParsedEntry {
  /** Every cost of this entry is coef × 10^exp with this one exp, so sums are plain integer additions. */
  readonly exp: number;
  readonly lists: ReadonlyMap<ServiceTier, ParsedList>;
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

// Served entries are never mutated (a new catalog version brings new objects), so a parse is kept per object.
const parsedCache = new WeakMap<CatalogEntry, ParsedEntry>();
/** Buckets billed at another bucket's price when they have none: tariff's original fallbacks. */
const FALLBACK: Readonly<Partial<Record<UnitId, UnitId>>> = {
  cache_read_tokens: 'input_tokens', cache_write_tokens: 'input_tokens', reasoning_tokens: 'output_tokens',
};

export function parsedEntry(entry: CatalogEntry): ParsedEntry {
  let parsed = parsedCache.get(entry);
  if (!parsed) {
    parsed = parseEntry(entry);
    parsedCache.set(entry, parsed);
  }
  return parsed;
}

/** A price as read, with the exponent of the cost it yields and the dimension (provenance.ts path) it is. */
interface Raw {
  readonly text: string;
  readonly d: Decimal;
  readonly costExp: number;
  readonly unit: UnitId;
  readonly path: string;
  /** The text-rate rule (text_rate.ts) that bills this bucket at its `unit`'s price. */
  readonly rule?: string;
}

type RawMap = Map<UnitId, Raw>;
type Rules = ReadonlyMap<UnitId, TextRateRule>;
/** A list's own prices by unit, each with its path. */
type Sourced = Map<UnitId, { text: string; path: string }>;

function parseEntry(entry: CatalogEntry): ParsedEntry {
  const rules = textRateRules(entry.provider);
  const rawLists = new Map<ServiceTier, ReturnType<typeof rawList>>();
  const standard = listOf(entry, '');
  rawLists.set('standard', rawList(standard, rules));
  for (const [name, list] of Object.entries(entry.service_tiers ?? {}) as Array<[Exclude<ServiceTier, 'standard'>, PriceList]>) {
    rawLists.set(name, rawList(serviceTierList(listOf(list, `${name}.`), standard), rules));
  }

  let exp = 0;
  for (const list of rawLists.values()) {
    for (const map of [list.base, ...list.tiers.map((t) => t.prices)]) for (const raw of map.values()) exp = Math.min(exp, raw.costExp);
  }
  const scale = (map: RawMap): Array<ParsedPrice | undefined> => UNIT_IDS.map((unit) => {
    const raw = map.get(unit);
    if (!raw) return undefined;
    const coef = raw.d.coef * 10n ** BigInt(raw.costExp - exp);
    return { text: raw.text, unit: raw.unit, coef, small: coef <= MAX_SAFE ? Number(coef) : NaN, source: raw.rule !== undefined ? `rule:${raw.rule}` : entry.filled_from?.[raw.path] ?? entry.source };
  });
  const lists = new Map<ServiceTier, ParsedList>();
  for (const [name, list] of rawLists) {
    lists.set(name, {
      base: scale(list.base),
      tiers: list.tiers.map((t) => ({ above: t.above, prices: scale(t.prices) })).sort((a, b) => b.above - a.above),
      fallback: list.fallback,
      unpricedAbove: list.unpricedAbove,
    });
  }
  return { exp, lists };
}

/** A list's prices with their paths: its base prices, and each long-context tier's. */
interface PathList {
  base: Sourced;
  tiers: Array<{ above: number; prices: Sourced }>;
  fallback?: UnitId[];
  unpricedAbove?: number | null;
}

function listOf(list: PriceList, prefix: string): PathList {
  const sourced = (prices: UnitPrices, at: string): Sourced =>
    new Map((Object.entries(prices) as Array<[UnitId, string]>).map(([unit, text]) => [unit, { text, path: at + unit }]));
  return {
    base: sourced(sheetPrices(list), prefix),
    tiers: list.tiers.map((tier) => ({ above: tier.above_tokens, prices: sourced(sheetPrices(tier), `${prefix}tier>${tier.above_tokens}.`) })),
  };
}

/**
 * A service tier's list, completed from the standard list: each dimension the
 * tier leaves unpriced takes its standard price, but reasoning, which is
 * output, where the tier prices output: it then bills at the tier's own output
 * price (the reasoning → output fallback, FALLBACK), as the providers bill
 * thinking tokens ("output price, including thinking tokens"), never at the
 * standard reasoning price. Its long-context prices are its own: a tier that
 * lists none, for a model whose standard prices change with the prompt size,
 * has no price above the standard threshold.
 */
function serviceTierList(list: PathList, standard: PathList): PathList {
  const inherited = [...standard.base].filter(([unit]) => !(unit === 'reasoning_tokens' && list.base.has('output_tokens')));
  const base: Sourced = new Map([...inherited, ...list.base]);
  const fallback = [...base.keys()].filter((unit) => !list.base.has(unit));
  const unpricedAbove = list.tiers.length === 0 && standard.tiers.length > 0 ? Math.min(...standard.tiers.map((t) => t.above)) : null;
  return { base, tiers: list.tiers, fallback, unpricedAbove };
}

/** Per unit, the price each bucket bills at, for the base list and each long-context tier (tier dimensions over base). */
function rawList(list: PathList, rules: Rules) {
  return {
    base: applied(list.base, rules),
    tiers: list.tiers.map((tier) => ({ above: tier.above, prices: applied(new Map([...list.base, ...tier.prices]), rules) })),
    fallback: list.fallback ?? [],
    unpricedAbove: list.unpricedAbove ?? null,
  };
}

/** The price each bucket bills at under the rules above, read once per list. */
function applied(prices: Sourced, rules: Rules): RawMap {
  const read = new Map<UnitId, Raw>();
  for (const unit of UNIT_IDS) {
    const price = prices.get(unit);
    if (price !== undefined) read.set(unit, readPrice(price.text, unit, price.path));
  }
  const resolved: RawMap = new Map(read);
  for (const unit of UNIT_IDS) {
    if (resolved.has(unit)) continue;
    const fallback = FALLBACK[unit];
    const price = fallback ? read.get(fallback) : undefined;
    if (price) {
      resolved.set(unit, price);
      continue;
    }
    const rule = rules.get(unit);
    const text = rule ? read.get(rule.priced_as) : undefined;
    if (rule && text) resolved.set(unit, { ...text, rule: rule.id });
  }
  return resolved;
}

function readPrice(text: string, unit: UnitId, path: string): Raw {
  const d = parseDecimal(text);
  if (d.coef < 0n) throw new RangeError(`negative price ${text}`);
  return { text: formatDecimal(d), d, costExp: d.exp - UNITS[unit].scale, unit, path };
}
