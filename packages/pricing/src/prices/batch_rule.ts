// Batch at 50%: the providers whose own documentation prices a batch call at
// half the standard price. Where a quote asks for `service_tier: batch` and no
// source publishes the model's batch prices, a rule covering the entry's
// provider (and model) bills the standard token prices × its factor (but the
// dimensions the documentation leaves at standard, `keeps`), each such
// component sourced `rule:<id>` (the providers document the discount on
// tokens; a per-call or per-unit fee keeps its standard price). A published batch list always wins: the rule is used
// only when the entry has none. Above a standard long-context threshold the
// rule scales the standard long-context prices only where the provider says
// the batch discount applies to them; elsewhere the batch price there stays
// unknown (service_tier_long_context_unpriced), never the standard price.
import type { CatalogEntry } from '../catalog/types.ts';
import { listPaths } from './provenance.ts';
import { scaledList } from './scaled.ts';
import { isTokenUnit, isUnitId, type UnitId } from './units.ts';

export interface ServiceTierRule {
  id: string;
  provider: string;
  service_tier: 'batch';
  /** An exact decimal multiplier on every standard price. */
  factor: string;
  /** Model ids the documentation leaves out (the endpoints batch calls cannot reach). */
  excludes?: RegExp;
  /** Whether the documentation applies the discount to long-context prices too. */
  long_context: boolean;
  /** Token dimensions the documentation leaves at their standard price on batch calls. */
  keeps?: ReadonlySet<UnitId>;
  citation: string;
}

export const BATCH_RULES: readonly ServiceTierRule[] = [
  /**
   * OpenAI's Batch API: "a 50% cost discount compared to synchronous APIs",
   * for the endpoints it serves (/v1/responses, /v1/chat/completions,
   * /v1/embeddings, /v1/completions, /v1/moderations, /v1/images): realtime,
   * audio and speech models are not batch models. OpenAI's pricing lists batch
   * prices for short context only, so long context stays unpriced.
   * https://platform.openai.com/docs/guides/batch
   */
  {
    id: 'openai_batch_api', provider: 'openai', service_tier: 'batch', factor: '0.5', long_context: false,
    excludes: /realtime|audio|tts|transcribe/, citation: 'https://platform.openai.com/docs/guides/batch',
  },
  /**
   * Anthropic's Message Batches API: 50% of standard prices on every Claude
   * model, input and output; the discount stacks with long-context pricing.
   * https://platform.claude.com/docs/en/build-with-claude/batch-processing#pricing,
   * https://platform.claude.com/docs/en/about-claude/pricing#batch-processing
   */
  {
    id: 'anthropic_message_batches', provider: 'anthropic', service_tier: 'batch', factor: '0.5', long_context: true,
    citation: 'https://platform.claude.com/docs/en/build-with-claude/batch-processing#pricing',
  },
  /**
   * The Gemini API's Batch Mode: "50% of the standard cost"; Google's price
   * list halves both the ≤200k and the >200k prompt prices, input and output,
   * but lists batch's context caching price as the standard one (gemini-2.5-pro
   * $0.125/$0.25, gemini-2.5-flash $0.03, …), so cache reads keep their
   * standard price. (One preview model halves its cache price too; billing
   * it the standard price there over-bills by that half, never under-bills.)
   * https://ai.google.dev/gemini-api/docs/batch-mode, https://ai.google.dev/gemini-api/docs/pricing
   */
  {
    id: 'gemini_batch_mode', provider: 'google', service_tier: 'batch', factor: '0.5', long_context: true,
    keeps: new Set<UnitId>(['cache_read_tokens', 'cache_read_audio_tokens']),
    citation: 'https://ai.google.dev/gemini-api/docs/pricing',
  },
];

/**
 * The rule billing a batch call on `entry`, when no source publishes its batch
 * prices. None for a model whose price depends on the time (variants): the
 * rule would scale only the standard list.
 */
export function batchRuleFor(entry: CatalogEntry): ServiceTierRule | undefined {
  if (entry.service_tiers?.batch || entry.variants || entry.state !== 'priced') return undefined;
  return BATCH_RULES.find((rule) => rule.provider === entry.provider && !rule.excludes?.test(entry.model_id));
}

const ruled = new WeakMap<CatalogEntry, CatalogEntry>();

/** The entry with the rule's batch list (its standard list × factor), each batch dimension sourced `rule:<id>`; one object per entry. */
export function withBatchRule(entry: CatalogEntry, rule: ServiceTierRule): CatalogEntry {
  let derived = ruled.get(entry);
  if (!derived) {
    const batch = scaledList(entry, rule.factor, rule.long_context, rule.keeps);
    // A scaled token price is the rule's; a price scaledList kept (a fee, or a dimension the rule keeps) is the standard one, from its source.
    const sources = Object.fromEntries([...listPaths(batch).keys()].map((path) => {
      const unit = path.slice(path.lastIndexOf('.') + 1) as UnitId;
      const scaled = isUnitId(unit) && isTokenUnit(unit) && !rule.keeps?.has(unit);
      return [`batch.${path}`, scaled ? `rule:${rule.id}` : entry.filled_from?.[path] ?? entry.source];
    }));
    derived = { ...entry, service_tiers: { ...entry.service_tiers, batch }, filled_from: { ...entry.filled_from, ...sources } };
    ruled.set(entry, derived);
  }
  return derived;
}
