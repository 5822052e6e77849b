// Price dimensions as the dashboard shows them, generic over the presented
// record: a record with a `prices` map (unit id → decimal USD) is shown as it
// is, so new units appear without code here; a record without one shows its
// six legacy fields under their unit ids, so history from before the map and
// after it lines up under the same names.

import { isUnitId, ORIGINAL_DIMENSIONS, UNIT_IDS, UNITS } from '@tariff/pricing';

/** The legacy API fields and the unit each one prices. */
export const LEGACY_FIELDS = ORIGINAL_DIMENSIONS.map((d) => [d.unit, d.answer] as const);

/** Display order: the unit registry's order; units it does not list follow alphabetically. */
const RANK = new Map<string, number>(UNIT_IDS.map((id, i) => [id, i]));

/** A record's priced dimensions, unit id → decimal string (null prices left out), in display order. */
export function dimensionsOf(record: object | null | undefined): Map<string, string> {
  const found = new Map<string, string>();
  if (!record) return found;
  const prices = (record as { prices?: unknown }).prices;
  if (prices !== null && typeof prices === 'object' && !Array.isArray(prices)) {
    for (const [unit, value] of Object.entries(prices)) if (typeof value === 'string') found.set(unit, value);
  } else {
    const fields = record as Record<string, unknown>;
    for (const [unit, field] of LEGACY_FIELDS) {
      const value = fields[field];
      if (typeof value === 'string') found.set(unit, value);
    }
  }
  return new Map(sortUnits([...found.keys()]).map((unit) => [unit, found.get(unit)!]));
}

export function sortUnits(units: Iterable<string>): string[] {
  const rank = (unit: string) => RANK.get(unit) ?? UNIT_IDS.length;
  return [...new Set(units)].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}

/** "cache_read_tokens" → "Cache read tokens". */
export function unitLabel(unit: string): string {
  const words = unit.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** What one unit of the dimension is priced per, as the unit registry says. */
export function perUnit(unit: string): string {
  return isUnitId(unit) ? UNITS[unit].per : unit.replace(/_/g, ' ');
}
