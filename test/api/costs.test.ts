import { readSnapshot } from '../../src/store/snapshot.ts';
import { createPool, type Pool } from '../../src/db/pool.ts';
import { prepareDatabase, startApi, type ApiInstance } from '../../src/service.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { testLogger } from '../support/env.ts';
import { testConfig } from '../support/stack.ts';

const logger = testLogger();

interface CostsBody {
  catalog_version: number;
  last_updated: string;
  stale: boolean;
  usd_to_zar: string | null;
  providers: Record<string, { source: string; in_use: boolean; models: Array<Record<string, unknown> & { model_id: string }> }>;
}

describe('first start and GET /costs', () => {
  let db: TestDatabase;
  let pool: Pool;
  let api: ApiInstance;

  beforeAll(async () => {
    db = await createTestDatabase();
    const config = testConfig(db.url);
    await prepareDatabase(db.url, config, logger);
    api = await startApi({ url: db.url, config, logger, port: 0 });
    await api.catalog.reload();
    pool = createPool({ connectionString: db.url, applicationName: 'costs-test', logger });
  });

  afterAll(async () => {
    await api.stop();
    await pool.end();
    await db.drop();
  });

  const get = (path: string, headers: Record<string, string> = {}) => fetch(api.baseUrl + path, { headers });

  const snapshotModels = async () => (await readSnapshot()).providers.reduce((n, p) => n + p.models.length, 0);

  test('a first start loads the bundled snapshot of real prices, marked with source snapshot', async () => {
    const models = await snapshotModels();
    const { rows } = await pool.query(`select source, count(*)::int as n from model_prices group by source`);
    expect(rows).toEqual([{ source: 'snapshot', n: models }]);
    const history = await pool.query(`select changed_by, change, count(*)::int as n from price_history group by 1, 2`);
    expect(history.rows).toEqual([{ changed_by: 'snapshot', change: 'added', n: models }]);
  });

  test('a second start finds the data and loads nothing again', async () => {
    const before = await pool.query('select version from catalog_version');
    await prepareDatabase(db.url, testConfig(db.url), logger);
    const after = await pool.query('select version from catalog_version');
    const history = await pool.query('select count(*)::int as n from price_history');
    expect(after.rows).toEqual(before.rows);
    expect(history.rows[0].n).toBe(await snapshotModels());
  });

  test('GET /costs serves the whole catalog grouped by provider, with version, last_updated and usd_to_zar', async () => {
    const res = await get('/costs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await res.json()) as CostsBody;
    expect(body.catalog_version).toBeGreaterThan(0);
    expect(res.headers.get('etag')).toBe(`"catalog-${body.catalog_version}.0"`);
    expect(new Date(body.last_updated).toString()).not.toBe('Invalid Date');
    expect(body.usd_to_zar).toBeNull(); // no rate until refresh_fx has run
    expect(body.stale).toBe(false);
    const models = Object.values(body.providers).flatMap((p) => p.models);
    expect(models.length).toBeGreaterThanOrEqual(1000);
    expect(body.providers.anthropic).toMatchObject({ source: 'models_dev', in_use: true });
    expect(body.providers.deepseek).toMatchObject({ source: 'models_dev', in_use: false });
  });

  test.each([
    // provider, model, input, output, cache read, cache write: hand-read from ../shared/fixtures/upstream
    ['anthropic', 'claude-sonnet-4-5', '3', '15', '0.3', '3.75'],
    ['openai', 'o1-pro', '150', '600', null, null],
    ['amazon-bedrock', 'google.gemma-3-12b-it', '0.049999999999999996', '0.09999999999999999', null, null],
    ['helicone', 'claude-3.7-sonnet', '3', '15', '0.30000000000000004', '3.75'],
    // OpenRouter: USD per token strings, shifted exactly to per 1M
    ['openrouter', 'google/gemini-3.1-flash-lite', '0.25', '1.5', '0.025', '0.08333333333333334'],
  ])('%s %s is served with exact decimal prices per 1M tokens', async (provider, model, input, output, cacheRead, cacheWrite) => {
    const body = (await (await get(`/costs?provider=${provider}`)).json()) as CostsBody;
    const entry = body.providers[provider]?.models.find((m) => m.model_id === model);
    expect(entry).toMatchObject({
      input_cost_per_1m_tokens: input,
      output_cost_per_1m_tokens: output,
      cache_read_cost_per_1m_tokens: cacheRead,
      cache_write_cost_per_1m_tokens: cacheWrite,
      source: 'snapshot',
    });
  });

  test('states are explicit: OpenRouter "-1" is dynamic and a model without cost is unpriced, never $0', async () => {
    const body = (await (await get('/costs')).json()) as CostsBody;
    const find = (provider: string, model: string) => body.providers[provider]?.models.find((m) => m.model_id === model);
    expect(find('openrouter', 'openrouter/auto')).toMatchObject({ state: 'dynamic', input_cost_per_1m_tokens: null });
    expect(find('openrouter', 'baidu/cobuddy:free')).toMatchObject({ state: 'free', input_cost_per_1m_tokens: '0' });
    expect(find('anyapi', 'anthropic/claude-opus-4-7')).toMatchObject({ state: 'unpriced', input_cost_per_1m_tokens: null });
  });

  test('long-context tiers are served once, from tiers rather than the legacy duplicate', async () => {
    const body = (await (await get('/costs?provider=302ai')).json()) as CostsBody;
    const entry = body.providers['302ai']?.models.find((m) => m.model_id === 'claude-opus-4-7');
    expect(entry?.tiers).toEqual([{
      above_input_tokens: 200000, input_cost_per_1m_tokens: '10', output_cost_per_1m_tokens: '37.5',
      cache_read_cost_per_1m_tokens: '1', cache_write_cost_per_1m_tokens: '12.5', reasoning_cost_per_1m_tokens: null,
      prices: { input_tokens: '10', cache_read_tokens: '1', cache_write_tokens: '12.5', output_tokens: '37.5' },
    }]);
  });

  test('?provider= narrows the catalog; an unknown provider is a 404 that names it', async () => {
    const body = (await (await get('/costs?provider=anthropic')).json()) as CostsBody;
    expect(Object.keys(body.providers)).toEqual(['anthropic']);
    const missing = await get('/costs?provider=nosuchprovider');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'unknown_provider', message: expect.stringContaining('nosuchprovider') } });
  });

  test('an unknown or malformed query parameter is a 400 JSON error naming it', async () => {
    const unknown = await get('/costs?colour=red');
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ error: { code: 'invalid_request', message: expect.stringContaining('colour') } });
    const malformed = await get('/costs?provider=Not%20A%20Provider');
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error: { message: expect.stringContaining('query.provider') } });
  });

  test('/healthz says alive; /readyz checks the database, migrations and catalog', async () => {
    expect(await (await get('/healthz')).json()).toEqual({ status: 'ok' });
    const ready = await get('/readyz');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ready',
      checks: { database: { ok: true }, migrations: { ok: true }, catalog: { ok: true } },
    });
  });

  test('unknown routes and bad JSON bodies get JSON errors, never HTML', async () => {
    const missing = await get('/nope');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/json/);
    expect(await missing.json()).toMatchObject({ error: { code: 'not_found' } });
    const bad = await fetch(`${api.baseUrl}/costs/quote`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"provider": [',
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { code: 'invalid_json' } });
  });

  test('a request body that is not JSON is a 415, never read as an empty request', async () => {
    const res = await fetch(`${api.baseUrl}/costs/quote`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'provider=openai' });
    expect(res.status).toBe(415);
    expect(await res.json()).toMatchObject({ error: { code: 'unsupported_media_type', message: expect.stringContaining('content-type') } });
  });

  test.each(['/healthz', '/readyz', '/metrics', '/openapi.json', '/costs?provider=anthropic', '/costs/anthropic/claude-sonnet-4-5',
    '/costs/history?provider=anthropic&model=claude-sonnet-4-5', '/nope', '/admin/pricing-sync/log'])(
    'the answer to GET %s carries the security headers and the request id', async (path) => {
      const res = await get(path, { 'x-request-id': 'abc-123' });
      await res.arrayBuffer();
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('x-request-id')).toBe('abc-123');
      expect(res.headers.get('x-powered-by')).toBeNull();
    });
});
