import { readSnapshot } from '../../src/store/snapshot.ts';
import { randomBytes } from 'node:crypto';
import { createPool, PG_ERROR, type Pool } from '../../src/db/pool.ts';
import { prepareDatabase, startApi, type ApiInstance } from '../../src/service.ts';
import { adminQuery, createTestDatabase, type TestDatabase } from '../support/db.ts';
import { testLogger } from '../support/env.ts';
import { TEST_ADMIN_TOKEN, testConfig } from '../support/stack.ts';

const logger = testLogger();

describe('least privilege: API instances connect as a read-only role', () => {
  const login = `tariff_api_test_${randomBytes(4).toString('hex')}`;
  const password = randomBytes(12).toString('hex');
  let db: TestDatabase;
  let reader: Pool;
  let readerUrl: string;
  let api: ApiInstance;

  beforeAll(async () => {
    db = await createTestDatabase();
    await prepareDatabase(db.url, testConfig(db.url), logger);
    const serverUrl = process.env.TARIFF_TEST_SERVER_URL!;
    await adminQuery(serverUrl, `create role ${login} login password '${password}' in role tariff_reader`);
    const url = new URL(db.url);
    url.username = login;
    url.password = password;
    readerUrl = url.toString();
    reader = createPool({ connectionString: readerUrl, applicationName: 'roles-test', logger });
    api = await startApi({ url: readerUrl, writerUrl: null, config: testConfig(db.url), logger, port: 0 });
    await api.catalog.reload();
  });

  afterAll(async () => {
    await api.stop();
    await reader.end();
    await db.drop();
    await adminQuery(process.env.TARIFF_TEST_SERVER_URL!, `drop role if exists ${login}`);
  });

  test('the reader role can read prices and LISTEN', async () => {
    const { rows } = await reader.query(`select count(*)::int as n from current_prices`);
    const snapshot = await readSnapshot();
    expect(rows[0].n).toBe(snapshot.providers.reduce((n, p) => n + p.models.length, 0));
    await expect(reader.query('listen tariff_catalog')).resolves.toBeDefined();
  });

  test.each([
    ['update a price', `update model_prices set input_per_1m = 0 where provider = 'anthropic'`],
    ['insert a price', `insert into model_prices (provider, model_id, state, source) values ('anthropic', 'x', 'free', 'snapshot')`],
    ['delete a price', `delete from model_prices`],
    ['set an override', `insert into price_overrides (provider, model_id, state, reason) values ('anthropic', 'x', 'free', 'r')`],
    ['write history', `insert into price_history (provider, model_id, change, changed_by) values ('a', 'b', 'added', 'x')`],
    ['bump the catalog version', `select bump_catalog_version()`],
    ['write an exchange rate', `insert into exchange_rates (base, quote, rate, market_time, source) values ('USD', 'ZAR', 1, now(), 'x')`],
    ['enqueue a job', `select graphile_worker.add_job('sync_provider', '{}')`],
  ])('the reader role cannot %s', async (_what, sql) => {
    await expect(reader.query(sql)).rejects.toMatchObject({ code: PG_ERROR.INSUFFICIENT_PRIVILEGE });
  });

  test('an API instance on the reader role serves prices', async () => {
    const res = await fetch(`${api.baseUrl}/costs/anthropic/claude-sonnet-4-5`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ input_cost_per_1m_tokens: '3' });
  });

  test('without a connection that may write, admin routes answer 503 (after authentication)', async () => {
    const res = await fetch(`${api.baseUrl}/admin/pricing-sync`, {
      method: 'POST', headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' }, body: '{}',
    });
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ error: { code: 'admin_unavailable' } });
    const anonymous = await fetch(`${api.baseUrl}/admin/pricing-sync`, { method: 'POST' });
    expect(anonymous.status).toBe(401);
  });
});
