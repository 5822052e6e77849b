// docker-compose.dev.yml's least-privilege stack, without Docker: the logins its
// PostgreSQL init script creates, a worker that may not migrate (RUN_MIGRATIONS=false)
// running as the writer login, and an API reading as the reader login.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createPool, PG_ERROR, type Pool } from '../../src/db/pool.ts';
import { prepareDatabase, startApi, startWorker, type ApiInstance, type WorkerInstance } from '../../src/service.ts';
import { TASKS } from '../../tasks/index.ts';
import { adminQuery, createTestDatabase, type TestDatabase } from '../support/db.ts';
import { REPO_ROOT, testLogger } from '../support/env.ts';
import { TEST_ADMIN_TOKEN, testConfig } from '../support/stack.ts';
import { startUpstream, type UpstreamServer } from '../../scripts/support/upstream.ts';
import { until } from '../support/poll.ts';

const logger = testLogger();

function asLogin(url: string, user: string): string {
  const login = new URL(url);
  login.username = user;
  login.password = user; // the init script's local-stack passwords equal the login names
  return login.toString();
}

describe('the compose stack: API as a reader login, worker as a writer login, migrations by the owner', () => {
  let db: TestDatabase;
  let upstream: UpstreamServer;
  let worker: WorkerInstance;
  let api: ApiInstance;
  let workerPool: Pool;
  let apiPool: Pool;

  beforeAll(async () => {
    const compose = await readFile(path.join(REPO_ROOT, 'docker-compose.dev.yml'), 'utf8');
    expect(compose).toContain('./scripts/compose/init-roles.sql:/docker-entrypoint-initdb.d/');
    await adminQuery(process.env.TARIFF_TEST_SERVER_URL!, await readFile(path.join(REPO_ROOT, 'scripts/compose/init-roles.sql'), 'utf8'));
    db = await createTestDatabase(); // migrated by the owner, as the compose stack's migrate service does
    upstream = await startUpstream();
    const workerUrl = asLogin(db.url, 'tariff_worker');
    const apiUrl = asLogin(db.url, 'tariff_api');
    const config = testConfig(workerUrl, upstream, { RUN_MIGRATIONS: 'false', PROVIDERS_IN_USE: 'anthropic,openai' });
    await prepareDatabase(workerUrl, config, logger);
    worker = await startWorker({ url: workerUrl, config, logger, tasks: TASKS });
    api = await startApi({ url: apiUrl, writerUrl: workerUrl, config, logger, port: 0 });
    workerPool = createPool({ connectionString: workerUrl, max: 1, applicationName: 'compose-test', logger });
    apiPool = createPool({ connectionString: apiUrl, max: 1, applicationName: 'compose-test', logger });
  });

  afterAll(async () => {
    await api?.stop();
    await worker?.stop();
    await workerPool?.end();
    await apiPool?.end();
    await upstream?.close();
    await db?.drop();
  });

  test('the writer login loaded the first-start snapshot but may not change the schema', async () => {
    const { rows } = await workerPool.query<{ n: number }>('select count(*)::int as n from model_prices');
    expect(rows[0]!.n).toBeGreaterThan(0);
    await expect(workerPool.query('create table intruder (id int)')).rejects.toMatchObject({ code: PG_ERROR.INSUFFICIENT_PRIVILEGE });
  });

  test('the reader login may read but not write prices', async () => {
    await expect(apiPool.query('select count(*) from current_prices')).resolves.toBeDefined();
    await expect(apiPool.query(`update model_prices set input_per_1m = 0`)).rejects.toMatchObject({ code: PG_ERROR.INSUFFICIENT_PRIVILEGE });
  });

  test('a sync enqueued through the API runs on the writer login and is served by the reader login', async () => {
    const response = await fetch(`${api.baseUrl}/admin/pricing-sync`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ providers: ['anthropic'] }),
    });
    expect(response.status).toBe(202);
    const status = await until('the sync to end', async () => {
      const { rows } = await workerPool.query<{ status: string }>(
        `select status from pricing_sync_log where provider = 'anthropic' and triggered_by = 'api' order by id desc limit 1`);
      return rows[0]?.status === 'in_progress' ? undefined : rows[0]?.status;
    });
    expect(status).toBe('success');
    const costs = await fetch(`${api.baseUrl}/costs?provider=anthropic`);
    expect(costs.status).toBe(200);
    const body = await costs.json() as { providers: { anthropic: { source: string; models: unknown[] } } };
    expect(body.providers.anthropic.source).toBe('models_dev');
    expect(body.providers.anthropic.models.length).toBeGreaterThan(0);
  });
});
