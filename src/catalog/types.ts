// tariff's price record: what every source normalises to and what the catalog
// stores. Money is a canonical decimal string (see money/decimal.ts), USD per
// 1M tokens unless the field says otherwise.

export const PRICE_STATES = ['priced', 'free', 'dynamic', 'unpriced'] as const;
export type PriceState = (typeof PRICE_STATES)[number];

/** Where a stored price came from: a source's name (sources/registry.ts), the bundled snapshot, or an operator. */
export type PriceOrigin = string;

/** The per-1M-token prices of one model; null means "not charged / not applicable". */
export interface TokenPrices {
  input: string | null;
  output: string | null;
  cache_read: string | null;
  cache_write: string | null;
  reasoning: string | null;
}

/**
 * A long-context tier: when a request's prompt (input + cache read + cache write
 * tokens) exceeds `above_tokens`, the tier's prices replace the base prices for
 * the whole request. A field the tier leaves null keeps the base price.
 */
export interface PriceTier extends TokenPrices {
  above_tokens: number;
}

/** One model's price as a source reports it, normalised. */
export interface PriceRecord extends TokenPrices {
  model_id: string;
  name: string | null;
  state: PriceState;
  /** USD per request, on top of token prices. */
  request: string | null;
  tiers: PriceTier[];
}

/** The fields that make up a price: a change to any of them is a price change. */
export const PRICE_FIELDS = ['state', 'input', 'output', 'cache_read', 'cache_write', 'reasoning', 'request', 'tiers'] as const;
export const TOKEN_PRICE_FIELDS = ['input', 'output', 'cache_read', 'cache_write', 'reasoning'] as const;

/** A row a source could not turn into a price, kept for the sync log. */
export interface SkippedRow {
  model_id: string;
  reason: string;
}

/** What a source adapter returns for one provider. */
export interface SourceResult {
  records: PriceRecord[];
  skipped: SkippedRow[];
}
