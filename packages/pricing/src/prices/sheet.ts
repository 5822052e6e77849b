// A price sheet seen as one map of unit id → price, whatever field holds it:
// the five original token fields and `request` by their units, the rest from
// `extra`. Diffs, guards, quotes, presentation and cross-source comparison all
// read prices through here, so a new dimension needs no code beyond units.ts.
import type { ExtraPrices, PriceSheet } from './types.ts';
import { isUnitId, LEGACY_UNIT, ORIGINAL_DIMENSIONS, UNITS, type OriginalField, type UnitId, type UnitPrices } from './units.ts';

const ORIGINAL_UNITS = new Set<UnitId>(ORIGINAL_DIMENSIONS.map((d) => d.unit));

type Sheet = PriceSheet & { request?: string | null };

/** Every priced dimension of a sheet, by unit id, in units.ts order. */
export function sheetPrices(sheet: Sheet): UnitPrices {
  const prices: UnitPrices = {};
  for (const [field, unit] of Object.entries(LEGACY_UNIT) as Array<[keyof typeof LEGACY_UNIT, UnitId]>) {
    const value = sheet[field];
    if (value !== null && value !== undefined) prices[unit] = value;
  }
  if (sheet.extra) {
    for (const [unit, value] of Object.entries(sheet.extra)) if (value !== undefined) prices[unit as UnitId] = value;
  }
  return prices;
}

/** A sheet from a map of unit prices: legacy units into their fields, the rest into `extra` (absent when empty). */
export function toSheet(prices: UnitPrices): PriceSheet & { request: string | null } {
  const extra: ExtraPrices = {};
  for (const [unit, value] of Object.entries(prices)) {
    if (!isUnitId(unit) || value === undefined || ORIGINAL_UNITS.has(unit)) continue;
    extra[unit as keyof ExtraPrices] = value;
  }
  const sheet = Object.fromEntries(ORIGINAL_DIMENSIONS.map((d) => [d.field, prices[d.unit] ?? null])) as Record<OriginalField, string | null>;
  return { ...sheet, ...(Object.keys(extra).length > 0 ? { extra: sortedExtra(extra) } : {}) };
}

/** `extra` with its keys in units.ts order, so equal prices serialise equally. */
export function sortedExtra(extra: ExtraPrices): ExtraPrices {
  const sorted: ExtraPrices = {};
  for (const unit of Object.keys(UNITS) as UnitId[]) {
    const value = extra[unit as keyof ExtraPrices];
    if (value !== undefined) sorted[unit as keyof ExtraPrices] = value;
  }
  return sorted;
}
