// Compares a provider's stored prices with what its source reports now.
import { sheetPrices, sortedExtra } from './sheet.ts';
import type { PriceList, PriceOrigin, PriceRecord, PriceSheet, PriceTier, PriceVariant } from './types.ts';
import { namedLists } from './provenance.ts';
import { LEGACY_UNIT, ORIGINAL_DIMENSIONS, SERVICE_TIERS, SPEED_MODES, UNIT_IDS, UNITS, type UnitId } from './units.ts';

/** A stored synced price (model_prices row), decimals canonical. */
export interface StoredPrice extends PriceRecord {
  source: PriceOrigin;
  removed_at: string | null;
}

/** The price part of a record, as kept in history (decimal strings). */
export type Price = Pick<PriceRecord, 'state' | 'input' | 'output' | 'cache_read' | 'cache_write' | 'reasoning' | 'request' | 'tiers'
  | 'extra' | 'service_tiers' | 'speed_modes' | 'multipliers' | 'unsupported' | 'variants' | 'filled_from'>;

/** What model_prices.dimensions holds: everything beyond the six price columns and tiers, empty parts left out. */
export type Dimensions = Pick<PriceRecord, 'extra' | 'service_tiers' | 'speed_modes' | 'multipliers' | 'unsupported' | 'variants' | 'filled_from'
  | 'match' | 'match_index'>;

export type ChangeKind = 'added' | 'updated' | 'removed' | 'restored';

export interface PriceChange {
  model_id: string;
  change: ChangeKind;
  old_price: Price | null;
  new_price: Price | null;
}

export interface PriceDiff {
  /** Records to write: added, updated, restored, or with only their name or source changed. */
  writes: PriceRecord[];
  /** Price changes, one per model, as history records them. */
  changes: PriceChange[];
  removed: string[];
  unchanged: number;
  added: number;
  updated: number;
}

/**
 * The price of a record in one canonical form: fixed key order, units in
 * units.ts order, empty parts left out. Equal prices serialise equally, and a
 * record without the newer dimensions looks exactly as it did before them.
 */
export function priceOf(record: Price): Price {
  const { service_tiers: serviceTiers, speed_modes: speedModes, multipliers, unsupported, variants, filled_from: filledFrom } = record;
  return {
    state: record.state,
    ...sheetOf(record),
    request: record.request,
    tiers: record.tiers.map(tierOf),
    ...(serviceTiers && Object.keys(serviceTiers).length > 0 ? { service_tiers: serviceTiersOf(serviceTiers) } : {}),
    ...(speedModes && Object.keys(speedModes).length > 0 ? { speed_modes: speedModesOf(speedModes) } : {}),
    ...(multipliers && Object.keys(multipliers).length > 0 ? { multipliers: sortedKeys(multipliers) } : {}),
    ...(unsupported && unsupported.length > 0
      ? { unsupported: [...unsupported].sort((a, b) => (a.field < b.field ? -1 : a.field > b.field ? 1 : 0)).map(({ field, value }) => ({ field, value })) }
      : {}),
    ...(variants && variants.length > 0 ? { variants: variants.map(variantOf) } : {}),
    ...(filledFrom && Object.keys(filledFrom).length > 0 ? { filled_from: sortedKeys(filledFrom) } : {}),
  };
}

function sortedKeys(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** The dimensions document of a record, for model_prices.dimensions. */
export function dimensionsOf(record: Price & Pick<PriceRecord, 'match' | 'match_index'>): Dimensions {
  const { extra, service_tiers, speed_modes, multipliers, unsupported, variants, filled_from } = priceOf(record);
  return {
    ...(extra ? { extra } : {}),
    ...(service_tiers ? { service_tiers } : {}),
    ...(speed_modes ? { speed_modes } : {}),
    ...(multipliers ? { multipliers } : {}),
    ...(unsupported ? { unsupported } : {}),
    ...(variants ? { variants } : {}),
    ...(filled_from ? { filled_from } : {}),
    ...(record.match ? { match: record.match } : {}),
    ...(record.match_index !== undefined ? { match_index: record.match_index } : {}),
  };
}

function sheetOf(sheet: PriceSheet): PriceSheet {
  const { input, output, cache_read, cache_write, reasoning, extra } = sheet;
  return {
    input, output, cache_read, cache_write, reasoning,
    ...(extra && Object.keys(extra).length > 0 ? { extra: sortedExtra(extra) } : {}),
  };
}

function tierOf(tier: PriceTier): PriceTier {
  return { above_tokens: tier.above_tokens, ...sheetOf(tier) };
}

function listOf(list: PriceList): PriceList {
  return { ...sheetOf(list), request: list.request, tiers: list.tiers.map(tierOf) };
}

function serviceTiersOf(tiers: NonNullable<PriceRecord['service_tiers']>): NonNullable<PriceRecord['service_tiers']> {
  const sorted: NonNullable<PriceRecord['service_tiers']> = {};
  for (const name of SERVICE_TIERS) {
    const list = name === 'standard' ? undefined : tiers[name];
    if (list) sorted[name as Exclude<typeof name, 'standard'>] = listOf(list);
  }
  return sorted;
}

function speedModesOf(modes: NonNullable<PriceRecord['speed_modes']>): NonNullable<PriceRecord['speed_modes']> {
  const sorted: NonNullable<PriceRecord['speed_modes']> = {};
  for (const name of SPEED_MODES) {
    const list = modes[name];
    if (list) sorted[name] = listOf(list);
  }
  return sorted;
}

function variantOf(variant: PriceVariant): PriceVariant {
  return {
    ...(variant.from === undefined ? {} : { from: variant.from }),
    ...(variant.window === undefined ? {} : { window: { start: variant.window.start, end: variant.window.end } }),
    ...listOf(variant),
  };
}

/** Decimals are canonical strings on both sides, so equal prices have equal keys. */
export function samePrice(a: Price, b: Price): boolean {
  return JSON.stringify(priceOf(a)) === JSON.stringify(priceOf(b));
}

/**
 * The diff of a provider's stored prices against a source's full list.
 * `keep` names models the source listed but could not parse: they are neither
 * updated nor removed.
 */
export function diffPrices(
  stored: ReadonlyMap<string, StoredPrice>,
  incoming: readonly PriceRecord[],
  source: PriceOrigin,
  keep: ReadonlySet<string> = new Set(),
): PriceDiff {
  const diff: PriceDiff = { writes: [], changes: [], removed: [], unchanged: 0, added: 0, updated: 0 };
  const seen = new Set<string>();
  for (const record of incoming) {
    seen.add(record.model_id);
    const current = stored.get(record.model_id);
    if (!current) {
      diff.added += 1;
      diff.writes.push(record);
      diff.changes.push({ model_id: record.model_id, change: 'added', old_price: null, new_price: priceOf(record) });
    } else if (current.removed_at !== null) {
      diff.added += 1;
      diff.writes.push(record);
      diff.changes.push({ model_id: record.model_id, change: 'restored', old_price: null, new_price: priceOf(record) });
    } else if (!samePrice(current, record)) {
      diff.updated += 1;
      diff.writes.push(record);
      diff.changes.push({ model_id: record.model_id, change: 'updated', old_price: priceOf(current), new_price: priceOf(record) });
    } else {
      diff.unchanged += 1;
      // Not price changes, but stored: the name, the source, the source's id-matching rule.
      if (current.name !== record.name || current.source !== source || current.match_index !== record.match_index
        || JSON.stringify(current.match) !== JSON.stringify(record.match)) {
        diff.writes.push(record);
      }
    }
  }
  for (const [modelId, current] of stored) {
    if (current.removed_at === null && !seen.has(modelId) && !keep.has(modelId)) {
      diff.removed.push(modelId);
      diff.changes.push({ model_id: modelId, change: 'removed', old_price: priceOf(current), new_price: null });
    }
  }
  return diff;
}

export interface PriceMove {
  model_id: string;
  field: string;
  old: string;
  new: string;
  /** max(new/old, old/new): 10 means ten times dearer or cheaper. */
  factor: number;
}

/**
 * Every non-zero price that changed, in every dimension (units.ts): the base
 * prices, each long-context tier (matched by threshold) and each service tier.
 * Largest move first.
 */
export function priceMoves(changes: readonly PriceChange[]): PriceMove[] {
  const moves: PriceMove[] = [];
  for (const { model_id, old_price, new_price } of changes) {
    if (!old_price || !new_price) continue;
    for (const [prefix, before, after] of comparableLists(old_price, new_price)) {
      const a = sheetPrices(before);
      const b = sheetPrices(after);
      for (const unit of UNIT_IDS) {
        const x = a[unit as UnitId];
        const y = b[unit as UnitId];
        if (x === undefined || y === undefined || x === y) continue;
        // A ratio for ordering, never money: binary floats are fine here (the guard compares exactly).
        const nx = Number(x);
        const ny = Number(y);
        if (nx === 0 || ny === 0) continue;
        moves.push({ model_id, field: prefix + fieldName(unit), old: x, new: y, factor: Math.max(nx / ny, ny / nx) });
      }
    }
  }
  return moves.sort((m, n) => n.factor - m.factor);
}

type Comparable = PriceSheet & { request?: string | null };

/** The pairs of price sheets a move is measured between, each with a prefix naming where it is. */
function comparableLists(before: Price, after: Price): Array<[string, Comparable, Comparable]> {
  const pairs: Array<[string, Comparable, Comparable]> = [];
  const lists = (prefix: string, a: PriceList, b: PriceList) => {
    pairs.push([prefix, a, b]);
    for (const tier of b.tiers) {
      const match = a.tiers.find((t) => t.above_tokens === tier.above_tokens);
      if (match) pairs.push([`${prefix}tier>${tier.above_tokens}.`, match, tier]);
    }
  };
  lists('', before, after);
  const earlier = new Map(namedLists(before));
  for (const [name, b] of namedLists(after)) {
    const a = earlier.get(name);
    if (a) lists(`${name}.`, a, b);
  }
  return pairs;
}

/** The original dimensions keep the field names guard messages always used (input, cache_read, request). */
function fieldName(unit: UnitId): string {
  return ORIGINAL_FIELD.get(unit) ?? unit;
}

const ORIGINAL_FIELD = new Map<UnitId, string>(ORIGINAL_DIMENSIONS.map((d) => [d.unit, d.field]));

/**
 * A price as a flat map of dimension → price: the state, every priced unit of
 * the base list (the original six under their original field names), of each
 * long-context tier (`tier>200000.input`) and of each service tier
 * (`batch.input`, `batch.tier>200000.input`). What a price change is, dimension
 * by dimension, for webhooks and people.
 */
export function priceDimensions(price: Price | null): Map<string, string> {
  const dimensions = new Map<string, string>();
  if (!price) return dimensions;
  dimensions.set('state', price.state);
  const list = (prefix: string, prices: PriceList) => {
    for (const [unit, value] of Object.entries(sheetPrices(prices)) as Array<[UnitId, string]>) dimensions.set(prefix + fieldName(unit), value);
    for (const tier of prices.tiers) {
      for (const [unit, value] of Object.entries(sheetPrices(tier)) as Array<[UnitId, string]>) {
        dimensions.set(`${prefix}tier>${tier.above_tokens}.${fieldName(unit)}`, value);
      }
    }
  };
  list('', price);
  for (const [name, named] of namedLists(price)) list(`${name}.`, named);
  for (const [key, factor] of Object.entries(price.multipliers ?? {})) dimensions.set(`multipliers.${key}`, factor);
  return dimensions;
}

/** A priceDimensions key (`batch.tier>200000.input`) as its provenance path (`batch.tier>200000.input_tokens`). */
export function dimensionPath(key: string): string {
  const dot = key.lastIndexOf('.');
  const field = key.slice(dot + 1);
  return key.slice(0, dot + 1) + ((LEGACY_UNIT as Record<string, string>)[field] ?? field);
}
