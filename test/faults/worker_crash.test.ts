// Faults inside a sync's transaction. A test transaction holds the catalog_version
// row, so the worker's sync writes its prices and history and then blocks on the
// version bump: the worker is mid-transaction when the fault is injected.
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync } from 'node:fs';
import path from 'node:path';
import { makeWorkerUtils, type WorkerUtils } from 'graphile-worker';
import { createClient, createPool, type Client, type Pool } from '../../src/db/pool.ts';
import { prepareDatabase, startWorker, type WorkerInstance } from '../../src/service.ts';
import { TASKS } from '../../tasks/index.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { REPO_ROOT, testLogger } from '../support/env.ts';
import { until } from '../support/poll.ts';
import { testConfig } from '../support/stack.ts';
import { fixtureJson, startUpstream, type UpstreamServer } from '../../scripts/support/upstream.ts';

const logger = testLogger();

type ModelsDev = Record<string, { models: Record<string, { cost?: Record<string, number> }> }>;

/** The real models.dev payload with three anthropic prices raised by about 10%. */
function editedModelsDev(haikuInput = 0.88): string {
  const payload = fixtureJson<ModelsDev>('models_dev');
  const models = payload.anthropic!.models;
  models['claude-sonnet-4-5']!.cost!.input = 3.3;
  models['claude-opus-4-1']!.cost!.output = 82.5;
  models['claude-3-5-haiku-latest']!.cost!.input = haikuInput;
  return JSON.stringify(payload);
}

describe('a worker that fails in the middle of a sync transaction', () => {
  let db: TestDatabase;
  let pool: Pool;
  let upstream: UpstreamServer;
  let utils: WorkerUtils;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    upstream = await startUpstream();
    upstream.setBody('models_dev', editedModelsDev());
    await prepareDatabase(db.url, config(), logger);
    pool = createPool({ connectionString: db.url, applicationName: 'crash-test', logger });
    utils = await makeWorkerUtils({ pgPool: pool });
  });

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await utils.release();
    await pool.end();
    await upstream.close();
    await db.drop();
  });

  function config() {
    return testConfig(db.url, upstream, { PROVIDERS_IN_USE: 'anthropic', WORKER_RECOVERY_INTERVAL_MS: '300', SYNC_MAX_ATTEMPTS: '5' });
  }

  function startWorkerProcess(): ChildProcess {
    const child = spawn(process.execPath, ['--conditions=tariff-source', path.join(REPO_ROOT, 'src/main.ts'), 'worker'], {
      cwd: REPO_ROOT,
      env: {
        ...process.env, DATABASE_URL: db.url, LOG_LEVEL: process.env.CRASH_TEST_LOG ? 'debug' : 'silent', PROVIDERS_IN_USE: 'anthropic',
        MODELS_DEV_URL: upstream.urlFor('models_dev'), WORKER_RECOVERY_INTERVAL_MS: '300',
      },
      stdio: ['ignore', process.env.CRASH_TEST_LOG ? openSync(process.env.CRASH_TEST_LOG, 'a') : 'ignore', process.env.CRASH_TEST_LOG ? openSync(process.env.CRASH_TEST_LOG, 'a') : 'ignore'],
    });
    children.push(child);
    return child;
  }

  const price = async (model: string) => (await pool.query<{ input: string; output: string }>(
    `select trim_scale(input_per_1m)::text as input, trim_scale(output_per_1m)::text as output
       from model_prices where provider = 'anthropic' and model_id = $1`, [model])).rows[0];
  const historyCount = async () => (await pool.query<{ n: number }>(`select count(*)::int as n from price_history`)).rows[0]!.n;

  /** Holds the catalog_version row until released, so a sync blocks right before it commits. */
  async function holdCatalogVersion(): Promise<Client & { release(): Promise<void> }> {
    const blocker = createClient(db.url, 'crash-test-blocker');
    await blocker.connect();
    await blocker.query('begin');
    await blocker.query('select version from catalog_version for update');
    return Object.assign(blocker, { release: async () => { await blocker.query('rollback'); await blocker.end(); } });
  }

  const blockedSyncBackend = () => until('the sync to block inside its transaction', async () => {
    const { rows } = await pool.query<{ pid: number }>(`
      select pid from pg_stat_activity
       where datname = current_database() and wait_event_type = 'Lock' and query ilike '%bump_catalog_version%'`);
    return rows[0]?.pid;
  });

  test('SIGKILL mid-transaction: no partial price is visible, the job runs again on another worker, and the catalog ends correct', async () => {
    const historyBefore = await historyCount();
    const blocker = await holdCatalogVersion();
    const first = startWorkerProcess();
    await utils.addJob('sync_provider', { provider: 'anthropic', triggered_by: 'api' }, { jobKey: 'sync_provider:anthropic', maxAttempts: 5 });
    await blockedSyncBackend();

    // The sync has written its rows, uncommitted: readers still see the old prices.
    expect(await price('claude-sonnet-4-5')).toEqual({ input: '3', output: '15' });

    const exited = new Promise((resolve) => first.once('exit', resolve));
    first.kill('SIGKILL');
    await exited;
    // Its backend notices the dead client only when the lock wait ends; COMMIT can
    // only come from the client, so that transaction can never commit.
    await blocker.release();
    await until('the killed worker\'s connections to close', async () => {
      const { rows } = await pool.query<{ n: number }>(`
        select count(*)::int as n from pg_stat_activity where datname = current_database() and application_name like 'tariff-worker%'`);
      return rows[0]!.n === 0;
    });
    expect(await price('claude-sonnet-4-5')).toEqual({ input: '3', output: '15' });
    expect(await historyCount()).toBe(historyBefore);

    // A new worker finds the job locked by a dead worker, releases it, and runs it.
    startWorkerProcess();
    const success = await until('a successful sync', async () => (await pool.query<{ attempt: number }>(`
      select attempt from pricing_sync_log where provider = 'anthropic' and status = 'success'`)).rows[0]);
    expect(success.attempt).toBe(2);
    expect(await price('claude-sonnet-4-5')).toEqual({ input: '3.3', output: '15' });
    expect(await price('claude-opus-4-1')).toEqual({ input: '15', output: '82.5' });
    expect(await historyCount()).toBe(historyBefore + 3);
    const abandoned = await pool.query(`select status, error_message from pricing_sync_log where provider = 'anthropic' and attempt = 1`);
    expect(abandoned.rows).toEqual([{ status: 'failed', error_message: expect.stringMatching(/abandoned/) }]);
    // The sync's commit comes just before graphile-worker completes (deletes) the job.
    await until('the job to leave the queue', async () => (await pool.query<{ n: number }>(
      `select count(*)::int as n from graphile_worker.jobs where task_identifier = 'sync_provider'`)).rows[0]!.n === 0);
  });

  test('its database connection terminated mid-transaction: the transaction rolls back, a failed row is logged, the retry succeeds', async () => {
    upstream.setBody('models_dev', editedModelsDev(0.9));
    const historyBefore = await historyCount();
    const logBefore = (await pool.query<{ id: string }>('select coalesce(max(id), 0) as id from pricing_sync_log')).rows[0]!.id;
    const blocker = await holdCatalogVersion();
    const worker: WorkerInstance = await startWorker({ url: db.url, config: config(), logger, tasks: TASKS });
    try {
      await utils.addJob('sync_provider', { provider: 'anthropic', triggered_by: 'api', force: true }, { jobKey: 'sync_provider:anthropic', maxAttempts: 5 });
      const pid = await blockedSyncBackend();
      await pool.query('select pg_terminate_backend($1::int)', [pid]);
      await blocker.release();

      const failed = await until('the failed attempt in the sync log', async () => (await pool.query<{ error_message: string }>(`
        select error_message from pricing_sync_log where provider = 'anthropic' and status = 'failed' and id > $1::bigint`,
      [logBefore])).rows[0]);
      expect(failed.error_message).toMatch(/terminat|connection/i);
      expect(await price('claude-3-5-haiku-latest')).toEqual({ input: '0.88', output: '4' });
      expect(await historyCount()).toBe(historyBefore);

      await until('the retry to succeed', async () => (await pool.query(`
        select 1 from pricing_sync_log where provider = 'anthropic' and status = 'success' and attempt = 2 and id > $1::bigint`,
      [logBefore])).rows[0]);
      expect(await price('claude-3-5-haiku-latest')).toEqual({ input: '0.9', output: '4' });
      expect(await historyCount()).toBe(historyBefore + 1);
    } finally {
      await worker.stop();
    }
  });
});
