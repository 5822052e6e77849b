// The public shape of a price record. Field names are an API: existing
// consumers read model_id, input_cost_per_1m_tokens and output_cost_per_1m_tokens.
import type { Price } from '../catalog/diff.ts';
import { convert } from '../catalog/quote.ts';
import type { CatalogEntry, ExchangeRate } from '../catalog/read.ts';
import type { PriceTier } from '../catalog/types.ts';

export function presentTier(tier: PriceTier) {
  return {
    above_input_tokens: tier.above_tokens,
    input_cost_per_1m_tokens: tier.input,
    output_cost_per_1m_tokens: tier.output,
    cache_read_cost_per_1m_tokens: tier.cache_read,
    cache_write_cost_per_1m_tokens: tier.cache_write,
    reasoning_cost_per_1m_tokens: tier.reasoning,
  };
}

export function presentEntry(entry: CatalogEntry) {
  return {
    model_id: entry.model_id,
    name: entry.name,
    state: entry.state,
    input_cost_per_1m_tokens: entry.input,
    output_cost_per_1m_tokens: entry.output,
    cache_read_cost_per_1m_tokens: entry.cache_read,
    cache_write_cost_per_1m_tokens: entry.cache_write,
    reasoning_cost_per_1m_tokens: entry.reasoning,
    request_cost: entry.request,
    tiers: entry.tiers.map(presentTier),
    source: entry.source,
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
    input_cost_per_1m_tokens: price.input,
    output_cost_per_1m_tokens: price.output,
    cache_read_cost_per_1m_tokens: price.cache_read,
    cache_write_cost_per_1m_tokens: price.cache_write,
    reasoning_cost_per_1m_tokens: price.reasoning,
    request_cost: price.request,
    tiers: price.tiers.map(presentTier),
  };
}

/** The same prices in another currency, exact: USD price × rate. */
export function presentConverted(entry: CatalogEntry, rate: ExchangeRate) {
  const local = (usd: string | null) => (usd === null ? null : convert(usd, rate.rate));
  return {
    currency: rate.quote,
    input_cost_per_1m_tokens: local(entry.input),
    output_cost_per_1m_tokens: local(entry.output),
    cache_read_cost_per_1m_tokens: local(entry.cache_read),
    cache_write_cost_per_1m_tokens: local(entry.cache_write),
    reasoning_cost_per_1m_tokens: local(entry.reasoning),
    request_cost: local(entry.request),
    tiers: entry.tiers.map((tier) => ({
      above_input_tokens: tier.above_tokens,
      input_cost_per_1m_tokens: local(tier.input),
      output_cost_per_1m_tokens: local(tier.output),
      cache_read_cost_per_1m_tokens: local(tier.cache_read),
      cache_write_cost_per_1m_tokens: local(tier.cache_write),
      reasoning_cost_per_1m_tokens: local(tier.reasoning),
    })),
  };
}

export function presentRate(rate: ExchangeRate) {
  return { base: rate.base, quote: rate.quote, rate: rate.rate, market_time: rate.market_time, source: rate.source };
}
