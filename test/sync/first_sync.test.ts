// A first sync of each kind of source into an empty catalog: how many models,
// and their exact prices per 1M tokens, worked out by hand from the fixtures.
import { startApi, type ApiInstance } from '../../src/service.ts';
import { parseExactJson } from '../../src/sources/json.ts';
import { parseLiteLlm } from '../../src/sources/litellm.ts';
import { testLogger } from '../support/env.ts';
import { fixtureText } from '../../scripts/support/upstream.ts';
import {
  catalogVersion, history, lastSyncLog, price, startSyncStack, storedPrice, storedPrices, sync, type SyncStack,
} from './helpers.ts';

let stack: SyncStack;
/** The version after the providers were registered (which bumps it once), before any sync. */
let registered: number;

beforeAll(async () => {
  stack = await startSyncStack({
    PROVIDERS_IN_USE: 'openrouter,anthropic,google,bedrock',
    PROVIDER_SOURCES: 'bedrock=litellm',
  });
  registered = await catalogVersion(stack.pool);
});

afterAll(async () => {
  await stack.release();
});

describe('a first sync into an empty catalog', () => {
  test('models.dev anthropic: all 25 models are stored with their per-1M prices as written', async () => {
    const result = await sync(stack, 'anthropic');

    expect(result).toMatchObject({ status: 'success', counts: { fetched: 25, added: 25, updated: 0, removed: 0, skipped: 0 } });
    const rows = await storedPrices(stack.pool, 'anthropic');
    expect(rows.size).toBe(25);
    expect([...rows.values()].every((row) => row.state === 'priced' && row.source === 'models_dev')).toBe(true);
    expect(rows.get('claude-sonnet-4-5')).toMatchObject({
      name: 'Claude Sonnet 4.5 (latest)', input: '3', output: '15', cache_read: '0.3', cache_write: '3.75',
      // models.dev lists no long-context prices for it: the tier comes from another source (test/serving/filled_prices.test.ts)
      tiers: [expect.objectContaining({ above_tokens: 200000, input: '6', output: '22.5' })],
    });
    expect(rows.get('claude-opus-4-1')).toMatchObject(price({ input: '15', output: '75', cache_read: '1.5', cache_write: '18.75' }));
    expect(rows.get('claude-3-5-haiku-20241022')).toMatchObject(price({ input: '0.8', output: '4', cache_read: '0.08', cache_write: '1' }));
    expect(rows.get('claude-3-haiku-20240307')).toMatchObject(price({ input: '0.25', output: '1.25', cache_read: '0.03', cache_write: '0.3' }));
  });

  test('models.dev google: a context tier is kept once (tiers, not also context_over_200k), models without cost are unpriced', async () => {
    await sync(stack, 'google');

    const rows = await storedPrices(stack.pool, 'google');
    expect(rows.size).toBe(22);
    expect(rows.get('gemini-2.5-pro')).toMatchObject(price({
      input: '1.25', output: '10', cache_read: '0.125',
      tiers: [{ above_tokens: 200000, input: '2.5', output: '15', cache_read: '0.25', cache_write: null, reasoning: null }],
    }));
    expect(rows.get('gemini-2.0-flash-lite')).toMatchObject({ state: 'priced', input: '0.075', output: '0.3', cache_write: null, reasoning: null });
    expect(rows.get('gemma-4-31b-it')).toMatchObject(price({ state: 'unpriced' }));
    expect([...rows.values()].filter((row) => row.state === 'unpriced').map((row) => row.model_id))
      .toEqual(['gemma-4-26b-a4b-it', 'gemma-4-31b-it']);
  });

  test('OpenRouter: all 364 models are stored, per-token strings scaled to per-1M exactly', async () => {
    const result = await sync(stack, 'openrouter');

    expect(result).toMatchObject({ status: 'success', counts: { fetched: 364, added: 364, skipped: 0 } });
    const rows = await storedPrices(stack.pool, 'openrouter');
    expect(rows.size).toBe(364);
    expect(rows.get('openai/gpt-4')).toMatchObject({ name: 'OpenAI: GPT-4', ...price({ input: '30', output: '60' }) });
    expect(rows.get('anthropic/claude-opus-4.7-fast')).toMatchObject(price({ input: '30', output: '150', cache_read: '3', cache_write: '37.5' }));
    expect(rows.get('google/gemini-3.1-flash-lite')).toMatchObject(price({
      input: '0.25', output: '1.5', cache_read: '0.025', cache_write: '0.08333333333333334', reasoning: '1.5',
    }));
    expect(rows.get('deepseek/deepseek-v4-pro')).toMatchObject(price({ input: '0.435', output: '0.87', cache_read: '0.003625' }));
    expect(rows.get('inclusionai/ling-2.6-flash')).toMatchObject(price({ input: '0.01', output: '0.03', cache_read: '0.002' }));
    expect(rows.get('openrouter/auto')).toMatchObject(price({ state: 'dynamic' }));
    expect(rows.get('baidu/cobuddy:free')).toMatchObject(price({ state: 'free', input: '0', output: '0' }));
  });

  test('LiteLLM bedrock: 266 models stored from per-token numbers, the repeated key skipped and logged', async () => {
    const result = await sync(stack, 'bedrock');

    expect(result).toMatchObject({ status: 'success', counts: { fetched: 267, added: 266, skipped: 1 } });
    const rows = await storedPrices(stack.pool, 'bedrock');
    expect(rows.size).toBe(266);
    expect(rows.get('anthropic.claude-3-5-sonnet-20241022-v2:0')).toMatchObject({
      source: 'litellm',
      ...price({
        input: '3', output: '15', cache_read: '0.3', cache_write: '3.75',
        tiers: [{ above_tokens: 200000, input: '6', output: '30', cache_read: '0.6', cache_write: '7.5', reasoning: null }],
      }),
    });
    expect(rows.get('anthropic.claude-3-haiku-20240307-v1:0')).toMatchObject(price({
      input: '0.25', output: '1.25', cache_read: '0.025', cache_write: '0.3125',
    }));
    expect(rows.get('us-east-1/meta.llama3-70b-instruct-v1:0')).toMatchObject(price({ input: '2.65', output: '3.5' }));
    expect(rows.get('mistral.mistral-large-2402-v1:0')).toMatchObject(price({ input: '8', output: '24' }));
    expect(rows.get('anthropic.claude-mythos-preview')).toMatchObject(price({ state: 'free', input: '0', output: '0' }));
    // Priced per image generated, not per token: that dimension carries the price, the token fields stay null.
    expect(rows.get('amazon.titan-image-generator-v1')).toMatchObject({ ...price({ state: 'priced' }), extra: { input_images: '0', images: '0.008' } });

    const log = await lastSyncLog(stack.pool, 'bedrock');
    expect(log).toMatchObject({ status: 'success', source: 'litellm', models_fetched: 267, models_added: 266, models_skipped: 1 });
    expect(log.errors).toEqual([{
      model_id: 'us.anthropic.claude-3-5-haiku-20241022-v1:0',
      reason: 'us.anthropic.claude-3-5-haiku-20241022-v1:0 repeats bedrock/us.anthropic.claude-3-5-haiku-20241022-v1:0',
    }]);
    // The cost fields the adapter does not map are listed, with how many of bedrock's models carry each.
    const { rows: [unmapped] } = await stack.pool.query<{ unmapped_fields: Array<{ field: string; models: number }> }>(
      'select unmapped_fields from pricing_sync_log where id = $1::bigint', [log.id]);
    const expected = parseLiteLlm(parseExactJson(fixtureText('litellm')), 'bedrock').unmapped;
    expect(expected!.length).toBeGreaterThan(0);
    expect(unmapped!.unmapped_fields).toEqual(expected);
  });

  test('each first sync records one "added" history row per model and its counts in the sync log', async () => {
    const log = await lastSyncLog(stack.pool, 'anthropic');
    const added = await history(stack.pool, { syncLogId: Number(log.id) });

    expect(log).toMatchObject({
      kind: 'prices', status: 'success', triggered_by: 'manual', dry_run: false, forced: false,
      models_fetched: 25, models_added: 25, models_updated: 0, models_unchanged: 0, models_removed: 0, models_skipped: 0,
      error_message: null,
    });
    expect(added).toHaveLength(25);
    expect(added.every((row) => row.change === 'added' && row.old_price === null && row.changed_by === 'api_sync:anthropic')).toBe(true);
    const sonnet = (await storedPrices(stack.pool, 'anthropic')).get('claude-sonnet-4-5')!;
    expect(added.find((row) => row.model_id === 'claude-sonnet-4-5')?.new_price)
      .toMatchObject({ ...price({ input: '3', output: '15', cache_read: '0.3', cache_write: '3.75', tiers: sonnet.tiers }), extra: sonnet.extra });
    // One version bump per applied sync: anthropic, google, openrouter, bedrock.
    expect(await catalogVersion(stack.pool)).toBe(registered + 4);
  });
});

describe('a second sync of the same fixtures', () => {
  test.each([
    ['anthropic', 25], ['google', 22], ['openrouter', 364], ['bedrock', 266],
  ])('%s: every model unchanged (context tiers included), no history row, no version bump', async (provider, models) => {
    const before = { history: (await history(stack.pool)).length, version: await catalogVersion(stack.pool) };

    const result = await sync(stack, provider);

    expect(result).toMatchObject({ status: 'success', counts: { added: 0, updated: 0, removed: 0, unchanged: models } });
    expect((await history(stack.pool)).length).toBe(before.history);
    expect(await catalogVersion(stack.pool)).toBe(before.version);
  });
});

describe('GET /costs after the first syncs', () => {
  let api: ApiInstance;

  beforeAll(async () => {
    api = await startApi({ url: stack.db.url, config: stack.config, logger: testLogger(), port: 0 });
    await api.catalog.reload();
  });

  afterAll(async () => {
    await api.stop();
  });

  test('serves the synced prices of every source as decimal strings', async () => {
    const response = await fetch(`${api.baseUrl}/costs`);
    const body = await response.json() as {
      catalog_version: number;
      providers: Record<string, { source: string; models: Array<Record<string, unknown>> }>;
    };

    expect(response.status).toBe(200);
    expect(body.catalog_version).toBe(registered + 4);
    const model = (provider: string, id: string) => body.providers[provider]?.models.find((m) => m.model_id === id);
    expect(body.providers.anthropic?.source).toBe('models_dev');
    expect(body.providers.anthropic?.models).toHaveLength(25);
    expect(model('anthropic', 'claude-sonnet-4-5')).toMatchObject({
      input_cost_per_1m_tokens: '3', output_cost_per_1m_tokens: '15',
      cache_read_cost_per_1m_tokens: '0.3', cache_write_cost_per_1m_tokens: '3.75', source: 'models_dev',
    });
    expect(model('openrouter', 'openai/gpt-4')).toMatchObject({ input_cost_per_1m_tokens: '30', output_cost_per_1m_tokens: '60' });
    expect(model('bedrock', 'anthropic.claude-3-5-sonnet-20241022-v2:0')).toMatchObject({
      input_cost_per_1m_tokens: '3', output_cost_per_1m_tokens: '15', source: 'litellm',
      tiers: [{ above_input_tokens: 200000, input_cost_per_1m_tokens: '6', output_cost_per_1m_tokens: '30',
        cache_read_cost_per_1m_tokens: '0.6', cache_write_cost_per_1m_tokens: '7.5', reasoning_cost_per_1m_tokens: null }],
    });
    expect(model('google', 'gemini-2.5-pro')).toMatchObject({ input_cost_per_1m_tokens: '1.25', output_cost_per_1m_tokens: '10' });
  });

  test('a 17-significant-digit price is served exactly as stored, with no float rounding', async () => {
    const stored = await storedPrice(stack.pool, 'openrouter', 'google/gemini-3.1-flash-lite');
    const body = await (await fetch(`${api.baseUrl}/costs?provider=openrouter`)).json() as {
      providers: { openrouter: { models: Array<Record<string, unknown>> } };
    };

    const served = body.providers.openrouter.models.find((m) => m.model_id === 'google/gemini-3.1-flash-lite');
    expect(served?.cache_write_cost_per_1m_tokens).toBe(stored.cache_write);
    expect(stored.cache_write).toBe('0.08333333333333334');
  });
});
