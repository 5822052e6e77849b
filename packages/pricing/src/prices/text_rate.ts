// Modalities a provider documents as billed at its text rate. A modality
// bucket is billed at its own price from some source; where it has none and
// the provider's own pricing documentation says the modality is billed as text
// tokens, at the text price under the rule named here (the component's
// `priced_as`, and `rule:<id>` in price_sources). Any other modality without a
// price of its own cannot be quoted: a model accepting audio says nothing about
// what audio costs.
import type { UnitId } from './units.ts';

export interface TextRateRule {
  readonly id: string;
  /** The tariff providers whose own documentation this is. */
  readonly providers: readonly string[];
  readonly units: readonly UnitId[];
  readonly priced_as: UnitId;
  readonly citation: string;
}

export const TEXT_RATE_RULES: readonly TextRateRule[] = [
  {
    // "Each image ... is converted into tokens ... cost = tokens × the model's price per input token."
    id: 'anthropic_image_input',
    providers: ['anthropic'],
    units: ['input_image_tokens'],
    priced_as: 'input_tokens',
    citation: 'https://docs.anthropic.com/en/docs/build-with-claude/vision#calculate-image-costs',
  },
  {
    // "Image inputs are metered and charged in tokens, just as text inputs are."
    id: 'openai_image_input',
    providers: ['openai'],
    units: ['input_image_tokens'],
    priced_as: 'input_tokens',
    citation: 'https://platform.openai.com/docs/guides/images-vision#calculating-costs',
  },
  {
    // The pricing table's input price is "text / image / video"; audio has a price of its own.
    id: 'gemini_image_video_input',
    providers: ['google', 'gemini', 'google-vertex', 'vertex'],
    units: ['input_image_tokens', 'input_video_tokens'],
    priced_as: 'input_tokens',
    citation: 'https://ai.google.dev/gemini-api/docs/pricing',
  },
];

/** The text-rate rules of a provider, by the unit each prices. */
export function textRateRules(provider: string): ReadonlyMap<UnitId, TextRateRule> {
  const rules = new Map<UnitId, TextRateRule>();
  for (const rule of TEXT_RATE_RULES) {
    if (rule.providers.includes(provider)) for (const unit of rule.units) rules.set(unit, rule);
  }
  return rules;
}
