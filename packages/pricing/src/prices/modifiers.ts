// Price modifiers a response reports (usage/types.ts PriceModifier), resolved
// against the model quoted, and the batch rule (batch_rule.ts). A modifier is
// never billed at the standard price: each is billed by the first of
//
// 1. a price list a source publishes for it (a speed mode's, speed.ts): the
//    call is quoted from that list, each component sourced as its price was;
// 2. a named rule the provider documents (MULTIPLIER_RULES) covering the
//    entry's provider and model: every billed component × the rule's factor,
//    sourced `rule:<id>`;
// 3. a multiplier a source publishes for it (PriceRecord.multipliers, e.g.
//    LiteLLM's provider_specific_entry): every billed component × that factor,
//    sourced by that source;
//
// or the quote is a 422: price_modifier_unknown for a value the field's
// documentation does not list, price_modifier_unpriced for one nothing prices.
// A documented rule wins over a source's multiplier for the same modifier:
// the provider's own documentation is the authority the source transcribes,
// so where the two disagree the source is the one in error.
// Modifiers stack: the speed's prices first, then each multiplier on top
// (Anthropic: "Fast mode pricing stacks with other pricing modifiers", data
// residency included, https://platform.claude.com/docs/en/build-with-claude/fast-mode#pricing).
import type { CatalogEntry } from '../catalog/types.ts';
import { batchRuleFor, withBatchRule } from './batch_rule.ts';
import { multiplierPath } from './provenance.ts';
import { QuoteError, type Quote, type QuoteUsage } from './quote.ts';
import { scaledQuote } from './scaled.ts';
import { checkSpeedList, speedEntry } from './speed.ts';
import { SPEED_MODES, type ServiceTier, type SpeedMode } from './units.ts';
import type { PriceModifier } from '../usage/types.ts';

export interface MultiplierRule {
  id: string;
  provider: string;
  /** The usage field's own name, wherever the body has it (`inference_geo` or `usage.inference_geo`). */
  key: string;
  value: string;
  /** An exact decimal multiplier on every dimension's price. */
  factor: string;
  /** The models the rule covers, as the documentation names them. */
  models: string;
  covers(modelId: string): boolean;
  /** Where the provider documents the multiplier. */
  citation: string;
}

/** A current Claude id's version, `claude-<family>-<major>[-<minor>]` with or without a dated snapshot suffix; undefined for any other id (the older `claude-3-5-sonnet` form included). */
export function claudeVersion(modelId: string): { major: number; minor: number } | undefined {
  const match = /^claude-[a-z]+-(\d{1,2})(?:-(\d{1,2}))?(?:-\d{8})?$/.exec(modelId);
  return match ? { major: Number(match[1]), minor: Number(match[2] ?? 0) } : undefined;
}

/**
 * US-only inference on Anthropic's API (`inference_geo: "us"`): "For Claude
 * 4.6 and later models, specifying US-only inference through the
 * `inference_geo` parameter incurs a 1.1x multiplier on all token pricing
 * categories, including input tokens, output tokens, cache writes, and cache
 * reads"; earlier models reject the parameter (a 400 from Anthropic, a 422
 * here). A model id tariff cannot read a version from is not covered: billed
 * by a multiplier a source publishes for it, or refused, never at the standard price.
 * https://platform.claude.com/docs/en/about-claude/pricing ("Data residency pricing"),
 * https://platform.claude.com/docs/en/build-with-claude/data-residency ("Claude Opus 4.6 and all subsequent models")
 */
export const ANTHROPIC_US_INFERENCE: MultiplierRule = {
  id: 'anthropic_us_inference',
  provider: 'anthropic',
  key: 'inference_geo',
  value: 'us',
  factor: '1.1',
  models: 'Claude 4.6 and later',
  covers(modelId) {
    const version = claudeVersion(modelId);
    return version !== undefined && (version.major > 4 || (version.major === 4 && version.minor >= 6));
  },
  citation: 'https://platform.claude.com/docs/en/about-claude/pricing#data-residency-pricing',
};

export const MULTIPLIER_RULES: readonly MultiplierRule[] = [ANTHROPIC_US_INFERENCE];

/**
 * Each modifier field's documented values that change the price (the readers
 * report only those and values outside the documented set: a documented value
 * that bills the standard price, such as `inference_geo: "global"` or
 * `speed: "standard"`, is not reported). A field absent here has no closed list.
 */
const DOCUMENTED: ReadonlyMap<string, readonly string[]> = new Map([['inference_geo', ['us']], ['speed', ['fast']]]);

/** How a modifier is billed, as the answer's `price_modifiers` names it. */
export type AppliedModifier = { field: string; value: string } & (
  | { rule: string; factor: string; citation: string }
  | { source: string; factor: string }
  | { source: string; price_list: SpeedMode }
);

/** The batch rule billing a call, as the answer's `service_tier_rule` names it. */
export interface AppliedServiceTierRule {
  rule: string;
  service_tier: ServiceTier;
  factor: string;
  citation: string;
}

/** How to bill a call with modifiers or a ruled service tier: the entry to quote, then the multipliers on its quote. */
export interface Billing {
  entry: CatalogEntry;
  multipliers: Array<{ factor: string; source: string }>;
  price_modifiers?: AppliedModifier[];
  service_tier_rule?: AppliedServiceTierRule;
}

const keyOf = (field: string) => field.slice(field.lastIndexOf('.') + 1);

const covers = (rule: MultiplierRule, entry: CatalogEntry, modifier: PriceModifier) => rule.provider === entry.provider
  && rule.key === keyOf(modifier.field) && rule.value === modifier.value && rule.covers(entry.model_id);

const isSpeed = (modifier: PriceModifier) => keyOf(modifier.field) === 'speed';
const isSpeedMode = (value: string): value is SpeedMode => (SPEED_MODES as readonly string[]).includes(value);

/**
 * How `entry` bills a call with `modifiers` on service tier `tier`; a
 * QuoteError (422) for a modifier nothing prices. Undefined when neither a
 * modifier nor the batch rule is involved: the entry's own prices bill the call.
 */
export function billingFor(
  entry: CatalogEntry, modifiers: readonly PriceModifier[] | undefined, tier: ServiceTier, usage: QuoteUsage,
): Billing | undefined {
  let billed = entry;
  const multipliers: Billing['multipliers'] = [];
  const applied: AppliedModifier[] = [];
  if (modifiers) {
    refuseUnknown(entry, modifiers);
    const unpriced: PriceModifier[] = [];
    // The speed first: its list holds the prices the other modifiers multiply.
    for (const modifier of [...modifiers.filter(isSpeed), ...modifiers.filter((m) => !isSpeed(m))]) {
      const { field, value } = modifier;
      const key = `${keyOf(field)}=${value}`;
      const rule = MULTIPLIER_RULES.find((r) => covers(r, entry, modifier));
      if (isSpeed(modifier) && tier !== 'standard') {
        // No source tariff reads publishes a speed mode's price on another service tier.
        throw new QuoteError(entry, 'price_modifier_unpriced', `${field}: ${entry.provider}/${entry.model_id} has no ${value} price on the ${tier} service tier`,
          { modifiers: [modifier], service_tier: tier });
      }
      if (isSpeed(modifier) && isSpeedMode(value) && entry.speed_modes?.[value]) {
        checkSpeedList(entry, value, field, usage);
        billed = speedEntry(entry, value);
        applied.push({ field, value, source: entry.filled_from?.[`${value}.input_tokens`] ?? entry.source, price_list: value });
      } else if (rule) {
        multipliers.push({ factor: rule.factor, source: `rule:${rule.id}` });
        applied.push({ field, value, rule: rule.id, factor: rule.factor, citation: rule.citation });
      } else if (entry.multipliers?.[key] !== undefined) {
        const source = entry.filled_from?.[multiplierPath(key)] ?? entry.source;
        multipliers.push({ factor: entry.multipliers[key], source });
        applied.push({ field, value, source, factor: entry.multipliers[key] });
      } else {
        unpriced.push(modifier);
      }
    }
    if (unpriced.length > 0) {
      const [first] = unpriced;
      throw new QuoteError(entry, 'price_modifier_unpriced',
        `${first!.field}: ${entry.provider}/${entry.model_id} has no price for ${JSON.stringify(first!.value)} that tariff can bill`,
        { modifiers: unpriced });
    }
  }
  let serviceTierRule: AppliedServiceTierRule | undefined;
  const batchRule = tier === 'batch' ? batchRuleFor(entry) : undefined;
  if (batchRule) {
    billed = withBatchRule(entry, batchRule);
    serviceTierRule = { rule: batchRule.id, service_tier: batchRule.service_tier, factor: batchRule.factor, citation: batchRule.citation };
  }
  if (billed === entry && multipliers.length === 0) return undefined;
  return {
    entry: billed, multipliers,
    ...(applied.length > 0 ? { price_modifiers: applied } : {}),
    ...(serviceTierRule ? { service_tier_rule: serviceTierRule } : {}),
  };
}

function refuseUnknown(entry: CatalogEntry, modifiers: readonly PriceModifier[]): void {
  const unknown = modifiers.filter((m) => DOCUMENTED.get(keyOf(m.field))?.includes(m.value) === false);
  if (unknown.length === 0) return;
  const [first] = unknown;
  throw new QuoteError(entry, 'price_modifier_unknown',
    `${first!.field}: ${JSON.stringify(first!.value)} is not a value tariff knows the price of (documented: ${DOCUMENTED.get(keyOf(first!.field))!.map((v) => JSON.stringify(v)).join(', ')})`,
    { modifiers: unknown });
}

/** The quote of `billing.entry` with each multiplier applied to every billed component, exactly, in order. */
export function applyBilling(result: Quote, billing: Billing): Quote {
  let quoted = result;
  for (const { factor, source } of billing.multipliers) quoted = scaledQuote(quoted, factor, source);
  return quoted;
}
