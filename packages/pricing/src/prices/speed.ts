// A call that ran at a speed mode a source publishes a price list for
// (models.dev experimental.modes.fast) is billed from that list alone.
//
// Anthropic's fast mode is a premium on every token price: "Fast mode pricing
// stacks with other pricing modifiers": prompt caching multipliers and data
// residency apply on top of the fast prices, so a cache read or write costs
// its fast price, never its standard one.
// https://platform.claude.com/docs/en/build-with-claude/fast-mode#pricing
// Its prices are per token: per-call and per-unit fees (web searches,
// requests, images) are not fast-mode prices and keep their standard price.
// Hence: a bucket with token units whose dimension the standard list prices on
// its own and the fast list does not is a 422 (price_modifier_unpriced), never
// the standard price nor another fast dimension's; and above the standard
// list's lowest long-context threshold a fast list without long-context prices
// of its own has no price: Anthropic's fast-mode pages have said both that
// fast prices double above 200k prompt tokens (Opus 4.6's preview) and that
// one multiplier holds "across the full context window", so tariff refuses
// rather than pick one.
import type { CatalogEntry } from '../catalog/types.ts';
import { sheetPrices, toSheet } from './sheet.ts';
import type { PriceList } from './types.ts';
import { isTokenUnit, PROMPT_UNITS, type SpeedMode, type UnitId, type UnitPrices } from './units.ts';
import { QuoteError, type QuoteUsage } from './quote.ts';

const derived = new WeakMap<PriceList, CatalogEntry>();

/**
 * The entry billed at speed `mode`: the list's token prices and the standard
 * per-unit fees, each sourced as its dimension was; no long-context tiers
 * but the list's own.
 */
export function speedEntry(entry: CatalogEntry, mode: SpeedMode): CatalogEntry {
  const list = entry.speed_modes![mode]!;
  let speed = derived.get(list);
  if (!speed) {
    const { service_tiers: _tiers, speed_modes: _modes, multipliers: _multipliers, variants: _variants, filled_from: filledFrom, extra: _extra, ...rest } = entry;
    const prefix = `${mode}.`;
    const fees = (Object.entries(sheetPrices(entry)) as Array<[UnitId, string]>).filter(([unit]) => !isTokenUnit(unit));
    const prices: UnitPrices = { ...Object.fromEntries(fees), ...sheetPrices(list) };
    const sources = [
      ...fees.flatMap(([unit]) => (filledFrom?.[unit] ? [[unit, filledFrom[unit]]] : [])),
      ...Object.entries(filledFrom ?? {}).filter(([path]) => path.startsWith(prefix)).map(([path, source]) => [path.slice(prefix.length), source]),
    ];
    speed = { ...rest, ...toSheet(prices), tiers: list.tiers, ...(sources.length > 0 ? { filled_from: Object.fromEntries(sources) } : {}) };
    derived.set(list, speed);
  }
  return speed;
}

/** Throws when the usage has units the mode's list cannot bill by the rules above. */
export function checkSpeedList(entry: CatalogEntry, mode: SpeedMode, field: string, usage: QuoteUsage): void {
  const list = entry.speed_modes![mode]!;
  const own = sheetPrices(list);
  const standard = sheetPrices(entry);
  const missing = (Object.keys(standard) as UnitId[]).filter((unit) => isTokenUnit(unit) && own[unit] === undefined && (usage[unit] ?? 0) > 0);
  if (missing.length > 0) {
    throw new QuoteError(entry, 'price_modifier_unpriced',
      `${field}: ${entry.provider}/${entry.model_id} has no ${mode} price for ${missing.join(', ')}`, { dimensions: missing });
  }
  if (list.tiers.length > 0 || entry.tiers.length === 0) return;
  const above = Math.min(...entry.tiers.map((tier) => tier.above_tokens));
  let prompt = 0;
  for (const unit of PROMPT_UNITS) prompt += usage[unit] ?? 0;
  if (prompt > above) {
    throw new QuoteError(entry, 'price_modifier_unpriced',
      `${field}: ${entry.provider}/${entry.model_id} has no ${mode} price for prompts above ${above} tokens`, { above_input_tokens: above, prompt_tokens: prompt });
  }
}
