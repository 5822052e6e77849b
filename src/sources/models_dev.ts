// models.dev (https://models.dev/api.json): providers → models → cost, in USD
// per 1M tokens. Every cost field is mapped (COST_FIELDS) or reported. An
// alternative mode (experimental.modes.<mode>) is a price list when its
// request says which: one whose body asks for a service tier
// (`provider.body.service_tier`, e.g. OpenAI's priority "fast" mode) is that
// service tier's list, one whose body asks for a speed (`provider.body.speed`,
// Anthropic's fast mode) is that speed mode's list. Any other mode is reported.
import { z } from 'zod';
import { SPEED_MODES, type PriceRecord, type ServiceTier, type SpeedMode, type SourceResult, type UnitId } from '@tariff/pricing';
import { describeProblem, numberLiteral, toPrice, toTokenCount } from './json.ts';
import { collectRecords, PriceCollector, type FieldCounters, type Source } from './source.ts';
import { UPSTREAM_SOURCES } from '../upstreams.ts';

const LEGACY_TIER_TOKENS = 200_000;

/** models.dev cost keys and the dimension each prices (all per 1M tokens). */
export const COST_FIELDS: Readonly<Record<string, UnitId>> = {
  input: 'input_tokens',
  output: 'output_tokens',
  cache_read: 'cache_read_tokens',
  cache_write: 'cache_write_tokens',
  reasoning: 'reasoning_tokens',
  input_audio: 'input_audio_tokens',
  output_audio: 'output_audio_tokens',
};

const SERVICE_TIERS: Readonly<Record<string, Exclude<ServiceTier, 'standard'>>> = { priority: 'priority', flex: 'flex', batch: 'batch' };

const costSchema = z.record(z.string(), z.unknown());
const modelSchema = z.looseObject({
  name: z.string().nullish(),
  cost: costSchema.nullish(),
  modalities: z.looseObject({ input: z.array(z.string()).nullish() }).nullish(),
  experimental: z.looseObject({
    modes: z.record(z.string(), z.looseObject({
      cost: costSchema.nullish(),
      provider: z.looseObject({ body: z.looseObject({ service_tier: z.string().nullish(), speed: z.string().nullish() }).nullish() }).nullish(),
    })).nullish(),
  }).nullish(),
});
const tierSchema = z.looseObject({ tier: z.looseObject({ type: z.literal('context'), size: numberLiteral }) });

const payloadSchema = z.record(z.string(), z.unknown());
const providerSchema = z.looseObject({ models: z.record(z.string(), z.unknown()) });

export const modelsDev: Source = {
  ...UPSTREAM_SOURCES.models_dev,
  upstreamIds: (payload) => Object.keys(payloadSchema.parse(payload)),
  parse: parseModelsDev,
};

/** The models of one models.dev provider as price records; a malformed model is skipped, not fatal. */
export function parseModelsDev(payload: unknown, upstreamId: string): SourceResult {
  const providers = payloadSchema.safeParse(payload);
  if (!providers.success) throw new Error('models.dev payload is not an object of providers');
  if (!Object.hasOwn(providers.data, upstreamId)) throw new Error(`provider ${upstreamId} is not in models.dev`);
  const provider = providerSchema.safeParse(providers.data[upstreamId]);
  if (!provider.success) {
    throw new Error(`models.dev provider ${upstreamId} is malformed: ${describeProblem(provider.error)}`);
  }
  return collectRecords(Object.entries(provider.data.models), (modelId, raw, fields) => toRecord(modelId, modelSchema.parse(raw), fields));
}

function toRecord(modelId: string, model: z.output<typeof modelSchema>, fields: FieldCounters): PriceRecord {
  const name = model.name ?? null;
  const cost = model.cost;
  const prices = new PriceCollector();
  if (!cost || (cost.input == null && cost.output == null)) return prices.record(modelId, name);

  const read = (costs: Record<string, unknown>, path: string, where: { above?: number; tier?: ServiceTier; mode?: SpeedMode } = {}) => {
    for (const [key, value] of Object.entries(costs)) {
      if (key === 'tiers' || key === 'context_over_200k' || key === 'tier' || value === null) continue;
      const unit = COST_FIELDS[key];
      if (!unit) {
        fields.unmapped.add(`${path}.${key}`, modelId);
        if (typeof value === 'string') prices.unsupportedPrice(`${path}.${key}`, value);
        continue;
      }
      prices.set(unit, toPrice(numberLiteral.parse(value)), where);
      fields.mapped.add(`${path}.${key}`, modelId);
    }
  };
  read(cost, 'cost');
  // `context_over_200k` is the legacy spelling of a 200k `tiers` entry: payloads
  // carry both for the same tier, so it is read only when `tiers` is absent.
  const tiers = z.array(costSchema).nullish().parse(cost.tiers);
  const seen = new Set<number>();
  for (const tier of tiers ?? []) {
    const above = toTokenCount(tierSchema.parse(tier).tier.size);
    if (seen.has(above)) throw new Error(`two tiers above ${above} tokens`);
    seen.add(above);
    read(tier, 'cost.tiers[]', { above });
  }
  if (!tiers && cost.context_over_200k) read(costSchema.parse(cost.context_over_200k), 'cost.context_over_200k', { above: LEGACY_TIER_TOKENS });

  for (const [mode, { cost: modeCost, provider }] of Object.entries(model.experimental?.modes ?? {})) {
    if (!modeCost) continue;
    const tier = SERVICE_TIERS[provider?.body?.service_tier ?? ''];
    const speed = SPEED_MODES.find((name) => name === provider?.body?.speed);
    if (tier || speed) {
      readMode(modeCost, `experimental.modes.${mode}.cost`, tier ? { tier } : { mode: speed! });
      continue;
    }
    for (const [key, value] of Object.entries(modeCost)) {
      fields.unmapped.add(`experimental.modes.${mode}.cost.${key}`, modelId);
      if (typeof value === 'string') prices.unsupportedPrice(`experimental.modes.${mode}.cost.${key}`, value);
    }
  }

  // A mode's `tiers` are its own long-context prices, as in `cost`.
  function readMode(costs: Record<string, unknown>, path: string, where: { tier: ServiceTier } | { mode: SpeedMode }) {
    read(costs, path, where);
    for (const tier of z.array(costSchema).nullish().parse(costs.tiers) ?? []) {
      read(tier, `${path}.tiers[]`, { ...where, above: toTokenCount(tierSchema.parse(tier).tier.size) });
    }
  }

  // `modalities.input` says what the model accepts, never what it costs: a modality without a price stays unpriced.
  return prices.record(modelId, name);
}
