// The formats a response can be read in, and what reading one yields.
import type { Counts, Usage } from './usage.ts';
import type { JsonObject } from './read.ts';
import type { ServiceTier } from '../prices/units.ts';

export const FORMATS = ['openai_chat', 'openai_responses', 'anthropic', 'gemini', 'bedrock_converse', 'openrouter'] as const;
export type Format = (typeof FORMATS)[number];

export type { ServiceTier };

/** What a reader reads from a body. */
export interface Reading {
  format: Format;
  /** The model the body names (`model`, Gemini's `modelVersion`), or null when it names none. */
  model: string | null;
  /** Every bucket the format reports, zeros included, as the reader wrote it: a fixed object shape per reading path, which a quote reads as is. */
  counts: Counts;
  /** The tier the body says served the call, mapped to tariff's tiers; null when the body does not say. */
  service_tier: ServiceTier | null;
  /** What the provider says it charged (OpenRouter's usage.cost), as an exact decimal string. */
  reported_cost_usd: string | null;
  /**
   * Price modifiers the body reports (Anthropic fast mode or an inference_geo
   * other than "global", Vertex provisioned throughput): the quote bills each
   * by a published price list, a documented rule or a published multiplier,
   * or is a 422 naming it (prices/modifiers.ts), never
   * the standard price. Absent when none.
   */
  modifiers?: PriceModifier[];
}

/** A field of a response that changes the call's price, and its value. */
export interface PriceModifier {
  field: string;
  value: string;
}

/** A reading with its counts as usage buckets: zeros dropped, in the buckets' order (makeUsage). */
export interface Normalized extends Omit<Reading, 'counts'> {
  usage: Usage;
}

/**
 * How strongly a body's shape says it is one format: `sure` when a field only
 * that format has is present, `maybe` when the fields fit but are shared with
 * another format.
 */
export interface Claim {
  readonly level: 'sure' | 'maybe';
  readonly because: string;
}

/** One format: how to recognise it and how to read it. Registered once, in formats/index.ts. */
export interface FormatReader {
  readonly format: Format;
  /** What a body of this format looks like, for the error when it is not one. */
  readonly expects: string;
  claim(body: JsonObject): Claim | null;
  read(body: JsonObject): Reading;
}
