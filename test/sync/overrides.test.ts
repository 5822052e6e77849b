// Manual price overrides through /admin/prices: they win over synced prices,
// survive later syncs, and DELETE brings the synced price back; every step is
// in price_history as manual:<reason>.
import type { Pool } from '../../src/db/pool.ts';
import { startApi, type ApiInstance } from '../../src/service.ts';
import { testLogger } from '../support/env.ts';
import { TEST_ADMIN_TOKEN } from '../support/stack.ts';
import {
  catalogVersion, history, lastSyncLog, price, serveEdited, startSyncStack, storedPrice, sync, type OpenRouterPayload, type SyncStack,
} from './helpers.ts';

/** A LiteLLM key under bedrock/: its model id keeps a '/' and a ':'. */
const LLAMA = 'us-east-1/meta.llama3-70b-instruct-v1:0';

let stack: SyncStack;
let api: ApiInstance;

const json = { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' };

beforeAll(async () => {
  stack = await startSyncStack({ PROVIDERS_IN_USE: 'openrouter,bedrock', PROVIDER_SOURCES: 'bedrock=litellm' });
  await sync(stack, 'openrouter');
  await sync(stack, 'bedrock');
  api = await startApi({ url: stack.db.url, config: stack.config, logger: testLogger(), port: 0 });
});

afterAll(async () => {
  await api.stop();
  await stack.release();
});

interface ServedPrice {
  overridden: boolean;
  override_reason: string | null;
  source: string;
  input: string | null;
  output: string | null;
}

async function served(pool: Pool, provider: string, modelId: string): Promise<ServedPrice | undefined> {
  const { rows } = await pool.query<ServedPrice>(`
    select overridden, override_reason, source, trim_scale(input_per_1m)::text as input, trim_scale(output_per_1m)::text as output
      from current_prices where provider = $1::text and model_id = $2::text`, [provider, modelId]);
  return rows[0];
}

/** The model as GET /costs serves it, after the API reloads its catalog. */
async function costsEntry(provider: string, modelId: string): Promise<Record<string, unknown> | undefined> {
  await api.catalog.reload();
  const body = await (await fetch(`${api.baseUrl}/costs?provider=${provider}`)).json() as {
    providers: Record<string, { models: Array<Record<string, unknown>> }>;
  };
  return body.providers[provider]?.models.find((model) => model.model_id === modelId);
}

function putOverride(path: string, body: unknown): Promise<Response> {
  return fetch(`${api.baseUrl}/admin/prices/${path}`, { method: 'PUT', headers: json, body: JSON.stringify(body) });
}

describe('a manual override', () => {
  test('PUT wins over the synced price, in current_prices and GET /costs, with an override_set history row', async () => {
    const version = await catalogVersion(stack.pool);

    const response = await putOverride(`bedrock/${LLAMA}`, {
      reason: 'negotiated rate', input_cost_per_1m_tokens: '2', output_cost_per_1m_tokens: 3,
    });

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      provider: 'bedrock', model_id: LLAMA, reason: 'negotiated rate',
      old_price: price({ input: '2.65', output: '3.5' }), new_price: price({ input: '2', output: '3' }),
    });
    expect(await served(stack.pool, 'bedrock', LLAMA)).toEqual({
      overridden: true, override_reason: 'negotiated rate', source: 'manual', input: '2', output: '3',
    });
    expect(await costsEntry('bedrock', LLAMA)).toMatchObject({
      input_cost_per_1m_tokens: '2', output_cost_per_1m_tokens: '3', source: 'manual', override_reason: 'negotiated rate',
    });
    expect((await history(stack.pool, { provider: 'bedrock' })).at(-1)).toMatchObject({
      model_id: LLAMA, change: 'override_set', changed_by: 'manual:negotiated rate', sync_log_id: null,
      old_price: price({ input: '2.65', output: '3.5' }), new_price: price({ input: '2', output: '3' }),
    });
    expect(await catalogVersion(stack.pool)).toBe(version + 1);
  });

  test('a later sync that changes the underlying price stores it, shadowed, and the served price stays the override', async () => {
    serveEdited<Record<string, Record<string, unknown>>>(stack.upstream, 'litellm', (payload) => {
      payload[`bedrock/${LLAMA}`]!.input_cost_per_token = 2.8e-6;
    });

    const result = await sync(stack, 'bedrock');

    expect(result).toMatchObject({ status: 'success', counts: { updated: 1 } });
    expect(await storedPrice(stack.pool, 'bedrock', LLAMA)).toMatchObject({ input: '2.8', output: '3.5' });
    expect(await served(stack.pool, 'bedrock', LLAMA)).toMatchObject({ overridden: true, input: '2', output: '3' });
    expect(await costsEntry('bedrock', LLAMA)).toMatchObject({ input_cost_per_1m_tokens: '2', output_cost_per_1m_tokens: '3' });
    const log = await lastSyncLog(stack.pool, 'bedrock');
    expect(await history(stack.pool, { syncLogId: Number(log.id) })).toMatchObject([{
      model_id: LLAMA, change: 'updated', shadowed: true,
      old_price: price({ input: '2.65', output: '3.5' }), new_price: price({ input: '2.8', output: '3.5' }),
    }]);
  });

  test('DELETE restores the synced price, with an override_cleared history row naming the reason', async () => {
    const response = await fetch(`${api.baseUrl}/admin/prices/bedrock/${LLAMA}?reason=contract%20ended`, { method: 'DELETE', headers: json });

    expect(response.status).toBe(204);
    expect(await served(stack.pool, 'bedrock', LLAMA)).toEqual({
      overridden: false, override_reason: null, source: 'litellm', input: '2.8', output: '3.5',
    });
    expect(await costsEntry('bedrock', LLAMA)).toMatchObject({
      input_cost_per_1m_tokens: '2.8', output_cost_per_1m_tokens: '3.5', source: 'litellm', override_reason: null,
    });
    expect((await history(stack.pool, { provider: 'bedrock' })).at(-1)).toMatchObject({
      model_id: LLAMA, change: 'override_cleared', changed_by: 'manual:contract ended',
      old_price: price({ input: '2', output: '3' }), new_price: price({ input: '2.8', output: '3.5' }),
    });
  });

  test('DELETE of a model with no override is a 404', async () => {
    const response = await fetch(`${api.baseUrl}/admin/prices/bedrock/${LLAMA}`, { method: 'DELETE', headers: json });

    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ error: { code: 'not_found', message: `path: no override for bedrock/${LLAMA}` } });
  });

  test('an OpenRouter id with "/" and ":" works in the path, written plainly or percent-encoded', async () => {
    const plain = await putOverride('openrouter/deepseek/deepseek-v4-flash:free', {
      reason: 'free tier ended', input_cost_per_1m_tokens: '0.126', output_cost_per_1m_tokens: '0.252',
    });
    const encoded = await putOverride(`openrouter/${encodeURIComponent('~anthropic/claude-sonnet-latest')}`, {
      reason: 'alias pinned', input_cost_per_1m_tokens: '2.5', output_cost_per_1m_tokens: '12.5',
    });

    expect(plain.status).toBe(200);
    expect(encoded.status).toBe(200);
    expect(await served(stack.pool, 'openrouter', 'deepseek/deepseek-v4-flash:free')).toMatchObject({ overridden: true, input: '0.126' });
    expect(await served(stack.pool, 'openrouter', '~anthropic/claude-sonnet-latest')).toMatchObject({ overridden: true, input: '2.5' });
    expect(await costsEntry('openrouter', 'deepseek/deepseek-v4-flash:free')).toMatchObject({
      state: 'priced', input_cost_per_1m_tokens: '0.126', override_reason: 'free tier ended',
    });
  });

  test('an override for a model the catalog does not list yet is served on its own', async () => {
    const response = await putOverride('openrouter/acme/unlisted-model', {
      reason: 'private deployment', input_cost_per_1m_tokens: '1', output_cost_per_1m_tokens: '2',
    });

    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ old_price: null, new_price: price({ input: '1', output: '2' }) });
    expect(await costsEntry('openrouter', 'acme/unlisted-model')).toMatchObject({ input_cost_per_1m_tokens: '1', source: 'manual' });
  });

  test('an override may price the other dimensions too (a negotiated web search price), served and quoted', async () => {
    const response = await putOverride('openrouter/acme/search-model', {
      reason: 'search bundle', input_cost_per_1m_tokens: '1', output_cost_per_1m_tokens: '2',
      prices: { web_search_requests: '0.02', input_audio_tokens: '4' },
      tiers: [{ above_input_tokens: 100000, input_cost_per_1m_tokens: '2', prices: { input_audio_tokens: '8' } }],
    });
    expect(response.status).toBe(200);
    expect(await costsEntry('openrouter', 'acme/search-model')).toMatchObject({
      prices: { input_tokens: '1', output_tokens: '2', input_audio_tokens: '4', web_search_requests: '0.02' },
      tiers: [{ above_input_tokens: 100000, prices: { input_tokens: '2', input_audio_tokens: '8' } }],
    });
    const quote = await fetch(`${api.baseUrl}/costs/quote`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ provider: 'openrouter', model: 'acme/search-model', usage: { input_tokens: 0, output_tokens: 0, web_search_requests: 3 } }),
    });
    expect(await quote.json()).toMatchObject({ total_usd: '0.06' });
    const unknown = await putOverride('openrouter/acme/search-model', {
      reason: 'typo', input_cost_per_1m_tokens: '1', output_cost_per_1m_tokens: '2', prices: { web_searches: '0.02' },
    });
    expect(unknown.status).toBe(400);
    expect((await unknown.json() as { error: { message: string } }).error.message).toMatch(/body\.prices/);
  });

  test('an overridden model that its upstream stops listing is still served at the override', async () => {
    await putOverride('openrouter/openai/gpt-4o', { reason: 'enterprise contract', input_cost_per_1m_tokens: '2', output_cost_per_1m_tokens: '8' });
    serveEdited<OpenRouterPayload>(stack.upstream, 'openrouter', (payload) => {
      payload.data = payload.data.filter((model) => model.id !== 'openai/gpt-4o');
    });
    try {
      expect(await sync(stack, 'openrouter')).toMatchObject({ status: 'success', counts: { removed: 1 } });
      expect(await storedPrice(stack.pool, 'openrouter', 'openai/gpt-4o')).toMatchObject({ removed_at: expect.any(Date) });
      expect(await costsEntry('openrouter', 'openai/gpt-4o')).toMatchObject({
        input_cost_per_1m_tokens: '2', output_cost_per_1m_tokens: '8', source: 'manual', removed_at: null,
      });
    } finally {
      stack.upstream.setBody('openrouter', null);
    }
  });

  test('an unknown provider is a 404 and a priced override without an output price is a 400; neither writes', async () => {
    const version = await catalogVersion(stack.pool);

    const unknown = await putOverride('mistral/mistral-large', { reason: 'x', input_cost_per_1m_tokens: '1', output_cost_per_1m_tokens: '2' });
    const incomplete = await putOverride('openrouter/openai/gpt-4', { reason: 'x', input_cost_per_1m_tokens: '1' });

    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: 'unknown_provider' } });
    expect(incomplete.status).toBe(400);
    expect(await incomplete.json()).toMatchObject({ error: { code: 'invalid_request' } });
    expect(await catalogVersion(stack.pool)).toBe(version);
  });
});
