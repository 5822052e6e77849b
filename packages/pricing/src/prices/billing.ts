// The price an entry bills each usage bucket at, per service tier and
// long-context tier, with the fallbacks and inherited modalities applied (the
// rules are at the top of quote.ts): parsed once per served entry object, as
// coefficients at one common exponent so that a quote's sums are integer additions.
import { formatDecimal, parseDecimal, type Decimal } from '../money/decimal.ts';
import type { CatalogEntry } from '../catalog/types.ts';
import { sheetPrices, toSheet } from './sheet.ts';
import type { PriceList } from './types.ts';
import { parentOf, UNIT_IDS, UNITS, type ServiceTier, type UnitId, type UnitPrices } from './units.ts';

/** One applied price: its canonical text and its coefficient at the entry's common cost exponent. */
export interface ParsedPrice {
  readonly text: string;
  readonly coef: bigint;
  readonly unit: UnitId;
}

/** One price list, parsed: per unit, the price a bucket bills at (fallbacks applied), by long-context tier. */
export interface ParsedList {
  /** By unit index (UNIT_IDS order). */
  readonly base: ReadonlyArray<ParsedPrice | undefined>;
  /** Highest threshold first. */
  readonly tiers: readonly { readonly above: number; readonly prices: ReadonlyArray<ParsedPrice | undefined> }[];
  /** Units this list leaves to the standard list (service tiers only). */
  readonly fallback: UnitId[];
}

export interface ParsedEntry {
  /** Every cost of this entry is coef × 10^exp with this one exp, so sums are plain integer additions. */
  readonly exp: number;
  readonly lists: ReadonlyMap<ServiceTier, ParsedList>;
}

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

/** A price as read, with the exponent of the cost it yields. */
interface Raw {
  readonly text: string;
  readonly d: Decimal;
  readonly costExp: number;
  readonly unit: UnitId;
}

type RawMap = Map<UnitId, Raw>;

function parseEntry(entry: CatalogEntry): ParsedEntry {
  const inherits = new Set(entry.inherits ?? []);
  const rawLists = new Map<ServiceTier, { base: RawMap; tiers: Array<{ above: number; prices: RawMap }>; fallback: UnitId[] }>();
  rawLists.set('standard', rawList(entry, inherits));
  for (const [name, list] of Object.entries(entry.service_tiers ?? {}) as Array<[Exclude<ServiceTier, 'standard'>, PriceList]>) {
    rawLists.set(name, rawList(serviceTierList(list, entry), inherits));
  }

  let exp = 0;
  for (const list of rawLists.values()) {
    for (const map of [list.base, ...list.tiers.map((t) => t.prices)]) for (const raw of map.values()) exp = Math.min(exp, raw.costExp);
  }
  const scale = (map: RawMap): Array<ParsedPrice | undefined> => UNIT_IDS.map((unit) => {
    const raw = map.get(unit);
    if (!raw) return undefined;
    const coef = raw.d.coef * 10n ** BigInt(raw.costExp - exp);
    return { text: raw.text, unit: raw.unit, coef };
  });
  const lists = new Map<ServiceTier, ParsedList>();
  for (const [name, list] of rawLists) {
    lists.set(name, {
      base: scale(list.base),
      tiers: list.tiers.map((t) => ({ above: t.above, prices: scale(t.prices) })).sort((a, b) => b.above - a.above),
      fallback: list.fallback,
    });
  }
  return { exp, lists };
}

/**
 * A service tier's list, completed from the standard list: each dimension the
 * tier leaves unpriced takes its standard price, and the tier's long-context
 * prices are the standard ones when it lists none of its own.
 */
function serviceTierList(list: PriceList, standard: PriceList): PriceList & { fallback: UnitId[] } {
  const own = sheetPrices(list);
  const merged: UnitPrices = { ...sheetPrices(standard), ...own };
  const fallback = (Object.keys(merged) as UnitId[]).filter((unit) => own[unit] === undefined);
  return { ...toSheet(merged), tiers: list.tiers.length > 0 ? list.tiers : standard.tiers, fallback };
}

/** Per unit, the price each bucket bills at, for the base list and each long-context tier (tier dimensions over base). */
function rawList(list: PriceList & { fallback?: UnitId[] }, inherits: ReadonlySet<UnitId>) {
  const base = sheetPrices(list);
  return {
    base: applied(base, inherits),
    tiers: list.tiers.map((tier) => ({ above: tier.above_tokens, prices: applied({ ...base, ...sheetPrices(tier) }, inherits) })),
    fallback: list.fallback ?? [],
  };
}

/** The price each bucket bills at under the rules above, read once per list. */
function applied(prices: UnitPrices, inherits: ReadonlySet<UnitId>): RawMap {
  const read = new Map<UnitId, Raw>();
  for (const unit of UNIT_IDS) {
    const text = prices[unit];
    if (text !== undefined) read.set(unit, readPrice(text, unit));
  }
  const resolved: RawMap = new Map(read);
  for (const unit of UNIT_IDS) {
    if (resolved.has(unit)) continue;
    const fallback = FALLBACK[unit];
    let price = fallback ? read.get(fallback) : undefined;
    if (!price && inherits.has(unit)) {
      for (let parent = parentOf(unit); parent !== null && !price; parent = parentOf(parent)) price = read.get(parent);
    }
    if (price) resolved.set(unit, price);
  }
  return resolved;
}

function readPrice(text: string, unit: UnitId): Raw {
  const d = parseDecimal(text);
  if (d.coef < 0n) throw new RangeError(`negative price ${text}`);
  return { text: formatDecimal(d), d, costExp: d.exp - UNITS[unit].scale, unit };
}
