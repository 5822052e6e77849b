// Where each served price came from. A record is assembled from its
// provider's primary source and, for the dimensions that source leaves
// unpriced, from other sources (assemble.ts); `filled_from` names those
// others, and every other priced dimension is the primary's (or the
// operator's, for an override).
//
// A dimension is named by a path of unit ids: `input_tokens` for the base
// list, `tier>200000.input_tokens` above a long-context threshold,
// `batch.input_tokens` and `batch.tier>200000.input_tokens` in a service tier,
// `variants[0].input_tokens` in a time-dependent variant, `fast.input_tokens`
// in a speed mode's list, and `multipliers.speed=fast` for a multiplier a
// source publishes (types.ts PriceRecord.multipliers).
import { sheetPrices } from './sheet.ts';
import type { PriceList, PriceRecord } from './types.ts';
import { textRateRules } from './text_rate.ts';
import { SERVICE_TIERS, SPEED_MODES, type UnitId } from './units.ts';

type Named = Pick<PriceRecord, 'service_tiers' | 'speed_modes'>;

/** A record's named price lists (service tiers, then speed modes), each with its name, the prefix of its paths. */
export function namedLists(record: Named): Array<[string, PriceList]> {
  const lists: Array<[string, PriceList]> = [];
  for (const name of SERVICE_TIERS) {
    const list = name === 'standard' ? undefined : record.service_tiers?.[name];
    if (list) lists.push([name, list]);
  }
  for (const name of SPEED_MODES) {
    const list = record.speed_modes?.[name];
    if (list) lists.push([name, list]);
  }
  return lists;
}

/** The provenance path of a published multiplier. */
export const multiplierPath = (key: string) => `multipliers.${key}`;

/** Every priced dimension of a list, by path, under `prefix`. */
export function listPaths(list: PriceList, prefix = ''): Map<string, string> {
  const paths = new Map<string, string>();
  for (const [unit, price] of Object.entries(sheetPrices(list)) as Array<[UnitId, string]>) paths.set(prefix + unit, price);
  for (const tier of list.tiers) {
    for (const [unit, price] of Object.entries(sheetPrices(tier)) as Array<[UnitId, string]>) {
      paths.set(`${prefix}tier>${tier.above_tokens}.${unit}`, price);
    }
  }
  return paths;
}

/** Every priced dimension of a record, by path: base list, service tiers, speed modes, variants, published multipliers. */
export function recordPaths(record: Pick<PriceRecord, 'service_tiers' | 'speed_modes' | 'variants' | 'multipliers'> & PriceList): Map<string, string> {
  const paths = listPaths(record);
  for (const [name, list] of namedLists(record)) {
    for (const [path, price] of listPaths(list, `${name}.`)) paths.set(path, price);
  }
  for (const [key, factor] of Object.entries(record.multipliers ?? {})) paths.set(multiplierPath(key), factor);
  (record.variants ?? []).forEach((variant, index) => {
    for (const [path, price] of listPaths(variant, `variants[${index}].`)) paths.set(path, price);
  });
  return paths;
}

/**
 * The source of every priced dimension of a served record: the source that
 * filled it, else `source` (the provider's primary source, `manual`, …); and
 * each base dimension that a text-rate rule of the provider prices, as
 * `rule:<id>` (text_rate.ts).
 */
export function priceSources(
  record: Pick<PriceRecord, 'service_tiers' | 'speed_modes' | 'variants' | 'multipliers' | 'filled_from'> & PriceList, source: string, provider?: string,
): Record<string, string> {
  const sources: Record<string, string> = {};
  const paths = recordPaths(record);
  for (const path of paths.keys()) sources[path] = record.filled_from?.[path] ?? source;
  for (const [unit, rule] of provider === undefined ? [] : textRateRules(provider)) {
    if (!paths.has(unit) && paths.has(rule.priced_as)) sources[unit] = `rule:${rule.id}`;
  }
  return sources;
}
