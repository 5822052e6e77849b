// tariff's price record: what every source normalises to and what the catalog
// stores. Money is a canonical decimal string (see money/decimal.ts), USD per
// the unit of its dimension (units.ts): per 1M tokens for token dimensions.
import type { ExtraUnitId, ServiceTier, SpeedMode, UnitId } from './units.ts';

export const PRICE_STATES = ['priced', 'free', 'dynamic', 'unpriced'] as const;
export type PriceState = (typeof PRICE_STATES)[number];

/** Where a stored price came from: a source's name (sources/registry.ts), the bundled snapshot, or an operator. */
export type PriceOrigin = string;

/** The per-1M-token prices of the five original token dimensions; null means "no price of its own". */
export interface TokenPrices {
  input: string | null;
  output: string | null;
  cache_read: string | null;
  cache_write: string | null;
  reasoning: string | null;
}

/** Prices in the dimensions without a field of their own (audio, images, web search, …), by unit id. */
export type ExtraPrices = Partial<Record<ExtraUnitId, string>>;

/** One set of prices: the original token fields, and every other dimension in `extra` (absent when empty). */
export interface PriceSheet extends TokenPrices {
  extra?: ExtraPrices;
}

/**
 * A long-context tier: when a request's prompt (every prompt-side token bucket)
 * exceeds `above_tokens`, the tier's prices replace the base prices for the
 * whole request. A dimension the tier leaves unset keeps the base price.
 */
export interface PriceTier extends PriceSheet {
  above_tokens: number;
}

/** A complete price list: a sheet, a per-request fee and long-context tiers. */
export interface PriceList extends PriceSheet {
  /** USD per request, on top of token prices. */
  request: string | null;
  tiers: PriceTier[];
}

/**
 * A price that applies only at some times (genai-prices' constraints): from an
 * instant on (`from`, a price change announced ahead), or during a UTC
 * time-of-day window (`window`, e.g. off-peak hours; may wrap past midnight).
 */
export interface PriceVariant extends PriceList {
  from?: string;
  window?: { start: string; end: string };
}

/** A published price the source has that no unit of tariff's can hold, as published. */
export interface UnsupportedPrice {
  field: string;
  value: string;
}

/**
 * How a source says callers' model ids map to one of its models (genai-prices'
 * `match`): a rule on the lower-cased id, or a combination of rules.
 */
export type MatchRule =
  | { equals: string }
  | { starts_with: string }
  | { ends_with: string }
  | { contains: string }
  | { regex: string }
  | { or: MatchRule[] }
  | { and: MatchRule[] };

/** One model's price as a source reports it, normalised. */
export interface PriceRecord extends PriceList {
  model_id: string;
  name: string | null;
  state: PriceState;
  /** Service-tier variants (`standard` is the record itself); a dimension a tier leaves null bills at its standard price. */
  service_tiers?: Partial<Record<Exclude<ServiceTier, 'standard'>, PriceList>>;
  /** Price lists by speed mode (units.ts SPEED_MODES), as a source publishes them; absent when none. */
  speed_modes?: Partial<Record<SpeedMode, PriceList>>;
  /**
   * Multipliers a source publishes for a price modifier, by `<usage field>=<value>`
   * (`speed=fast`, `inference_geo=us`): exact decimals on every standard price.
   * Provenance path `multipliers.<key>`.
   */
  multipliers?: Record<string, string>;
  /** Non-zero prices the source publishes in dimensions tariff cannot bill. */
  unsupported?: UnsupportedPrice[];
  /** Time-dependent prices; the record's own prices apply when none does. */
  variants?: PriceVariant[];
  /** The source's own rule for which requested ids mean this model; not part of the price. */
  match?: MatchRule;
  /** The model's position in its source's list: of several models whose `match` rule fits an id, the first wins. */
  match_index?: number;
  /** Dimensions (provenance.ts paths) priced by another source than the record's own, and that source's name. */
  filled_from?: Record<string, string>;
}

/** A row a source could not turn into a price, kept for the sync log. */
export interface SkippedRow {
  model_id: string;
  reason: string;
}

/** A cost field a source publishes (its path in a model's entry), and how many models carry it. */
export interface FieldCount {
  field: string;
  models: number;
}

/** What a source adapter returns for one provider. */
export interface SourceResult {
  records: PriceRecord[];
  skipped: SkippedRow[];
  /** Cost fields seen in this provider's models that the adapter maps to a dimension. */
  mapped?: FieldCount[];
  /** Cost fields seen in this provider's models that the adapter does not understand (reported, never dropped silently). */
  unmapped?: FieldCount[];
}
