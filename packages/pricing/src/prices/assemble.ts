// One served record from several sources' records of the same model at the
// same provider. The primary source's record (the provider's configured
// source) is kept whole: every dimension it prices is served from it. Each
// dimension it leaves unpriced is filled from the other sources' records, the
// first of them (in the caller's order) that prices it; a later filler with
// another price for it is a disagreement, returned for the discrepancy report.
//
// What a filler may fill:
// - base dimensions, and any service tier's or speed mode's dimensions (a
//   service tier or speed mode the primary lacks is filled whole);
// - published multipliers (`multipliers.speed=fast`) the primary lacks;
// - long-context tier dimensions at thresholds the primary uses, or any
//   threshold when the primary has no long-context tiers at all: two sources'
//   thresholds are never mixed, which would make the filler's tier override
//   the primary's above it;
// - each of the primary's time-dependent variants takes the fills of the base
//   list, since a variant replaces the base list while it is in effect.
// Only priced records are completed: a free, dynamic or unpriced primary
// record says something about the whole model that a filler cannot undo.
import { compare, parseDecimal } from '../money/decimal.ts';
import { listPaths, multiplierPath, recordPaths } from './provenance.ts';
import { toSheet } from './sheet.ts';
import type { PriceList, PriceRecord, PriceTier, PriceVariant } from './types.ts';
import { isUnitId, SERVICE_TIERS, SPEED_MODES, type ServiceTier, type SpeedMode, type UnitPrices } from './units.ts';

export interface Filler {
  /** The source's name (sources/registry.ts). */
  source: string;
  record: PriceRecord;
}

/** Two fillers pricing a dimension the primary leaves unpriced differently. */
export interface FillDisagreement {
  model_id: string;
  /** The dimension's path (provenance.ts). */
  dimension: string;
  chosen: { source: string; model_id: string; price: string };
  other: { source: string; model_id: string; price: string };
}

export interface Assembled {
  record: PriceRecord;
  disagreements: FillDisagreement[];
}

type NamedTier = Exclude<ServiceTier, 'standard'>;
const NAMED_TIERS = SERVICE_TIERS.filter((name): name is NamedTier => name !== 'standard');
const NAMED_LISTS: ReadonlyArray<NamedTier | SpeedMode> = [...NAMED_TIERS, ...SPEED_MODES];

export function assemble(primary: PriceRecord, fillers: readonly Filler[]): Assembled {
  const disagreements: FillDisagreement[] = [];
  const usable = fillers.filter((filler) => filler.record.state === 'priced');
  if (primary.state !== 'priced' || usable.length === 0) return { record: primary, disagreements };
  const filledFrom: Record<string, string> = { ...primary.filled_from };

  const fillList = (own: PriceList | undefined, prefix: string, pick: (record: PriceRecord) => PriceList | undefined): PriceList | undefined => {
    const paths = own ? listPaths(own) : new Map<string, string>();
    const thresholds = new Set((own?.tiers ?? []).map((tier) => tier.above_tokens));
    const chosen = new Map<string, { source: string; model_id: string; price: string }>();
    for (const { source, record } of usable) {
      const list = pick(record);
      if (!list) continue;
      for (const [path, price] of listPaths(list)) {
        if (paths.has(path) || !fillable(path, thresholds)) continue;
        const first = chosen.get(path);
        if (!first) chosen.set(path, { source, model_id: record.model_id, price });
        else if (compare(parseDecimal(first.price), parseDecimal(price)) !== 0) {
          disagreements.push({ model_id: primary.model_id, dimension: prefix + path, chosen: first, other: { source, model_id: record.model_id, price } });
        }
      }
    }
    if (chosen.size === 0) return own;
    for (const [path, { source, price }] of chosen) {
      paths.set(path, price);
      filledFrom[prefix + path] = source;
    }
    return fromPaths(paths, own?.request ?? null);
  };

  const base = fillList(primary, '', (record) => record)!;
  const serviceTiers: Partial<Record<NamedTier, PriceList>> = {};
  for (const name of NAMED_TIERS) {
    const list = fillList(primary.service_tiers?.[name], `${name}.`, (record) => record.service_tiers?.[name]);
    if (list) serviceTiers[name] = list;
  }
  const speedModes: Partial<Record<SpeedMode, PriceList>> = {};
  for (const name of SPEED_MODES) {
    const list = fillList(primary.speed_modes?.[name], `${name}.`, (record) => record.speed_modes?.[name]);
    if (list) speedModes[name] = list;
  }
  const multipliers = { ...primary.multipliers };
  for (const { source, record } of usable) {
    for (const [key, factor] of Object.entries(record.multipliers ?? {})) {
      const first = multipliers[key];
      if (first === undefined) {
        multipliers[key] = factor;
        filledFrom[multiplierPath(key)] = source;
      } else if (compare(parseDecimal(first), parseDecimal(factor)) !== 0 && filledFrom[multiplierPath(key)] !== undefined) {
        const chosen = { source: filledFrom[multiplierPath(key)]!, model_id: primary.model_id, price: first };
        disagreements.push({ model_id: primary.model_id, dimension: multiplierPath(key), chosen, other: { source, model_id: record.model_id, price: factor } });
      }
    }
  }
  const variants = primary.variants?.map((variant, index): PriceVariant => {
    const fills = [...listPaths(base)].filter(([path]) => filledFrom[path] !== undefined);
    const own = listPaths(variant);
    let changed = false;
    for (const [path, price] of fills) {
      if (own.has(path) || !fillable(path, new Set(variant.tiers.map((tier) => tier.above_tokens)))) continue;
      own.set(path, price);
      filledFrom[`variants[${index}].${path}`] = filledFrom[path]!;
      changed = true;
    }
    if (!changed) return variant;
    const { from, window } = variant;
    return { ...fromPaths(own, variant.request), ...(from === undefined ? {} : { from }), ...(window === undefined ? {} : { window }) };
  });

  const record: PriceRecord = {
    ...primary,
    ...base,
    ...(Object.keys(serviceTiers).length > 0 ? { service_tiers: serviceTiers } : {}),
    ...(Object.keys(speedModes).length > 0 ? { speed_modes: speedModes } : {}),
    ...(Object.keys(multipliers).length > 0 ? { multipliers } : {}),
    ...(variants ? { variants } : {}),
  };
  if (Object.keys(filledFrom).length > 0) record.filled_from = filledFrom;
  return { record, disagreements };
}

/**
 * The dimensions of a stored record that `source` filled, as a record of that
 * source's: what a sync uses in place of the source when it cannot read it,
 * so an outage of a filling source changes no price. Null when it filled none.
 */
export function storedFills(stored: PriceRecord, source: string): PriceRecord | null {
  const paths = new Map([...recordPaths(stored)].filter(([path]) => stored.filled_from?.[path] === source));
  if (paths.size === 0) return null;
  const base = new Map<string, string>();
  const named = new Map<NamedTier | SpeedMode, Map<string, string>>();
  const multipliers: Record<string, string> = {};
  for (const [path, price] of paths) {
    const [head, ...rest] = path.split('.');
    const list = NAMED_LISTS.find((name) => name === head);
    if (head === 'multipliers') multipliers[rest.join('.')] = price;
    else if (list) {
      let prices = named.get(list);
      if (!prices) named.set(list, (prices = new Map()));
      prices.set(rest.join('.'), price);
    } else if (!path.startsWith('variants[')) base.set(path, price);
  }
  const listsOf = <N extends string>(names: readonly N[]) => {
    const lists = [...named].filter(([name]) => (names as readonly string[]).includes(name));
    return lists.length > 0 ? Object.fromEntries(lists.map(([name, prices]) => [name, fromPaths(prices, null)])) as Partial<Record<N, PriceList>> : undefined;
  };
  const serviceTiers = listsOf(NAMED_TIERS);
  const speedModes = listsOf(SPEED_MODES);
  return {
    model_id: stored.model_id, name: stored.name, state: 'priced', ...fromPaths(base, null),
    ...(serviceTiers ? { service_tiers: serviceTiers } : {}),
    ...(speedModes ? { speed_modes: speedModes } : {}),
    ...(Object.keys(multipliers).length > 0 ? { multipliers } : {}),
  };
}

const TIER_PATH = /^tier>(\d+)\.(.+)$/;

function fillable(path: string, thresholds: ReadonlySet<number>): boolean {
  const tier = TIER_PATH.exec(path);
  return tier === null || thresholds.size === 0 || thresholds.has(Number(tier[1]));
}

/** A price list from its paths (listPaths' inverse); `request` is the list's per-request fee, which listPaths names `requests`. */
function fromPaths(paths: ReadonlyMap<string, string>, request: string | null): PriceList {
  const base: UnitPrices = {};
  const tiers = new Map<number, UnitPrices>();
  for (const [path, price] of paths) {
    const tier = TIER_PATH.exec(path);
    const unit = tier ? tier[2]! : path;
    if (!isUnitId(unit)) continue;
    if (!tier) base[unit] = price;
    else {
      const above = Number(tier[1]);
      let prices = tiers.get(above);
      if (!prices) tiers.set(above, (prices = {}));
      prices[unit] = price;
    }
  }
  const sheet = toSheet(base);
  return {
    ...sheet,
    request: sheet.request ?? request,
    tiers: [...tiers].sort(([a], [b]) => a - b).map(([above, prices]): PriceTier => {
      const { request: _request, ...tierSheet } = toSheet(prices);
      return { above_tokens: above, ...tierSheet };
    }),
  };
}

