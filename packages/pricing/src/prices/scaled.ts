// Exact scaling of prices by a multiplier (a documented rule's or a source's):
// a price list for a derived entry, or an already computed quote.
import { add, formatDecimal, multiply, parseDecimal, ZERO, type Decimal } from '../money/decimal.ts';
import { sheetPrices, toSheet } from './sheet.ts';
import type { PriceList, PriceSheet } from './types.ts';
import type { Quote, QuoteComponent } from './quote.ts';
import type { UnitPrices } from './units.ts';

function scaledSheet(sheet: PriceSheet & { request?: string | null }, factor: Decimal) {
  const prices: UnitPrices = {};
  for (const [unit, price] of Object.entries(sheetPrices(sheet)) as Array<[keyof UnitPrices, string]>) {
    prices[unit] = formatDecimal(multiply(parseDecimal(price), factor));
  }
  return toSheet(prices);
}

/** `list` with every price × factor; its long-context tiers too when `withTiers`, else none. */
export function scaledList(list: PriceList, factor: string, withTiers: boolean): PriceList {
  const f = parseDecimal(factor);
  const { request, ...sheet } = scaledSheet(list, f);
  return {
    ...sheet,
    request: request ?? null,
    tiers: withTiers ? list.tiers.map((tier) => {
      const { request: _request, ...scaled } = scaledSheet(tier, f);
      return { above_tokens: tier.above_tokens, ...scaled };
    }) : [],
  };
}

/** The quote with every billed component's unit price and cost × factor, exactly, each sourced `source`; the total their sum. */
export function scaledQuote(result: Quote, factor: string, source: string): Quote {
  const f = parseDecimal(factor);
  const components: Record<string, QuoteComponent> = {};
  let total = ZERO;
  for (const [name, component] of Object.entries(result.components as Record<string, QuoteComponent>)) {
    const scaled = component.unit_price === null ? component : {
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
