// Which workers count as dead. A job is taken from its worker and run again
// only when that worker's process is gone: a lost liveness connection (network
// blip, pg_terminate_backend, idle_session_timeout) must not make a running
// sync start a second time, and a SIGKILLed worker's job must still run again
// within seconds. Worker processes are started as `node src/main.ts worker`.
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { makeWorkerUtils, type WorkerUtils } from 'graphile-worker';
import { createPool, type Pool } from '../../src/db/pool.ts';
import { prepareDatabase } from '../../src/service.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { REPO_ROOT, testLogger } from '../support/env.ts';
import { until } from '../support/poll.ts';
import { testConfig } from '../support/stack.ts';
import { sourceUrlEnv, startUpstream, type UpstreamServer } from '../../scripts/support/upstream.ts';

const logger = testLogger();
const APPLICATION = 'tariff-liveness-test';
/** How long the upstream takes to answer: longer than graphile-worker's grace before a job may be taken back. */
const UPSTREAM_DELAY_MS = 8_000;
/** Never within a test run: only the jobs the tests add run. */
const NEVER = '0 0 1 1 *';
const LOG = process.env.LIVENESS_TEST_LOG;

const TEST_TIMEOUT_MS = 90_000;

let db: TestDatabase;
let pool: Pool;
let upstream: UpstreamServer;
let utils: WorkerUtils;
const children: ChildProcess[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  upstream = await startUpstream();
  await prepareDatabase(db.url, testConfig(db.url, upstream, { PROVIDERS_IN_USE: 'anthropic' }), logger);
  pool = createPool({ connectionString: db.url, max: 2, applicationName: APPLICATION, logger });
  utils = await makeWorkerUtils({ pgPool: pool });
});

// Each test starts the workers it asserts on.
afterEach(async () => {
  await Promise.all(children.splice(0).map(stopProcess));
});

afterAll(async () => {
  await utils.release();
  await pool.end();
  await upstream.close();
  await db.drop();
});

function startWorkerProcess(): ChildProcess {
  const output = LOG ? openSync(LOG, 'a') : 'ignore';
  const child = spawn(process.execPath, ['--conditions=tariff-source', path.join(REPO_ROOT, 'src/main.ts'), 'worker'], {
    cwd: REPO_ROOT,
    env: {
      ...process.env, DATABASE_URL: db.url, LOG_LEVEL: LOG ? 'debug' : 'silent', PROVIDERS_IN_USE: 'anthropic',
      ...sourceUrlEnv(upstream), WORKER_RECOVERY_INTERVAL_MS: '300', SYNC_MAX_ATTEMPTS: '5',
      SYNC_SCHEDULE: NEVER, FX_SCHEDULE: NEVER,
    },
    stdio: ['ignore', output, output],
  });
  children.push(child);
  return child;
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

/**
 * An applied sync queues a discrepancy check a few seconds later, which fetches
 * every source (models.dev included): counting upstream hits waits for those to be done.
 */
async function noDiscrepancyCheckQueued(): Promise<void> {
  await until('queued discrepancy checks to finish', async () => {
    const { rows } = await pool.query<{ n: number }>(
      `select count(*)::int as n from graphile_worker.jobs where task_identifier = 'check_discrepancies'`);
    return rows[0]!.n === 0;
  }, { deadlineMs: 60_000 });
}

/** graphile-worker's grace before a locked job may be taken back (liveness.ts), and one recovery pass more. */
const GRACE_SECONDS = 5 + 1;

/** Worker processes whose runner has started: each has taken its liveness locks. */
const workersUp = (n: number) => until(`${n} worker processes to start`, async () => (await pool.query<{ n: number }>(`
  select count(distinct pid)::int as n from pg_locks
   where locktype = 'advisory' and granted and pid in (
     select pid from pg_stat_activity where datname = current_database() and application_name = 'tariff-worker-liveness')`)).rows[0]!.n >= n);

/** Every idle connection to the database but the test's own, as an operator, a failover or idle_session_timeout would. */
async function terminateIdleConnections(): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(`
    select count(*) filter (where pg_terminate_backend(pid))::int as n from pg_stat_activity
     where datname = current_database() and state = 'idle' and pid <> pg_backend_pid() and application_name <> $1::text`,
  [APPLICATION]);
  return rows[0]!.n;
}

const syncLogRows = async (jobId: string) => (await pool.query<{ status: string; attempt: number; error_message: string | null }>(`
  select status, attempt, error_message from pricing_sync_log where job_id = $1::text order by id`, [jobId])).rows;

const jobDone = (jobId: string, deadlineMs?: number) => until(`job ${jobId} to finish`, async () => {
  const { rows } = await pool.query<{ queued: boolean; running: boolean }>(`
    select exists (select from graphile_worker.jobs where id = $1::bigint) as queued,
           exists (select from pricing_sync_log where status = 'in_progress') as running`, [jobId]);
  return !rows[0]!.queued && !rows[0]!.running;
}, { deadlineMs });

async function addSync(): Promise<string> {
  const job = await utils.addJob('sync_provider', { provider: 'anthropic', triggered_by: 'api', force: true }, {
    jobKey: 'sync_provider:anthropic', maxAttempts: 5,
  });
  return job.id;
}

describe('worker liveness', () => {
  test('a sync slower than the grace before a job may be taken back, two workers and no fault: it runs once', async () => {
    upstream.setFault('models_dev', { kind: 'delay', ms: UPSTREAM_DELAY_MS });
    startWorkerProcess();
    startWorkerProcess();
    await workersUp(2);
    await noDiscrepancyCheckQueued();
    const hitsBefore = upstream.hits('models_dev');

    const jobId = await addSync();
    await jobDone(jobId);
    expect(await syncLogRows(jobId)).toEqual([{ status: 'success', attempt: 1, error_message: null }]);
    expect(upstream.hits('models_dev')).toBe(hitsBefore + 1);
  }, TEST_TIMEOUT_MS);

  test('the database\'s idle connections terminated while a sync waits on a slow upstream: the sync runs once and completes', async () => {
    upstream.setFault('models_dev', { kind: 'delay', ms: UPSTREAM_DELAY_MS });
    startWorkerProcess();
    startWorkerProcess();
    await workersUp(2);
    await noDiscrepancyCheckQueued();
    const hitsBefore = upstream.hits('models_dev');

    const jobId = await addSync();
    await until('the sync to call the upstream', async () => upstream.hits('models_dev') > hitsBefore);
    // Again and again while the sync waits on the upstream, until its job has been locked past the grace.
    let terminated = 0;
    await until('the sync\'s job to stay locked past the grace while its connections are terminated', async () => {
      terminated += await terminateIdleConnections();
      const { rows } = await pool.query<{ past: boolean }>(`
        select locked_at < now() - make_interval(secs => $2::int) as past from graphile_worker.jobs where id = $1::bigint`,
      [jobId, GRACE_SECONDS]);
      return rows[0]?.past === true;
    }, { everyMs: 500 });
    expect(terminated).toBeGreaterThan(0);

    await jobDone(jobId);
    expect(await syncLogRows(jobId)).toEqual([{ status: 'success', attempt: 1, error_message: null }]);
    expect(upstream.hits('models_dev')).toBe(hitsBefore + 1);
  }, TEST_TIMEOUT_MS);

  test('a worker SIGKILLed in the middle of a sync: its job runs again on a new worker within seconds', async () => {
    upstream.setFault('models_dev', { kind: 'delay', ms: UPSTREAM_DELAY_MS });
    const doomed = startWorkerProcess();
    await workersUp(1);
    const hitsBefore = upstream.hits('models_dev');
    const jobId = await addSync();
    await until('the sync to call the upstream', async () => upstream.hits('models_dev') > hitsBefore);

    const exited = new Promise((resolve) => doomed.once('exit', resolve));
    doomed.kill('SIGKILL');
    await exited;
    upstream.setFault('models_dev', null);
    startWorkerProcess();

    // graphile-worker alone would leave the job locked for 4 hours.
    await jobDone(jobId, 30_000);
    expect(await syncLogRows(jobId)).toEqual([
      { status: 'failed', attempt: 1, error_message: expect.stringMatching(/abandoned/) },
      { status: 'success', attempt: 2, error_message: null },
    ]);
  }, TEST_TIMEOUT_MS);

  test('a worker stopped with SIGTERM shuts down cleanly and takes its heartbeats with it', async () => {
    const worker = startWorkerProcess();
    await workersUp(1);
    const heartbeats = async () => (await pool.query<{ n: number }>(`
      select count(*)::int as n from worker_heartbeats where process = $1::text`, [`${hostname()}:${worker.pid}`])).rows[0]!.n;
    await until('its heartbeats', async () => (await heartbeats()) > 0);

    const exited = new Promise<number | null>((resolve) => worker.once('exit', (code) => resolve(code)));
    worker.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(await heartbeats()).toBe(0);
  }, TEST_TIMEOUT_MS);
});
