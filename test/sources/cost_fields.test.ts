// Every cost field each source publishes is either mapped to a dimension of
// tariff's or reported (in SourceResult.unmapped, which the sync log stores):
// counted from the real fixtures by a walker that knows nothing of the adapters.
import { parseLiteLlm, liteLlm } from '../../src/sources/litellm.ts';
import { modelsDev, parseModelsDev } from '../../src/sources/models_dev.ts';
import { parseOpenRouter } from '../../src/sources/openrouter.ts';
import { genaiPrices, parseGenaiPrices } from '../../src/sources/genai_prices.ts';
import type { FieldCount, SourceResult } from '@tariff/pricing';
import { GENAI_PRICES, LITELLM, MODELS_DEV, OPENROUTER, fixturePayload, recordOf } from './fixtures.ts';

type Counts = Map<string, number>;

/** Models carrying each field path, over a list of (model, fields) pairs. */
function countFields(models: Iterable<Set<string>>): Counts {
  const counts: Counts = new Map();
  for (const fields of models) for (const field of fields) counts.set(field, (counts.get(field) ?? 0) + 1);
  return counts;
}

/** Leaf paths of a JSON value below `path`, arrays as `[]`. */
function leaves(value: unknown, path: string, into: Set<string>, keep: (path: string) => boolean): void {
  if (Array.isArray(value)) {
    for (const item of value) leaves(item, `${path}[]`, into, keep);
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, inner] of Object.entries(value)) leaves(inner, path === '' ? key : `${path}.${key}`, into, keep);
  } else if (typeof value === 'string' && keep(path)) {
    into.add(path);
  }
}

/** Adds up the mapped and unmapped counts the adapter reported for each provider. */
function adapterCounts(results: SourceResult[]): { mapped: Counts; unmapped: Counts } {
  const sum = (lists: Array<FieldCount[] | undefined>) => {
    const counts: Counts = new Map();
    for (const list of lists) for (const { field, models } of list ?? []) counts.set(field, (counts.get(field) ?? 0) + models);
    return counts;
  };
  return { mapped: sum(results.map((r) => r.mapped)), unmapped: sum(results.map((r) => r.unmapped)) };
}

function expectEveryFieldAccountedFor(fixture: Counts, adapter: { mapped: Counts; unmapped: Counts }): void {
  const rows = [...fixture].map(([field, models]) => ({
    field, models, accounted: (adapter.mapped.get(field) ?? 0) + (adapter.unmapped.get(field) ?? 0),
  }));
  expect(rows.filter((row) => row.accounted !== row.models)).toEqual([]);
  // Nothing the adapter claims to have seen is missing from the fixture.
  for (const field of [...adapter.mapped.keys(), ...adapter.unmapped.keys()]) expect(fixture.has(field)).toBe(true);
}

describe('cost fields: mapped or reported, never dropped', () => {
  test('LiteLLM: every cost field of every entry', () => {
    const payload = fixturePayload(LITELLM) as Record<string, Record<string, unknown>>;
    const isCost = (path: string) => /cost|price/i.test(path.split('.')[0]!) && !/range$/.test(path);
    const perModel: Array<Set<string>> = [];
    for (const [key, entry] of Object.entries(payload)) {
      if (key === 'sample_spec' || typeof entry?.litellm_provider !== 'string') continue;
      const fields = new Set<string>();
      for (const [field, value] of Object.entries(entry)) {
        if (field === 'tiered_pricing') leaves(value, 'tiered_pricing', fields, (path) => /cost|price/i.test(path.split('.').at(-1)!));
        else if (isCost(field)) leaves(value, field, fields, () => true);
      }
      perModel.push(fields);
    }
    const fixture = countFields(perModel);
    const results = liteLlm.upstreamIds(payload).map((provider) => parseLiteLlm(payload, provider));
    // Repeated keys are skipped before their fields are read: count the fixture without them.
    const skipped = results.flatMap((r) => r.skipped).length;
    expect(skipped).toBeGreaterThan(0);
    const adapter = adapterCounts(results);
    const accounted = [...fixture].map(([field, models]) => [field, models - (adapter.mapped.get(field) ?? 0) - (adapter.unmapped.get(field) ?? 0)] as const);
    // At most one model per field is missing, and only through the skipped repeats.
    expect(accounted.filter(([, missing]) => missing < 0 || missing > skipped)).toEqual([]);
    expect(fixture.size).toBeGreaterThan(80);
    expect(adapter.mapped.get('input_cost_per_token')).toBeGreaterThan(2400);
    expect(adapter.mapped.get('search_context_cost_per_query.search_context_size_medium')).toBeGreaterThan(150);
    expect(adapter.unmapped.get('search_context_cost_per_query.search_context_size_high')).toBeGreaterThan(150);
  });

  test('models.dev: every cost field of every model, including alternative modes', () => {
    const payload = fixturePayload(MODELS_DEV) as Record<string, { models: Record<string, { cost?: unknown; experimental?: { modes?: Record<string, { cost?: unknown }> } }> }>;
    const perModel: Array<Set<string>> = [];
    for (const provider of Object.values(payload)) {
      for (const model of Object.values(provider.models)) {
        const fields = new Set<string>();
        const cost = model.cost as { input?: unknown; output?: unknown } | undefined;
        // A model with no input and no output price is unpriced: its fields are not read.
        if (cost && (cost.input != null || cost.output != null)) {
          leaves(cost, 'cost', fields, (path) => !path.includes('.tier.'));
          for (const [mode, { cost: modeCost }] of Object.entries(model.experimental?.modes ?? {})) leaves(modeCost, `experimental.modes.${mode}.cost`, fields, () => true);
        }
        perModel.push(fields);
      }
    }
    const fixture = countFields(perModel);
    const results = modelsDev.upstreamIds(payload).map((provider) => parseModelsDev(payload, provider));
    const adapter = adapterCounts(results);
    // The legacy 200k tier duplicates `tiers`: read only where `tiers` is absent, so it is counted as neither.
    const legacy = [...fixture].filter(([field]) => field.startsWith('cost.context_over_200k.'));
    for (const [field] of legacy) fixture.set(field, (adapter.mapped.get(field) ?? 0) + (adapter.unmapped.get(field) ?? 0));
    expectEveryFieldAccountedFor(fixture, adapter);
    expect(adapter.mapped.get('cost.input_audio')).toBeGreaterThan(60);
  });

  test('OpenRouter: every pricing key of every model', () => {
    const payload = fixturePayload(OPENROUTER) as { data: Array<{ pricing: Record<string, unknown> }> };
    const fixture = countFields(payload.data.map((model) => new Set(Object.keys(model.pricing).map((key) => `pricing.${key}`))));
    const adapter = adapterCounts([parseOpenRouter(payload)]);
    expectEveryFieldAccountedFor(fixture, adapter);
    expect(adapter.unmapped.size).toBe(0);
  });

  test('genai-prices: every price key of every model, constrained prices included', () => {
    const payload = fixturePayload(GENAI_PRICES) as Array<{ id: string; models: Array<{ prices: unknown }> }>;
    const perModel = payload.flatMap((provider) => provider.models.map((model) => {
      const lists = Array.isArray(model.prices) ? (model.prices as Array<{ prices: object }>).map((entry) => entry.prices) : [model.prices as object];
      return new Set(lists.flatMap((prices) => Object.keys(prices).map((key) => `prices.${key}`)));
    }));
    const fixture = countFields(perModel);
    const adapter = adapterCounts(genaiPrices.upstreamIds(payload).map((provider) => parseGenaiPrices(payload, provider)));
    expectEveryFieldAccountedFor(fixture, adapter);
    expect(adapter.mapped.get('prices.input_audio_mtok')).toBeGreaterThan(10);
  });

  test('the examples the price model exists for: Gemini audio input on models.dev, web search on OpenRouter', () => {
    expect(recordOf(parseModelsDev(fixturePayload(MODELS_DEV), 'google'), 'gemini-2.5-flash')).toMatchObject({
      input: '0.3', extra: { input_audio_tokens: '1' },
    });
    expect(recordOf(parseOpenRouter(fixturePayload(OPENROUTER)), 'google/gemini-3.1-flash-lite')).toMatchObject({
      input: '0.25', extra: { input_audio_tokens: '0.5', input_images: '0.00000025', web_search_requests: '0.014' },
    });
  });
});
