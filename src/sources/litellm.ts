// LiteLLM's cost map (model_prices_and_context_window.json): one entry per
// model key, grouped by `litellm_provider`, costs in USD per token or per the
// unit the field names. Every cost field is either mapped to a dimension of
// tariff's (FIELDS below, with its `_above_<N>k_tokens` long-context and
// `_priority` / `_flex` / `_batches` service-tier forms) or reported: a model
// keeps its non-zero unmapped prices in `unsupported`, and the sync log counts
// the unmapped fields. `provider_specific_entry` holds multipliers LiteLLM
// publishes for price modifiers (PROVIDER_SPECIFIC); its other keys are reported.
import { z } from 'zod';
import type { PriceRecord, ServiceTier, SourceResult, UnitId } from '@tariff/pricing';
import { numberLiteral, toPrice, toTokenCount } from './json.ts';
import { collectRecords, PriceCollector, type FieldCounters, type Source } from './source.ts';
import { UPSTREAM_SOURCES } from '../upstreams.ts';

/** Documentation of the file's format, not a model. */
const SAMPLE_SPEC = 'sample_spec';

/** Each LiteLLM cost field tariff maps: its unit, and the power of ten from LiteLLM's unit to tariff's. */
export const FIELDS: Readonly<Record<string, { unit: UnitId; places: number }>> = {
  input_cost_per_token: { unit: 'input_tokens', places: 6 },
  output_cost_per_token: { unit: 'output_tokens', places: 6 },
  cache_read_input_token_cost: { unit: 'cache_read_tokens', places: 6 },
  cache_creation_input_token_cost: { unit: 'cache_write_tokens', places: 6 },
  cache_creation_input_token_cost_above_1hr: { unit: 'cache_write_1h_tokens', places: 6 },
  output_cost_per_reasoning_token: { unit: 'reasoning_tokens', places: 6 },
  input_cost_per_audio_token: { unit: 'input_audio_tokens', places: 6 },
  output_cost_per_audio_token: { unit: 'output_audio_tokens', places: 6 },
  input_cost_per_image_token: { unit: 'input_image_tokens', places: 6 },
  output_cost_per_image_token: { unit: 'output_image_tokens', places: 6 },
  cache_read_input_audio_token_cost: { unit: 'cache_read_audio_tokens', places: 6 },
  input_cost_per_request: { unit: 'requests', places: 0 },
  output_cost_per_image: { unit: 'images', places: 0 },
  input_cost_per_image: { unit: 'input_images', places: 0 },
  input_cost_per_second: { unit: 'input_seconds', places: 0 },
  output_cost_per_second: { unit: 'output_seconds', places: 0 },
  input_cost_per_audio_per_second: { unit: 'input_audio_seconds', places: 0 },
  input_cost_per_video_per_second: { unit: 'input_video_seconds', places: 0 },
  output_cost_per_video_per_second: { unit: 'output_video_seconds', places: 0 },
  input_cost_per_character: { unit: 'input_characters', places: 0 },
  output_cost_per_character: { unit: 'output_characters', places: 0 },
};

/** DeepSeek's older spelling of the cache-read price: read when the usual field is absent. */
const CACHE_HIT_FIELD = 'input_cost_per_token_cache_hit';
/** Web search per query, by search context size: medium is the size OpenAI bills by default. */
const WEB_SEARCH = 'search_context_cost_per_query';
const WEB_SEARCH_SIZE = 'search_context_size_medium';
const SERVICE_TIER_SUFFIX: Readonly<Record<string, ServiceTier>> = { priority: 'priority', flex: 'flex', batches: 'batch' };

/**
 * `provider_specific_entry` keys that are a multiplier on every standard price
 * for a price modifier the response reports, and that modifier as
 * `<usage field>=<value>` (types.ts PriceRecord.multipliers): Anthropic's
 * US-only inference (`inference_geo: "us"`) and fast mode (`speed: "fast"`).
 */
const PROVIDER_SPECIFIC = 'provider_specific_entry';
const MODIFIER_MULTIPLIERS: Readonly<Record<string, string>> = { us: 'inference_geo=us', fast: 'speed=fast' };

/** `<field>[_above_<N>k_tokens][_priority|_flex|_batches]`. */
const FIELD_FORM = /^(.+?)(?:_above_(\d+)k_tokens)?(?:_(priority|flex|batches))?$/;

/** A key is a cost field when its name says it prices something. */
export function isCostField(key: string): boolean {
  return /cost|price/i.test(key);
}

const rangeSchema = z.tuple([numberLiteral, numberLiteral]);
const payloadSchema = z.record(z.string(), z.unknown());
const entrySchema = z.record(z.string(), z.unknown());

export const liteLlm: Source = {
  ...UPSTREAM_SOURCES.litellm,
  upstreamIds(payload) {
    const ids = new Set<string>();
    for (const [key, entry] of Object.entries(payloadSchema.parse(payload))) {
      if (key === SAMPLE_SPEC) continue;
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
  return collectRecords(entries, (modelId, raw, fields) => toRecord(modelId, entrySchema.parse(raw), fields), (id) => id.toLowerCase());
}

function isEntryOf(raw: unknown, upstreamId: string): boolean {
  return typeof raw === 'object' && raw !== null && 'litellm_provider' in raw && raw.litellm_provider === upstreamId;
}

function toRecord(modelId: string, entry: Record<string, unknown>, fields: FieldCounters): PriceRecord {
  const prices = new PriceCollector();
  const literal = (field: string, value: unknown): string => {
    const text = numberLiteral.safeParse(value);
    if (!text.success) throw new Error(`${field}: expected a number`);
    return text.data;
  };
  const report = (field: string, value: unknown) => {
    fields.unmapped.add(field, modelId);
    if (typeof value === 'string') prices.unsupportedPrice(field, value);
  };
  const mapped = (field: string) => fields.mapped.add(field, modelId);

  for (const [key, value] of Object.entries(entry)) {
    if (key === PROVIDER_SPECIFIC) {
      for (const [name, factor] of Object.entries(entrySchema.parse(value))) {
        const modifier = MODIFIER_MULTIPLIERS[name];
        if (modifier === undefined) {
          // Reported; not an unsupported price, since these keys are no prices (`bedrock_invocation_schema`).
          fields.unmapped.add(`${key}.${name}`, modelId);
          continue;
        }
        prices.multiplier(modifier, toPrice(literal(`${key}.${name}`, factor)));
        mapped(`${key}.${name}`);
      }
      continue;
    }
    if (key === 'tiered_pricing' || !isCostField(key)) continue;
    if (key === WEB_SEARCH) {
      for (const [size, price] of Object.entries(entrySchema.parse(value))) {
        if (size === WEB_SEARCH_SIZE) {
          prices.set('web_search_requests', toPrice(literal(`${key}.${size}`, price)));
          mapped(`${key}.${size}`);
        } else {
          report(`${key}.${size}`, price);
        }
      }
      continue;
    }
    if (key === CACHE_HIT_FIELD) {
      mapped(key);
      continue;
    }
    const [, base = '', thousands, suffix] = FIELD_FORM.exec(key) ?? [];
    const mapping = FIELDS[key] ?? FIELDS[base];
    if (!mapping) {
      report(key, value);
      continue;
    }
    const exact = FIELDS[key] !== undefined;
    prices.set(mapping.unit, toPrice(literal(key, value), mapping.places), {
      ...(!exact && thousands !== undefined ? { above: Number(thousands) * 1000 } : {}),
      ...(!exact && suffix !== undefined ? { tier: SERVICE_TIER_SUFFIX[suffix]! } : {}),
    });
    mapped(key);
  }
  if (!prices.has('cache_read_tokens') && entry[CACHE_HIT_FIELD] !== undefined) {
    prices.set('cache_read_tokens', toPrice(literal(CACHE_HIT_FIELD, entry[CACHE_HIT_FIELD]), 6));
  }
  readTieredPricing(entry.tiered_pricing, prices, report, mapped, literal);
  return prices.record(modelId, null);
}

/**
 * `tiered_pricing: [{input_cost_per_token, output_cost_per_token, range: [from, to]}]`:
 * token ranges become long-context tiers (the range starting at 0 is the base,
 * where the entry has no base price of its own). Ranges of results
 * (`max_results_range`, per-query search prices) are reported.
 */
function readTieredPricing(
  raw: unknown, prices: PriceCollector, report: (field: string, value: unknown) => void,
  mapped: (field: string) => void, literal: (field: string, value: unknown) => string,
): void {
  if (raw === undefined) return;
  const ranges = z.array(entrySchema).parse(raw);
  const hasBase = prices.has('input_tokens') || prices.has('output_tokens');
  for (const range of ranges) {
    const bounds = range.range === undefined ? undefined : rangeSchema.parse(range.range);
    for (const [key, value] of Object.entries(range)) {
      if (!isCostField(key)) continue;
      const mapping = FIELDS[key];
      if (!bounds || !mapping) {
        report(`tiered_pricing[].${key}`, value);
        continue;
      }
      const above = toTokenCount(bounds[0]);
      mapped(`tiered_pricing[].${key}`);
      // An entry's own base price wins over the range starting at 0.
      if (above === 0 && hasBase) continue;
      // The `_above_<N>k_tokens` fields win where both give a tier's price.
      prices.set(mapping.unit, toPrice(literal(key, value), mapping.places), { above, unlessSet: true });
    }
  }
}

