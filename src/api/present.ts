// The public shape of a price record. Field names are an API: existing
// consumers read model_id, input_cost_per_1m_tokens and output_cost_per_1m_tokens.
import type { CatalogEntry } from '../catalog/read.ts';
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
