// ?at= (and a quote's `at`): the price in effect at a past time, read from the
// append-only history, so back-billing gets the old price after a change.
import type { ApiInstance } from '../../src/service.ts';
import type { ErrorBody } from '@tariff/pricing';
import { catalogVersion, costOf, modelIn, postJson, request, startServingStack, type CostsBody, type ModelBody, type QuoteBody, type ServingStack } from './helpers.ts';
import { until } from '../support/poll.ts';

let stack: ServingStack;
let api: ApiInstance;
/** Before the sync that moved claude-sonnet-4-5's input price from 3 to 3.3 (the snapshot's price was in effect). */
let before: string;
/** After that sync committed. */
let after: string;

beforeAll(async () => {
  stack = await startServingStack();
  api = await stack.startInstance();
  before = new Date().toISOString();
  await stack.syncModelsDev('anthropic', (payload) => {
    costOf(payload, 'anthropic', 'claude-sonnet-4-5').input = 3.3;
  });
  after = new Date().toISOString();
  const version = await catalogVersion(stack.pool);
  await until('the instance to load the change', async () => (api.catalog.current.version === version ? true : undefined));
});

afterAll(async () => {
  await stack.release();
});

const usage = { input_tokens: 1000, output_tokens: 1000 };

describe('prices at a point in time', () => {
  test('GET /costs?provider=anthropic&at= serves the old price for a time before the change and the new one after', async () => {
    const old = await request<CostsBody>(api.baseUrl, `/costs?provider=anthropic&at=${before}`);
    const now = await request<CostsBody>(api.baseUrl, `/costs?provider=anthropic&at=${after}`);
    const current = await request<CostsBody>(api.baseUrl, '/costs?provider=anthropic');

    expect(old.status).toBe(200);
    expect(old.body.at).toBe(before);
    expect(modelIn(old.body, 'anthropic', 'claude-sonnet-4-5')).toMatchObject({ input_cost_per_1m_tokens: '3', output_cost_per_1m_tokens: '15' });
    expect(modelIn(now.body, 'anthropic', 'claude-sonnet-4-5')).toMatchObject({ input_cost_per_1m_tokens: '3.3', output_cost_per_1m_tokens: '15' });
    expect(modelIn(current.body, 'anthropic', 'claude-sonnet-4-5')).toMatchObject({ input_cost_per_1m_tokens: '3.3' });
  });

  test('GET /costs/anthropic/claude-sonnet-4-5?at= serves the old price before the change and the new one after', async () => {
    const old = await request<ModelBody>(api.baseUrl, `/costs/anthropic/claude-sonnet-4-5?at=${before}`);
    const now = await request<ModelBody>(api.baseUrl, `/costs/anthropic/claude-sonnet-4-5?at=${after}`);

    expect(old.body).toMatchObject({ at: before, matched_by: 'exact', input_cost_per_1m_tokens: '3', cache_read_cost_per_1m_tokens: '0.3' });
    expect(now.body).toMatchObject({ at: after, matched_by: 'exact', input_cost_per_1m_tokens: '3.3', cache_read_cost_per_1m_tokens: '0.3' });
  });

  test('?at= resolves model ids as the current catalog does: an OpenRouter-style alias gets the old price too', async () => {
    const old = await request<ModelBody>(api.baseUrl, `/costs/anthropic/anthropic/claude-sonnet-4-5?at=${before}`);

    expect(old.body).toMatchObject({ matched_by: 'alias', model_id: 'claude-sonnet-4-5', input_cost_per_1m_tokens: '3' });
  });

  test('POST /costs/quote with `at` quotes at the price in effect then: 1,000 + 1,000 tokens cost 0.018 before and 0.0183 after', async () => {
    const old = await postJson<QuoteBody>(api.baseUrl, '/costs/quote', { provider: 'anthropic', model: 'claude-sonnet-4-5', usage, at: before });
    const now = await postJson<QuoteBody>(api.baseUrl, '/costs/quote', { provider: 'anthropic', model: 'claude-sonnet-4-5', usage, at: after });
    const current = await postJson<QuoteBody>(api.baseUrl, '/costs/quote', { provider: 'anthropic', model: 'claude-sonnet-4-5', usage });

    expect(old.status).toBe(200);
    expect(old.body).toMatchObject({ at: before, total_usd: '0.018', components: { input: { units: 1000, unit_price: '3', cost_usd: '0.003' } } });
    expect(now.body).toMatchObject({ at: after, total_usd: '0.0183', components: { input: { units: 1000, unit_price: '3.3', cost_usd: '0.0033' } } });
    expect(current.body.total_usd).toBe('0.0183');
  });

  test('a batch quote mixes times: each item is priced at its own `at`', async () => {
    const res = await postJson<{ count: number; results: QuoteBody[] }>(api.baseUrl, '/costs/quote', [
      { provider: 'anthropic', model: 'claude-sonnet-4-5', usage, at: before },
      { provider: 'anthropic', model: 'claude-sonnet-4-5', usage, at: after },
      { provider: 'anthropic', model: 'claude-sonnet-4-5', usage },
    ]);

    expect(res.status).toBe(200);
    expect(res.body.results.map((r) => r.total_usd)).toEqual(['0.018', '0.0183', '0.0183']);
  });

  test('a time before tariff held any price is a 404 naming the earliest time, never a price', async () => {
    const res = await request<ErrorBody & { error: { details: { earliest: string } } }>(
      api.baseUrl, '/costs/anthropic/claude-sonnet-4-5?at=2020-01-01T00:00:00Z');
    const { rows } = await stack.pool.query<{ start: Date }>(
      "select min(changed_at) as start from price_history where provider = 'anthropic' and not shadowed");

    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('before_history');
    expect(res.body.error.details.earliest).toBe(rows[0]!.start.toISOString());
  });
});
