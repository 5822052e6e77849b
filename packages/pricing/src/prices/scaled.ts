// Exact scaling of prices by a multiplier (a documented rule's or a source's):
// a price list for a derived entry, or an already computed quote. Only token
// prices scale: the multipliers tariff bills (batch at 50%, US-only inference,
// fast mode) are documented as multipliers on token prices, and a per-call or
// per-unit fee (web searches, requests, images) keeps its standard price.
import { add, formatDecimal, multiply, parseDecimal, ZERO, type Decimal } from '../money/decimal.ts';
import { sheetPrices, toSheet } from './sheet.ts';
import type { PriceList, PriceSheet } from './types.ts';
import type { Quote, QuoteComponent } from './quote.ts';
import { isTokenUnit, isUnitId, type UnitId, type UnitPrices } from './units.ts';
import { LEGACY_COMPONENTS } from './quote.ts';

/** Each quote component's unit: the original six by their component names, the rest by unit id. */
const COMPONENT_UNIT = new Map<string, UnitId>(Object.entries(LEGACY_COMPONENTS).map(([unit, name]) => [name!, unit as UnitId]));
const unitOf = (name: string): UnitId | undefined => COMPONENT_UNIT.get(name) ?? (isUnitId(name) ? name : undefined);

function scaledSheet(sheet: PriceSheet & { request?: string | null }, factor: Decimal, keep: ReadonlySet<UnitId>) {
  const prices: UnitPrices = {};
  for (const [unit, price] of Object.entries(sheetPrices(sheet)) as Array<[UnitId, string]>) {
    prices[unit] = isTokenUnit(unit) && !keep.has(unit) ? formatDecimal(multiply(parseDecimal(price), factor)) : price;
  }
  return toSheet(prices);
}

/**
 * `list` with every token price × factor but those of `keep`, which the
 * documentation leaves at their standard price; its long-context tiers too
 * when `withTiers`, else none.
 */
export function scaledList(list: PriceList, factor: string, withTiers: boolean, keep: ReadonlySet<UnitId> = new Set()): PriceList {
  const f = parseDecimal(factor);
  const { request, ...sheet } = scaledSheet(list, f, keep);
  return {
    ...sheet,
    request: request ?? null,
    tiers: withTiers ? list.tiers.map((tier) => {
      const { request: _request, ...scaled } = scaledSheet(tier, f, keep);
      return { above_tokens: tier.above_tokens, ...scaled };
    }) : [],
  };
}

/** The quote with every billed token component's unit price and cost × factor, exactly, each sourced `source`; the total their sum. */
export function scaledQuote(result: Quote, factor: string, source: string): Quote {
  const f = parseDecimal(factor);
  const components: Record<string, QuoteComponent> = {};
  let total = ZERO;
  for (const [name, component] of Object.entries(result.components as Record<string, QuoteComponent>)) {
    const unit = unitOf(name);
    const scaled = component.unit_price === null || unit === undefined || !isTokenUnit(unit) ? component : {
      ...component,
      unit_price: formatDecimal(multiply(parseDecimal(component.unit_price), f)),
      cost_usd: formatDecimal(multiply(parseDecimal(component.cost_usd), f)),
      source,
    };
    components[name] = scaled;
    total = add(total, parseDecimal(scaled.cost_usd));
  }
  return { ...result, components: components as Quote['components'], total_usd: formatDecimal(total) };
}
