// ?currency=ZAR (and a quote's currency): USD prices converted exactly at the
// exchange rate in effect, now or at `at`, with rates fetched by refresh_fx
// from a local Yahoo Finance.
import { refreshFx } from '../../src/sync/fx.ts';
import type { ApiInstance } from '../../src/service.ts';
import { startYahooServer, type YahooServer } from '../support/yahooServer.ts';
import type { ErrorBody } from '@tariff/pricing';
import { catalogVersion, logger, modelIn, postJson, request, startServingStack, type CostsBody, type ModelBody, type QuoteBody, type ServingStack } from './helpers.ts';
import { until } from '../support/poll.ts';

const MODEL_PATH = '/costs/anthropic/claude-sonnet-4-5';
const usage = { input_tokens: 1000, output_tokens: 1000 };

let yahoo: YahooServer;
let stack: ServingStack;
let api: ApiInstance;
/** Before refresh_fx first ran: no rate yet. */
let beforeAnyRate: string;
/** While USD/ZAR was 18.25. */
let whileFirstRate: string;

async function refreshRates(): Promise<void> {
  const result = await refreshFx({ pool: stack.pool, config: stack.config, logger }, {
    force: false, triggered_by: 'manual', job_id: null, attempt: null,
  });
  expect(result).toMatchObject({ status: 'success', changed: ['ZAR'] });
  const version = await catalogVersion(stack.pool);
  await until('the instance to load the new rate', async () => (api.catalog.current.version === version ? true : undefined));
}

beforeAll(async () => {
  yahoo = await startYahooServer({ rates: { ZAR: 18.25 } });
  stack = await startServingStack({ YAHOO_FINANCE_URL: yahoo.url, FX_CURRENCIES: 'ZAR' });
  api = await stack.startInstance();
  beforeAnyRate = new Date().toISOString();
  await refreshRates();
  whileFirstRate = new Date().toISOString();
});

afterAll(async () => {
  await stack.release();
  await yahoo.close();
});

describe('prices in ZAR', () => {
  test('GET /costs shows the USD/ZAR rate refresh_fx stored as usd_to_zar', async () => {
    const { body } = await request<CostsBody>(api.baseUrl, '/costs?provider=anthropic');

    expect(body.usd_to_zar).toBe('18.25');
  });

  test('GET /costs/:provider/:model?currency=ZAR converts each price exactly: USD price × 18.25', async () => {
    const { status, body } = await request<ModelBody>(api.baseUrl, `${MODEL_PATH}?currency=ZAR`);

    expect(status).toBe(200);
    expect(body).toMatchObject({
      input_cost_per_1m_tokens: '3',
      exchange_rate: { base: 'USD', quote: 'ZAR', rate: '18.25' },
      converted: {
        currency: 'ZAR',
        input_cost_per_1m_tokens: '54.75',
        output_cost_per_1m_tokens: '273.75',
        cache_read_cost_per_1m_tokens: '5.475',
        cache_write_cost_per_1m_tokens: '68.4375',
        reasoning_cost_per_1m_tokens: null,
      },
    });
  });

  test('GET /costs?currency=ZAR converts every model and names the rate used', async () => {
    const { body } = await request<CostsBody>(api.baseUrl, '/costs?provider=openai&currency=ZAR');

    expect(body.exchange_rate).toMatchObject({ quote: 'ZAR', rate: '18.25' });
    // gpt-4o: 2.5 / 10 / cache read 1.25 USD
    expect(modelIn(body, 'openai', 'gpt-4o')).toMatchObject({
      converted: { currency: 'ZAR', input_cost_per_1m_tokens: '45.625', output_cost_per_1m_tokens: '182.5', cache_read_cost_per_1m_tokens: '22.8125' },
    });
  });

  test('a quote in ZAR is the exact USD total × 18.25', async () => {
    const { body } = await postJson<QuoteBody>(api.baseUrl, '/costs/quote', { provider: 'anthropic', model: 'claude-sonnet-4-5', usage, currency: 'ZAR' });

    expect(body).toMatchObject({ total_usd: '0.018', currency: 'ZAR', total: '0.3285', exchange_rate: { rate: '18.25' } });
  });

  test('a currency tariff has no rate for is a 422 naming the currencies it has', async () => {
    const res = await request<ErrorBody>(api.baseUrl, `${MODEL_PATH}?currency=EUR`);

    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'rate_unavailable', details: { available: ['ZAR'] } });
  });

  test('after the rate moves to 19.5, current prices use 19.5 while ?at= a time before the move still uses 18.25', async () => {
    yahoo.setRate('ZAR', 19.5); // a 6.8% move, inside the 25% guard
    await refreshRates();

    const now = await request<ModelBody>(api.baseUrl, `${MODEL_PATH}?currency=ZAR`);
    const then = await request<ModelBody>(api.baseUrl, `${MODEL_PATH}?currency=ZAR&at=${whileFirstRate}`);
    const costs = await request<CostsBody>(api.baseUrl, '/costs?provider=anthropic');
    const costsThen = await request<CostsBody>(api.baseUrl, `/costs?provider=anthropic&currency=ZAR&at=${whileFirstRate}`);

    expect(now.body).toMatchObject({ exchange_rate: { rate: '19.5' }, converted: { input_cost_per_1m_tokens: '58.5', output_cost_per_1m_tokens: '292.5' } });
    expect(then.body).toMatchObject({ exchange_rate: { rate: '18.25' }, converted: { input_cost_per_1m_tokens: '54.75', output_cost_per_1m_tokens: '273.75' } });
    expect(costs.body.usd_to_zar).toBe('19.5');
    expect(costsThen.body.usd_to_zar).toBe('18.25');
    expect(modelIn(costsThen.body, 'anthropic', 'claude-sonnet-4-5')).toMatchObject({ converted: { input_cost_per_1m_tokens: '54.75' } });
  });

  test('quotes in ZAR use the rate in effect: 19.5 now, 18.25 at a time before the move', async () => {
    const now = await postJson<QuoteBody>(api.baseUrl, '/costs/quote', { provider: 'anthropic', model: 'claude-sonnet-4-5', usage, currency: 'ZAR' });
    const then = await postJson<QuoteBody>(api.baseUrl, '/costs/quote', { provider: 'anthropic', model: 'claude-sonnet-4-5', usage, currency: 'ZAR', at: whileFirstRate });

    expect(now.body).toMatchObject({ total_usd: '0.018', total: '0.351', exchange_rate: { rate: '19.5' } });
    expect(then.body).toMatchObject({ total_usd: '0.018', total: '0.3285', exchange_rate: { rate: '18.25' } });
  });

  test('?at= a time before any rate was fetched has no ZAR rate: 422, not a conversion at a later rate', async () => {
    const res = await request<ErrorBody>(api.baseUrl, `${MODEL_PATH}?currency=ZAR&at=${beforeAnyRate}`);

    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('rate_unavailable');
  });
});
