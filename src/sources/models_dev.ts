// models.dev (https://models.dev/api.json): providers → models → cost, already
// in USD per 1M tokens. Alternative mode prices (experimental.modes) are not
// the model's list price and are ignored.
import { z } from 'zod';
import type { PriceRecord, PriceTier, SourceResult, TokenPrices } from '../catalog/types.ts';
import { describeProblem, numberLiteral, toPrice, toTokenCount } from './json.ts';
import { collectRecords, stateOf, type Source } from './source.ts';

const LEGACY_TIER_TOKENS = 200_000;

const tokenPrices = {
  input: numberLiteral.nullish(),
  output: numberLiteral.nullish(),
  cache_read: numberLiteral.nullish(),
  cache_write: numberLiteral.nullish(),
  reasoning: numberLiteral.nullish(),
};

const tierSchema = z.looseObject({
  ...tokenPrices,
  tier: z.looseObject({ type: z.literal('context'), size: numberLiteral }),
});

const modelSchema = z.looseObject({
  name: z.string().nullish(),
  cost: z.looseObject({
    ...tokenPrices,
    tiers: z.array(tierSchema).nullish(),
    context_over_200k: z.looseObject(tokenPrices).nullish(),
  }).nullish(),
});

const payloadSchema = z.record(z.string(), z.unknown());
const providerSchema = z.looseObject({ models: z.record(z.string(), z.unknown()) });

type RawPrices = { [K in keyof TokenPrices]?: string | null | undefined };

export const modelsDev: Source = {
  name: 'models_dev',
  title: 'models.dev',
  url: { env: 'MODELS_DEV_URL', default: 'https://models.dev/api.json' },
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

  return collectRecords(Object.entries(provider.data.models), (modelId, raw) => toRecord(modelId, modelSchema.parse(raw)));
}

function toRecord(modelId: string, model: z.output<typeof modelSchema>): PriceRecord {
  const name = model.name ?? null;
  const cost = model.cost;
  if (!cost || (cost.input == null && cost.output == null)) {
    return { model_id: modelId, name, state: 'unpriced', ...prices({}), request: null, tiers: [] };
  }
  const base = prices(cost);
  const tiers = readTiers(cost.tiers, cost.context_over_200k);
  return { model_id: modelId, name, state: stateOf(base, tiers), ...base, request: null, tiers };
}

// `context_over_200k` is the legacy spelling of a 200k `tiers` entry: payloads
// carry both for the same tier, so it is read only when `tiers` is absent.
function readTiers(
  tiers: z.output<typeof tierSchema>[] | null | undefined,
  legacy: RawPrices | null | undefined,
): PriceTier[] {
  const read = tiers
    ? tiers.map((tier) => ({ above_tokens: toTokenCount(tier.tier.size), ...prices(tier) }))
    : legacy ? [{ above_tokens: LEGACY_TIER_TOKENS, ...prices(legacy) }] : [];
  read.sort((a, b) => a.above_tokens - b.above_tokens);
  for (let i = 1; i < read.length; i++) {
    if (read[i]?.above_tokens === read[i - 1]?.above_tokens) {
      throw new Error(`two tiers above ${read[i]?.above_tokens} tokens`);
    }
  }
  return read;
}

function prices(raw: RawPrices): TokenPrices {
  const price = (literal: string | null | undefined) => (literal == null ? null : toPrice(literal));
  return {
    input: price(raw.input),
    output: price(raw.output),
    cache_read: price(raw.cache_read),
    cache_write: price(raw.cache_write),
    reasoning: price(raw.reasoning),
  };
}
