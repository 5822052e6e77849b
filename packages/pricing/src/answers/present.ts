// The public shape of a price record. Field names are an API: existing
// consumers read model_id, input_cost_per_1m_tokens and output_cost_per_1m_tokens.
//
// Every price dimension (units.ts) is in `prices`, by unit id, in USD per the
// unit's `per` (GET /costs carries the legend as `units`); the six original
// dimensions are also in their original fields. Parts that are empty
// (service_tiers, speed_modes, multipliers, unsupported_prices, variants) are left out.
import type { Price } from '../prices/diff.ts';
import { convert } from '../prices/quote.ts';
import type { CatalogEntry, ExchangeRate } from '../catalog/types.ts';
import { sheetPrices } from '../prices/sheet.ts';
import type { PriceList, PriceRecord, PriceTier } from '../prices/types.ts';
import { ORIGINAL_DIMENSIONS, ORIGINAL_TOKEN_DIMENSIONS, UNITS, type OriginalDimension, type UnitPrices } from '../prices/units.ts';
import { priceSources } from '../prices/provenance.ts';

type Original = typeof ORIGINAL_DIMENSIONS;
type TokenOriginal = typeof ORIGINAL_TOKEN_DIMENSIONS;
/** The answers' original fields (input_cost_per_1m_tokens …), as the price record's fields hold them. */
type AnswerFields<Ds extends readonly OriginalDimension[]> = { [D in Ds[number] as D['answer']]: string | null };

/** A sheet's original fields under their answer names, in ORIGINAL_DIMENSIONS order, each through `value`. */
function answerFields<Ds extends readonly OriginalDimension[]>(
  dimensions: Ds, sheet: Partial<Record<OriginalDimension['field'], string | null>>, value: (price: string | null) => string | null = (price) => price,
): AnswerFields<Ds> {
  const fields: Record<string, string | null> = {};
  for (const d of dimensions) fields[d.answer] = value(sheet[d.field] ?? null);
  return fields as AnswerFields<Ds>;
}

export function presentTier(tier: PriceTier) {
  return {
    above_input_tokens: tier.above_tokens,
    ...answerFields(ORIGINAL_TOKEN_DIMENSIONS as TokenOriginal, tier),
    prices: sheetPrices(tier),
  };
}

/** The unit of every dimension `prices` may name: what its price is per, and the bucket it is part of. */
export const UNIT_LEGEND = Object.fromEntries(Object.entries(UNITS).map(([id, unit]) => [id, { per: unit.per, parent: unit.parent }]));

type Priced = Pick<PriceRecord, 'service_tiers' | 'speed_modes' | 'multipliers' | 'unsupported' | 'variants'>;

/** The dimensions beyond the original fields, each part only when it is not empty. */
function presentDimensions(price: Priced) {
  const serviceTiers = Object.entries(price.service_tiers ?? {});
  const speedModes = Object.entries(price.speed_modes ?? {});
  return {
    ...(serviceTiers.length > 0 ? { service_tiers: Object.fromEntries(serviceTiers.map(([name, list]) => [name, presentList(list)])) } : {}),
    ...(speedModes.length > 0 ? { speed_modes: Object.fromEntries(speedModes.map(([name, list]) => [name, presentList(list)])) } : {}),
    ...(price.multipliers && Object.keys(price.multipliers).length > 0 ? { multipliers: price.multipliers } : {}),
    ...(price.unsupported && price.unsupported.length > 0 ? { unsupported_prices: price.unsupported } : {}),
    ...(price.variants && price.variants.length > 0 ? {
      variants: price.variants.map((variant) => ({
        ...(variant.from === undefined ? {} : { from: variant.from }),
        ...(variant.window === undefined ? {} : { window: variant.window }),
        ...presentList(variant),
      })),
    } : {}),
  };
}

function presentList(list: PriceList) {
  return {
    prices: sheetPrices(list),
    tiers: list.tiers.map((tier) => ({ above_input_tokens: tier.above_tokens, prices: sheetPrices(tier) })),
  };
}

export function presentEntry(entry: CatalogEntry) {
  return {
    model_id: entry.model_id,
    name: entry.name,
    state: entry.state,
    ...answerFields(ORIGINAL_DIMENSIONS as Original, entry),
    tiers: entry.tiers.map(presentTier),
    prices: sheetPrices(entry),
    ...presentDimensions(entry),
    source: entry.source,
    price_sources: priceSources(entry, entry.source, entry.provider),
    override_reason: entry.override_reason,
    updated_at: entry.effective_at,
    last_seen_at: entry.last_seen_at,
    removed_at: entry.removed_at,
  };
}

export type PresentedEntry = ReturnType<typeof presentEntry>;

/** A bare price (history's old_price / new_price) in the API's field names. */
export function presentPrice(price: Price | null) {
  if (!price) return null;
  return {
    state: price.state,
    ...answerFields(ORIGINAL_DIMENSIONS as Original, price),
    tiers: price.tiers.map(presentTier),
    prices: sheetPrices(price),
    ...presentDimensions(price),
  };
}

/** The same prices in another currency, exact: USD price × rate. */
export function presentConverted(entry: CatalogEntry, rate: ExchangeRate) {
  const local = (usd: string | null) => (usd === null ? null : convert(usd, rate.rate));
  const localPrices = (prices: UnitPrices) => Object.fromEntries(Object.entries(prices).map(([unit, usd]) => [unit, convert(usd, rate.rate)]));
  return {
    currency: rate.quote,
    ...answerFields(ORIGINAL_DIMENSIONS as Original, entry, local),
    tiers: entry.tiers.map((tier) => ({
      above_input_tokens: tier.above_tokens,
      ...answerFields(ORIGINAL_TOKEN_DIMENSIONS as TokenOriginal, tier, local),
      prices: localPrices(sheetPrices(tier)),
    })),
    prices: localPrices(sheetPrices(entry)),
  };
}

export function presentRate(rate: ExchangeRate) {
  return { base: rate.base, quote: rate.quote, rate: rate.rate, market_time: rate.market_time, source: rate.source };
}
