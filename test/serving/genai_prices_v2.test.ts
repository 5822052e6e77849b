// genai-prices' live feed (prices/new_data/v2/data.json) as a provider's own
// source: its 1-hour cache write and web search prices, which the frozen v1
// file lacks, bill over HTTP. The fixture's claude-sonnet-4-5 has
// cache_write_1h_mtok {base: 6, tiers: [{start: 200000, price: 12}]} and
// web_searches_kcount 10.
import type { ApiInstance } from '../../src/service.ts';
import { catalogVersion, postJson, request, startServingStack, type ServingStack } from './helpers.ts';
import { until } from '../support/poll.ts';
import { syncProvider } from '../../src/sync/provider.ts';
import { testLogger } from '../support/env.ts';
import { lastSyncLog } from '../sync/helpers.ts';

let stack: ServingStack;
let api: ApiInstance;

interface Body {
  total_usd: string;
  components: Record<string, { unit_price: string | null; cost_usd: string; source?: string }>;
}

beforeAll(async () => {
  stack = await startServingStack({ PROVIDERS_IN_USE: 'anthropic', PROVIDER_SOURCES: 'anthropic=genai_prices' });
  api = await stack.startInstance();
  const result = await syncProvider({ pool: stack.pool, config: stack.config, logger: testLogger() },
    { provider: 'anthropic', dry_run: false, force: true, triggered_by: 'manual', job_id: null, attempt: null });
  if (result.status !== 'success') throw new Error(`sync of anthropic: ${JSON.stringify(result)}`);
  const version = await catalogVersion(stack.pool);
  await until('the synced catalog', async () => {
    const res = await request<{ catalog_version: number }>(api.baseUrl, '/costs/anthropic/claude-sonnet-4-5');
    return res.body.catalog_version >= version ? true : undefined;
  });
});

afterAll(async () => {
  await stack.release();
});

test('a sync from genai-prices reads the v2 feed, and its 1-hour cache write and web search prices are served from it', async () => {
  const res = await postJson<Body>(api.baseUrl, '/costs/quote', {
    provider: 'anthropic', model: 'claude-sonnet-4-5', usage: { input_tokens: 1000, output_tokens: 0, cache_write_1h_tokens: 10_000, web_search_requests: 2 },
  });

  expect(res.status).toBe(200);
  expect(res.body.components.cache_write_1h_tokens).toMatchObject({ unit_price: '6', cost_usd: '0.06', source: 'genai_prices' });
  expect(res.body.components.web_search_requests).toMatchObject({ unit_price: '0.01', cost_usd: '0.02', source: 'genai_prices' });
  // 1,000 × 3 per 1M + 10,000 × 6 per 1M + 2 × 0.01
  expect(res.body.total_usd).toBe('0.083');
  const log = await lastSyncLog(stack.pool, 'anthropic');
  expect(log).toMatchObject({ status: 'success', source: 'genai_prices' });
});
