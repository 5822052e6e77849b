// POST /costs/quote on the real snapshot prices. Every expected total is worked
// out by hand from the prices in ../shared/fixtures/upstream and written out:
// cost = tokens × USD per 1M / 1,000,000, exactly, summed without floats.
import { refreshFx } from '../../src/sync/fx.ts';
import type { ApiInstance } from '../../src/service.ts';
import { startYahooServer, type YahooServer } from '../support/yahooServer.ts';
import type { ErrorBody } from '@tariff/pricing';
import { catalogVersion, logger, postJson, startServingStack, type QuoteBody, type ServingStack } from './helpers.ts';
import { until } from '../support/poll.ts';

let yahoo: YahooServer;
let stack: ServingStack;
let api: ApiInstance;

beforeAll(async () => {
  yahoo = await startYahooServer({ rates: { ZAR: 18.25 } });
  stack = await startServingStack({ YAHOO_FINANCE_URL: yahoo.url, FX_CURRENCIES: 'ZAR' });
  api = await stack.startInstance();
});

afterAll(async () => {
  await stack.release();
  await yahoo.close();
});

const quote = <T = QuoteBody>(body: unknown) => postJson<T>(api.baseUrl, '/costs/quote', body);

describe('quoting a call', () => {
  test.each([
    // provider, model, usage, total (USD): the working is in the comment
    // 1,234 × 2.5 + 567 × 10 (per 1M)
    ['openai', 'gpt-4o', { input_tokens: 1234, output_tokens: 567 }, '0.008755'],
    // 1M × 0.15 + 1M × 0.6
    ['openai', 'gpt-4o-mini', { input_tokens: 1_000_000, output_tokens: 1_000_000 }, '0.75'],
    // 10 × 30 + 20 × 60
    ['openai', 'gpt-4', { input_tokens: 10, output_tokens: 20 }, '0.0015'],
    // no reasoning price: reasoning tokens at the output price. 100 × 150 + 200 × 600 + 1,000 × 600
    ['openai', 'o1-pro', { input_tokens: 100, output_tokens: 200, reasoning_tokens: 1000 }, '0.735'],
    // 2,000 × 1 + 300 × 5
    ['anthropic', 'claude-haiku-4-5', { input_tokens: 2000, output_tokens: 300 }, '0.0035'],
    // 12,345 × 0.14 + 6,789 × 0.28 + 100,000 cache reads × 0.0028
    ['deepseek', 'deepseek-chat', { input_tokens: 12_345, output_tokens: 6789, cache_read_tokens: 100_000 }, '0.00390922'],
    // 1 × 0.5 + 1 × 1.5
    ['mistral', 'mistral-large-latest', { input_tokens: 1, output_tokens: 1 }, '0.000002'],
    // the float artefacts upstream published stay exact: 1M × 0.049999999999999996 + 1M × 0.09999999999999999
    ['amazon-bedrock', 'google.gemma-3-12b-it', { input_tokens: 1_000_000, output_tokens: 1_000_000 }, '0.149999999999999986'],
    // 1,000 × 0.25 + 1,000 × 1.5 + 3 cache writes × 0.08333333333333334
    ['openrouter', 'google/gemini-3.1-flash-lite', { input_tokens: 1000, output_tokens: 1000, cache_write_tokens: 3 }, '0.00175025000000000000002'],
    // prompt 250,000 > 200,000: the long-context tier, 250,000 × 2.5 + 1,000 × 15
    ['google', 'gemini-2.5-pro', { input_tokens: 250_000, output_tokens: 1000 }, '0.64'],
    // prompt exactly 200,000 is not above the tier: base prices, 190,000 × 5 + 1,000 × 25 + 10,000 cache writes × 6.25
    ['302ai', 'claude-opus-4-7', { input_tokens: 190_000, output_tokens: 1000, cache_write_tokens: 10_000 }, '1.0375'],
    // a free model costs 0, and says it is free rather than unpriced
    ['openrouter', 'baidu/cobuddy:free', { input_tokens: 5000, output_tokens: 5000 }, '0', 'free'],
  ])('%s %s costs exactly the hand-computed total', async (provider, model, usage, total, state = 'priced') => {
    const res = await quote({ provider, model, usage });

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ model_id: model, matched_by: 'exact', total_usd: total, price: { state } });
  });

  test('cache reads and writes are billed at their own prices, line by line (claude-sonnet-4-5: 3 / 15 / 0.3 / 3.75)', async () => {
    const res = await quote({
      provider: 'anthropic', model: 'claude-sonnet-4-5',
      usage: { input_tokens: 1000, output_tokens: 500, cache_read_tokens: 20_000, cache_write_tokens: 4000 },
    });

    expect(res.body).toMatchObject({
      tier: null,
      components: {
        input: { units: 1000, unit_price: '3', cost_usd: '0.003' },
        output: { units: 500, unit_price: '15', cost_usd: '0.0075' },
        cache_read: { units: 20_000, unit_price: '0.3', cost_usd: '0.006' },
        cache_write: { units: 4000, unit_price: '3.75', cost_usd: '0.015' },
        reasoning: { units: 0, unit_price: '15', cost_usd: '0' },
        requests: { units: 1, unit_price: null, cost_usd: '0' },
      },
      total_usd: '0.0315',
    });
  });

  test('a prompt above 200,000 tokens bills the whole call at 302ai claude-opus-4-7\'s long-context tier (10 / 37.5 / 1 / 12.5)', async () => {
    // prompt = 150,000 input + 60,000 cache reads = 210,000
    const res = await quote({ provider: '302ai', model: 'claude-opus-4-7', usage: { input_tokens: 150_000, output_tokens: 2000, cache_read_tokens: 60_000 } });

    expect(res.body).toMatchObject({
      tier: { above_input_tokens: 200_000 },
      components: {
        input: { units: 150_000, unit_price: '10', cost_usd: '1.5' },
        output: { units: 2000, unit_price: '37.5', cost_usd: '0.075' },
        cache_read: { units: 60_000, unit_price: '1', cost_usd: '0.06' },
        cache_write: { units: 0, unit_price: '12.5', cost_usd: '0' },
      },
      total_usd: '1.635',
    });
  });

  test('a dynamically priced model (openrouter/auto) is a 422 saying so, never a $0 quote', async () => {
    const res = await quote<ErrorBody>({ provider: 'openrouter', model: 'openrouter/auto', usage: { input_tokens: 1000, output_tokens: 1000 } });

    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'price_dynamic', details: { state: 'dynamic' } });
  });

  test('a model without a per-token price (anyapi anthropic/claude-opus-4-7) is a 422 saying it is unpriced', async () => {
    const res = await quote<ErrorBody>({ provider: 'anyapi', model: 'anthropic/claude-opus-4-7', usage: { input_tokens: 1000, output_tokens: 1000 } });

    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'price_unpriced', details: { state: 'unpriced' } });
  });

  test('a batch answers every item in order: quotes for the priceable, errors with their index for the rest', async () => {
    const usage = { input_tokens: 1000, output_tokens: 500, cache_read_tokens: 20_000, cache_write_tokens: 4000 };
    const res = await quote<{ count: number; results: Array<QuoteBody | { index: number; error: ErrorBody['error'] }> }>([
      { provider: 'anthropic', model: 'claude-sonnet-4-5', usage },
      { provider: 'openrouter', model: 'openrouter/auto', usage },
      { provider: 'anyapi', model: 'anthropic/claude-opus-4-7', usage },
      { provider: 'openai', model: 'gpt-4o-minj', usage },
      { provider: 'openai', model: 'openai/gpt-4o', usage: { input_tokens: 1234, output_tokens: 567 } },
    ]);

    expect(res.status).toBe(200);
    expect(res.body.count).toBe(5);
    expect(res.body.results).toEqual([
      expect.objectContaining({ model_id: 'claude-sonnet-4-5', total_usd: '0.0315' }),
      { index: 1, error: expect.objectContaining({ code: 'price_dynamic' }) },
      { index: 2, error: expect.objectContaining({ code: 'price_unpriced' }) },
      { index: 3, error: expect.objectContaining({ code: 'unknown_model', details: { suggestions: expect.arrayContaining(['gpt-4o-mini']) } }) },
      expect.objectContaining({ model_id: 'gpt-4o', matched_by: 'alias', total_usd: '0.008755' }),
    ]);
  });

  test('a malformed item fails the whole batch with a 400 naming its index and field', async () => {
    const res = await quote<ErrorBody>([
      { provider: 'openai', model: 'gpt-4o', usage: { input_tokens: 1, output_tokens: 1 } },
      { provider: 'openai', model: 'gpt-4o', usage: { input_tokens: 1.5, output_tokens: 1 } },
    ]);

    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('body.1.usage.input_tokens');
  });

  test('with a USD/ZAR rate stored, a quote in ZAR is the exact USD total × the rate (0.0315 × 18.25)', async () => {
    await refreshFx({ pool: stack.pool, config: stack.config, logger }, { force: false, triggered_by: 'manual', job_id: null, attempt: null });
    const version = await catalogVersion(stack.pool);
    await until('the instance to load the rate', async () => (api.catalog.current.version === version ? true : undefined));

    const res = await quote({
      provider: 'anthropic', model: 'claude-sonnet-4-5', currency: 'ZAR',
      usage: { input_tokens: 1000, output_tokens: 500, cache_read_tokens: 20_000, cache_write_tokens: 4000 },
    });

    expect(res.body).toMatchObject({ total_usd: '0.0315', currency: 'ZAR', total: '0.574875', exchange_rate: { rate: '18.25' } });
  });
});
