// A first start with no upstream reachable: every source URL and Yahoo point at
// a closed port. What the bundled snapshot serves, and how it says so.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { loadConfig, type Config } from '../../src/config.ts';
import { quotesBySymbol, recordedUsdRate } from '../../src/fx/recorded.ts';
import { prepareDatabase, startApi, type ApiInstance } from '../../src/service.ts';
import { readSnapshot } from '../../src/store/snapshot.ts';
import { SOURCES } from '../../src/sources/registry.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { testLogger, UPSTREAM_FIXTURES } from '../support/env.ts';
import { TEST_ADMIN_TOKEN } from '../support/stack.ts';
import { request, type CostsBody, type ErrorBody, type ModelBody } from './helpers.ts';
import { until } from '../support/poll.ts';
// freePort's port is bound once, then closed: nothing listens there, so it stands for an unreachable upstream.
import { freePort } from '../../scripts/support/ports.ts';

const logger = testLogger();
let db: TestDatabase;
let api: ApiInstance;
let config: Config;
let takenAt: string;

beforeAll(async () => {
  db = await createTestDatabase();
  const closed = `http://127.0.0.1:${await freePort()}`;
  config = loadConfig({
    DATABASE_URL: db.url, PORT: '0', ADMIN_TOKEN: TEST_ADMIN_TOKEN, LOG_LEVEL: 'silent', YAHOO_FINANCE_URL: closed,
    ...Object.fromEntries(SOURCES.map((source) => [source.url.env, `${closed}/${source.name}`])),
  });
  takenAt = (await readSnapshot()).taken_at;
  await prepareDatabase(db.url, config, logger);
  api = await startApi({ url: db.url, config, logger, port: 0 });
  await until('the first catalog load', async () => (api.catalog.loaded ? true : undefined));
});

afterAll(async () => {
  await api?.stop();
  await db?.drop();
});

describe('a first start with every upstream unreachable', () => {
  test('GET /costs serves the snapshot marked as such: source snapshot, its date, never synced, and when the next sync is', async () => {
    const { status, body } = await request<CostsBody & { notice?: string }>(api.baseUrl, '/costs?provider=openai');
    expect(status).toBe(200);
    expect(body.notice).toMatch(new RegExp(`^snapshot of ${takenAt.slice(0, 10)}, never synced; next sync \\d{4}-\\d\\d-\\d\\dT\\d\\d:00:00\\.000Z$`));
    const next = Date.parse(/next sync (\S+)$/.exec(body.notice!)![1]!);
    expect(next).toBeGreaterThan(Date.now() - 60_000);
    expect(next).toBeLessThanOrEqual(Date.now() + 3_600_000);
    const gpt = (body.providers.openai as { models: Array<Record<string, unknown>> }).models.find((m) => m.model_id === 'gpt-4o')!;
    expect(gpt).toMatchObject({ source: 'snapshot', updated_at: takenAt, last_seen_at: takenAt });
  });

  test('/readyz is ready and says the same', async () => {
    const { status, body } = await request<{ status: string; notice?: string }>(api.baseUrl, '/readyz');
    expect(status).toBe(200);
    expect(body.notice).toMatch(/^snapshot of \d{4}-\d\d-\d\d, never synced; next sync /);
  });

  test('GET /costs/discrepancies answers with the report built from the snapshot\'s payloads', async () => {
    const { status, body } = await request<{ generated_at: string; items: unknown[]; summary: { disagreements: { by_class: Record<string, number> } } }>(
      api.baseUrl, '/costs/discrepancies');
    expect(status).toBe(200);
    expect(body.generated_at).toBe(takenAt);
    expect(body.items.length).toBeGreaterThan(0);
    const counts = Object.values(body.summary.disagreements.by_class).reduce((a, b) => a + b, 0);
    expect(counts).toBe(body.items.length);
  });

  test('?at= before the history answers 404 naming the earliest time, and that time answers', async () => {
    const early = await request<ErrorBody & { error: { details: { earliest: string } } }>(api.baseUrl, '/costs/openai/gpt-4o?at=2026-01-31T12:00:00Z');
    expect(early.status).toBe(404);
    expect(early.body.error.code).toBe('before_history');
    expect(early.body.error.details.earliest).toBe(takenAt);
    expect(early.body.error.message).toContain(takenAt);
    const atStart = await request<ModelBody>(api.baseUrl, `/costs/openai/gpt-4o?at=${early.body.error.details.earliest}`);
    expect(atStart.status).toBe(200);
    expect(atStart.body).toMatchObject({ model_id: 'gpt-4o', source: 'snapshot' });
    const whole = await request<ErrorBody>(api.baseUrl, '/costs?at=2020-01-01T00:00:00Z');
    expect(whole.status).toBe(404);
    expect(whole.body.error.code).toBe('before_history');
  });

  test('/metrics: the first load is no reconnect, and the snapshot\'s report has an age', async () => {
    const text = await (await fetch(`${api.baseUrl}/metrics`)).text();
    expect(text).toMatch(/^tariff_catalog_reloads_total\{reason="start"\} 1$/m);
    expect(text).not.toMatch(/^tariff_catalog_reloads_total\{reason="reconnect"\}/m);
    expect(text).toMatch(/^tariff_discrepancy_report_age_seconds \d/m);
  });

  test('a currency with no rate answers 422 saying how rates are fetched', async () => {
    const { status, body } = await request<ErrorBody & { error: { details: { refresh: string } } }>(api.baseUrl, '/costs/openai/gpt-4o?currency=JPY');
    expect(status).toBe(422);
    expect(body.error.code).toBe('rate_unavailable');
    expect(body.error.details.refresh).toContain('POST /admin/fx-refresh');
    expect(body.error.details.refresh).toContain('FX_CURRENCIES');
  });
});

describe('a snapshot that carries a rate', () => {
  test('serves conversions with it from the first start', async () => {
    const own = await createTestDatabase();
    const envelope = JSON.parse(await readFile(path.join(UPSTREAM_FIXTURES, 'yahoo-quote-EURUSD=X.json'), 'utf8')) as unknown;
    const rate = recordedUsdRate('EUR', quotesBySymbol([envelope]))!;
    const snapshot = await readSnapshot();
    const { loadSnapshotIfEmpty } = await import('../../src/store/snapshot.ts');
    const { migrate } = await import('../../src/db/migrate.ts');
    const { registerProviders } = await import('../../src/store/providers.ts');
    const { createPool } = await import('../../src/db/pool.ts');
    await migrate(own.url, logger, { reader: config.DB_READER_ROLE, writer: config.DB_WRITER_ROLE });
    const pool = createPool({ connectionString: own.url, max: 2, applicationName: 'tariff-test', logger });
    const instance = { api: undefined as ApiInstance | undefined };
    try {
      await registerProviders(pool, config.providers);
      const { enqueuePriceChanges } = await import('../../src/webhooks/outbox.ts');
      await loadSnapshotIfEmpty(pool, enqueuePriceChanges, config.providers, logger,
        { ...snapshot, exchange_rates: [{ base: 'USD', quote: 'EUR', rate: rate.rate, market_time: rate.market_time.toISOString(), source: rate.source }] });
      instance.api = await startApi({ url: own.url, config, logger, port: 0 });
      await until('the first catalog load', async () => (instance.api!.catalog.loaded ? true : undefined));
      const { status, body } = await request<ModelBody & { exchange_rate: Record<string, string>; converted: Record<string, string> }>(
        instance.api.baseUrl, '/costs/openai/gpt-4o?currency=EUR');
      expect(status).toBe(200);
      expect(body.exchange_rate).toMatchObject({ quote: 'EUR', rate: rate.rate, source: 'yahoo_finance' });
      expect(body.converted.currency).toBe('EUR');
      // This start stored no discrepancy report: the report's age is absent, as its help says.
      const metrics = await (await fetch(`${instance.api.baseUrl}/metrics`)).text();
      expect(metrics).toMatch(/^# HELP tariff_discrepancy_report_age_seconds .*absent before the first report/m);
      expect(metrics).not.toMatch(/^tariff_discrepancy_report_age_seconds /m);
    } finally {
      await instance.api?.stop();
      await pool.end();
      await own.drop();
    }
  });
});
