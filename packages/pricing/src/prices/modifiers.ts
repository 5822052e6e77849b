// Price modifiers a response reports (usage/types.ts PriceModifier), resolved
// against the model quoted: a named multiplier rule that bills the modifier
// exactly, or a 422. A modifier is never billed at the standard price.
//
// - A modifier with a rule covering the entry's provider and model multiplies
//   every billed component's unit price and cost by the rule's factor, exactly;
//   each such component's source is `rule:<id>`, and the total is the sum.
// - A value the field's documentation does not list is price_modifier_unknown.
// - A documented value no rule covers for the model is price_modifier_unpriced.
import { add, formatDecimal, multiply, parseDecimal, ZERO } from '../money/decimal.ts';
import type { CatalogEntry } from '../catalog/types.ts';
import { QuoteError, type Quote, type QuoteComponent } from './quote.ts';
import type { PriceModifier } from '../usage/types.ts';

export interface MultiplierRule {
  id: string;
  provider: string;
  /** The usage field's own name, wherever the body has it (`inference_geo` or `usage.inference_geo`). */
  key: string;
  value: string;
  /** An exact decimal multiplier on every dimension's price. */
  factor: string;
  /** Model ids the rule covers: the id itself or a dated snapshot of it (`<id>-20260205`). */
  models: readonly string[];
  /** Where the provider documents the multiplier. */
  citation: string;
}

/**
 * US-only inference on Anthropic's API (`inference_geo: "us"`) bills 1.1× the
 * standard price on every dimension for Claude Opus 4.6, Claude Sonnet 4.6 and
 * later models; earlier models do not accept the parameter. Anthropic's
 * documents name those two models; a later one is refused (422) until it is
 * added here, never billed at the standard price.
 * https://platform.claude.com/docs/en/about-claude/pricing ("Data residency pricing"),
 * https://platform.claude.com/docs/en/build-with-claude/data-residency,
 * https://support.claude.com/en/articles/15422948-enable-us-only-inference-for-your-organization
 */
export const ANTHROPIC_US_INFERENCE: MultiplierRule = {
  id: 'anthropic_us_inference',
  provider: 'anthropic',
  key: 'inference_geo',
  value: 'us',
  factor: '1.1',
  models: ['claude-opus-4-6', 'claude-sonnet-4-6'],
  citation: 'https://platform.claude.com/docs/en/about-claude/pricing#data-residency-pricing',
};

export const MULTIPLIER_RULES: readonly MultiplierRule[] = [ANTHROPIC_US_INFERENCE];

/**
 * Each modifier field's documented values that change the price (the readers
 * report only those and values outside the documented set: a documented value
 * that bills the standard price, such as `inference_geo: "global"`, is not
 * reported). A field absent here has no closed list.
 */
const DOCUMENTED: ReadonlyMap<string, readonly string[]> = new Map([['inference_geo', ['us']]]);

/** The rule a modifier is billed by, as the answer names it. */
export interface AppliedRule {
  rule: string;
  field: string;
  value: string;
  factor: string;
  citation: string;
}

const keyOf = (field: string) => field.slice(field.lastIndexOf('.') + 1);

const SNAPSHOT_SUFFIX = /^-\d{8}$/;

const coversModel = (rule: MultiplierRule, modelId: string) => rule.models.some((id) => modelId === id
  || (modelId.startsWith(id) && SNAPSHOT_SUFFIX.test(modelId.slice(id.length))));

const covers = (rule: MultiplierRule, entry: CatalogEntry, modifier: PriceModifier) => rule.provider === entry.provider
  && rule.key === keyOf(modifier.field) && rule.value === modifier.value && coversModel(rule, entry.model_id);

/** The rules billing `modifiers` on `entry`; a QuoteError (422) for a modifier none covers. */
export function rulesFor(entry: CatalogEntry, modifiers: readonly PriceModifier[]): MultiplierRule[] {
  const unknown = modifiers.filter((m) => DOCUMENTED.get(keyOf(m.field))?.includes(m.value) === false);
  if (unknown.length > 0) {
    const [first] = unknown;
    throw new QuoteError(entry, 'price_modifier_unknown',
      `${first!.field}: ${JSON.stringify(first!.value)} is not a value tariff knows the price of (documented: ${DOCUMENTED.get(keyOf(first!.field))!.map((v) => JSON.stringify(v)).join(', ')})`,
      { modifiers: unknown });
  }
  const rules: MultiplierRule[] = [];
  const unpriced: PriceModifier[] = [];
  for (const modifier of modifiers) {
    const rule = MULTIPLIER_RULES.find((r) => covers(r, entry, modifier));
    if (rule) rules.push(rule);
    else unpriced.push(modifier);
  }
  if (unpriced.length > 0) {
    const [first] = unpriced;
    throw new QuoteError(entry, 'price_modifier_unpriced',
      `${first!.field}: ${entry.provider}/${entry.model_id} has no price for ${JSON.stringify(first!.value)} that tariff can bill`,
      { modifiers: unpriced });
  }
  return rules;
}

/** The quote with each rule's factor applied to every billed component, exactly; and the rules as the answer names them. */
export function applyRules(result: Quote, rules: readonly MultiplierRule[], modifiers: readonly PriceModifier[]): { quote: Quote; applied: AppliedRule[] } {
  let components = result.components as Record<string, QuoteComponent>;
  for (const rule of rules) {
    const factor = parseDecimal(rule.factor);
    const scaled: Record<string, QuoteComponent> = {};
    for (const [name, component] of Object.entries(components)) {
      scaled[name] = component.unit_price === null ? component : {
        ...component,
        unit_price: formatDecimal(multiply(parseDecimal(component.unit_price), factor)),
        cost_usd: formatDecimal(multiply(parseDecimal(component.cost_usd), factor)),
        source: `rule:${rule.id}`,
      };
    }
    components = scaled;
  }
  let total = ZERO;
  for (const component of Object.values(components)) total = add(total, parseDecimal(component.cost_usd));
  const applied = rules.map((rule) => {
    const modifier = modifiers.find((m) => keyOf(m.field) === rule.key && m.value === rule.value)!;
    return { rule: rule.id, field: modifier.field, value: modifier.value, factor: rule.factor, citation: rule.citation };
  });
  return { quote: { ...result, components: components as Quote['components'], total_usd: formatDecimal(total) }, applied };
}
