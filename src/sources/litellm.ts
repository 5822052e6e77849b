// LiteLLM's cost map (model_prices_and_context_window.json): one entry per
// model key, costs in USD per token, grouped by `litellm_provider`. Only token
// prices are read; an entry priced per second, image, query or session is kept
// as 'unpriced', never as $0.
import { z } from 'zod';
import type { PriceRecord, PriceTier, SourceResult, TokenPrices } from '../catalog/types.ts';
import { describeProblem, numberLiteral, toPrice, toTokenCount } from './json.ts';
import { collectRecords, stateOf, type Source } from './source.ts';

const PER_MILLION = 6;
/** Documentation of the file's format, not a model. */
const SAMPLE_SPEC = 'sample_spec';

/** LiteLLM's per-token field for each tariff token price. */
const FIELDS = {
  input: 'input_cost_per_token',
  output: 'output_cost_per_token',
  cache_read: 'cache_read_input_token_cost',
  cache_write: 'cache_creation_input_token_cost',
  reasoning: 'output_cost_per_reasoning_token',
} as const satisfies Record<keyof TokenPrices, string>;

type LiteLlmField = (typeof FIELDS)[keyof TokenPrices];
type RawPrices = { [F in LiteLlmField]?: string | undefined };

/** `input_cost_per_token_above_200k_tokens` → the input price above 200,000 prompt tokens. */
const THRESHOLD_FIELD = new RegExp(`^(${Object.values(FIELDS).join('|')})_above_(\\d+)k_tokens$`);

const priceFields = {
  input_cost_per_token: numberLiteral.optional(),
  output_cost_per_token: numberLiteral.optional(),
  cache_read_input_token_cost: numberLiteral.optional(),
  cache_creation_input_token_cost: numberLiteral.optional(),
  output_cost_per_reasoning_token: numberLiteral.optional(),
} satisfies Record<LiteLlmField, z.ZodType>;

const entrySchema = z.looseObject({
  ...priceFields,
  // Entries with `max_results_range` instead of `range` are per-query prices, not token tiers.
  tiered_pricing: z.array(z.looseObject({ ...priceFields, range: z.tuple([numberLiteral, numberLiteral]).optional() })).optional(),
});

const payloadSchema = z.record(z.string(), z.unknown());

type Entry = z.output<typeof entrySchema>;

export const liteLlm: Source = {
  name: 'litellm',
  title: "LiteLLM's price map",
  url: { env: 'LITELLM_PRICES_URL', default: 'https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json' },
  upstreamIds(payload) {
    const ids = new Set<string>();
    for (const entry of Object.values(payloadSchema.parse(payload))) {
      const provider = typeof entry === 'object' && entry !== null && 'litellm_provider' in entry ? entry.litellm_provider : undefined;
      if (typeof provider === 'string') ids.add(provider);
    }
    return [...ids].sort();
  },
  parse: parseLiteLlm,
};

/** The entries of one litellm_provider as price records; a malformed or repeated entry is skipped, not fatal. */
export function parseLiteLlm(payload: unknown, upstreamId: string): SourceResult {
  const parsed = payloadSchema.safeParse(payload);
  if (!parsed.success) throw new Error('LiteLLM payload is not an object of model entries');
  const entries = Object.entries(parsed.data)
    .filter(([key, raw]) => key !== SAMPLE_SPEC && isEntryOf(raw, upstreamId))
    .map(([key, raw]) => [key.startsWith(`${upstreamId}/`) ? key.slice(upstreamId.length + 1) : key, raw, key] as const);
  if (entries.length === 0) throw new Error(`no LiteLLM entry has litellm_provider ${upstreamId}`);
  // Model ids that differ only by case or by the provider prefix name one model.
  return collectRecords(entries, (modelId, raw) => toRecord(modelId, entrySchema.parse(raw)), (id) => id.toLowerCase());
}

function chargedOtherwise(entry: Entry, side: 'input' | 'output'): boolean {
  return Object.keys(entry).some((key) => key.startsWith(`${side}_cost_per_`) && key !== FIELDS[side] && !THRESHOLD_FIELD.test(key));
}

function isEntryOf(raw: unknown, upstreamId: string): boolean {
  return typeof raw === 'object' && raw !== null && 'litellm_provider' in raw && raw.litellm_provider === upstreamId;
}

function toRecord(modelId: string, entry: Entry): PriceRecord {
  const ranged = (entry.tiered_pricing ?? []).flatMap(({ range, ...rangePrices }) =>
    range ? [{ above_tokens: toTokenCount(range[0]), ...rangePrices }] : []);
  const hasBase = entry.input_cost_per_token !== undefined || entry.output_cost_per_token !== undefined;
  const base = prices(hasBase ? entry : ranged.find((tier) => tier.above_tokens === 0) ?? {});
  // A side charged in another unit (per second, per image, …) cannot be quoted per token:
  // reporting it as not charged would understate the cost.
  if ((base.input === null && base.output === null) || (base.input === null && chargedOtherwise(entry, 'input'))
    || (base.output === null && chargedOtherwise(entry, 'output'))) {
    return { model_id: modelId, name: null, state: 'unpriced', ...prices({}), request: null, tiers: [] };
  }
  const tiers = readTiers(entry, ranged.filter((tier) => tier.above_tokens > 0));
  return { model_id: modelId, name: null, state: stateOf(base, tiers), ...base, request: null, tiers };
}

/** Tiers from `*_above_<N>k_tokens` fields, then from `tiered_pricing` ranges for what those leave unset. */
function readTiers(entry: Entry, ranged: Array<RawPrices & { above_tokens: number }>): PriceTier[] {
  const byThreshold = new Map<number, RawPrices>();
  for (const [field, value] of Object.entries(entry)) {
    const [, priceField, thousands] = THRESHOLD_FIELD.exec(field) ?? [];
    if (!isLiteLlmField(priceField) || thousands === undefined) continue;
    const literal = numberLiteral.safeParse(value);
    if (!literal.success) throw new Error(`${field}: ${describeProblem(literal.error)}`);
    const aboveTokens = Number(thousands) * 1000;
    byThreshold.set(aboveTokens, { ...byThreshold.get(aboveTokens), [priceField]: literal.data });
  }
  for (const { above_tokens: aboveTokens, ...rangePrices } of ranged) {
    byThreshold.set(aboveTokens, { ...rangePrices, ...byThreshold.get(aboveTokens) });
  }
  return [...byThreshold]
    .sort(([a], [b]) => a - b)
    .map(([aboveTokens, raw]) => ({ above_tokens: aboveTokens, ...prices(raw) }));
}

function isLiteLlmField(text: string | undefined): text is LiteLlmField {
  return Object.values<string | undefined>(FIELDS).includes(text);
}

function prices(raw: RawPrices): TokenPrices {
  const price = (literal: string | undefined) => (literal === undefined ? null : toPrice(literal, PER_MILLION));
  return {
    input: price(raw[FIELDS.input]),
    output: price(raw[FIELDS.output]),
    cache_read: price(raw[FIELDS.cache_read]),
    cache_write: price(raw[FIELDS.cache_write]),
    reasoning: price(raw[FIELDS.reasoning]),
  };
}
