// Sync and FX jobs on a real graphile-worker runner, enqueued through the real
// API: one job per provider, failed attempts retried with graphile-worker's
// backoff (about 2.7 s before the second attempt), a later success applied.
import { makeWorkerUtils, type WorkerUtils } from 'graphile-worker';
import type { Pool } from '../../src/db/pool.ts';
import { startApi, startWorker, type ApiInstance, type WorkerInstance } from '../../src/service.ts';
import { TASKS } from '../../tasks/index.ts';
import { workerLogger } from '../../src/db/graphile_logger.ts';
import { testLogger } from '../support/env.ts';
import { TEST_ADMIN_TOKEN } from '../support/stack.ts';
import { startYahooServer, type YahooServer } from '../support/yahooServer.ts';
import { startSyncStack, storedPrices, sync, syncLog, type SyncLogRow, type SyncStack } from './helpers.ts';
import { until } from '../support/poll.ts';

let yahoo: YahooServer;
let stack: SyncStack;
let api: ApiInstance;
let worker: WorkerInstance;
let jobs: WorkerUtils;

beforeAll(async () => {
  yahoo = await startYahooServer({ rates: { ZAR: 18.25 } });
  stack = await startSyncStack({
    YAHOO_FINANCE_URL: yahoo.url,
    FX_CURRENCIES: 'ZAR',
    PROVIDERS_IN_USE: 'openrouter,anthropic,bedrock,azure',
    PROVIDER_SOURCES: 'bedrock=litellm,azure=litellm',
    SYNC_MAX_ATTEMPTS: '3',
    // Cron patterns that never match (30 February): only the jobs the tests enqueue run.
    SYNC_SCHEDULE: '0 0 30 2 *',
    FX_SCHEDULE: '0 0 30 2 *',
  });
  api = await startApi({ url: stack.db.url, config: stack.config, logger: testLogger(), port: 0 });
  worker = await startWorker({ url: stack.db.url, config: stack.config, logger: testLogger(), tasks: TASKS });
  jobs = await makeWorkerUtils({ pgPool: stack.pool, logger: workerLogger(testLogger()) });
});

afterAll(async () => {
  await jobs.release();
  await worker.stop();
  await api.stop();
  await stack.release();
  await yahoo.close();
});

function admin(path: string, body: unknown): Promise<Response> {
  return fetch(`${api.baseUrl}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

async function enqueue(providers: string[]): Promise<Array<{ provider: string; job_id: string }>> {
  const response = await admin('/admin/pricing-sync', { providers });
  expect(response.status).toBe(202);
  return (await response.json() as { jobs: Array<{ provider: string; job_id: string }> }).jobs;
}

/** The first sync log row of `provider` with `status` (completed), once there is one. */
function logRow(provider: string, status: string, where: (row: SyncLogRow) => boolean = () => true): Promise<SyncLogRow> {
  return until(`a ${status} sync log row for ${provider}`, async () =>
    (await syncLog(stack.pool, provider)).find((row) => row.status === status && where(row)));
}

interface JobRow { attempts: number; max_attempts: number; last_error: string | null }

function gone(id: string): Promise<true> {
  return until(`job ${id} to leave the queue`, async () => ((await job(stack.pool, id)) ? undefined : true));
}

async function job(pool: Pool, id: string): Promise<JobRow | undefined> {
  const { rows } = await pool.query<JobRow>(
    'select attempts, max_attempts, last_error from graphile_worker.jobs where id = $1::bigint', [id]);
  return rows[0];
}

describe('sync jobs on a graphile-worker runner', () => {
  test('when two providers are synced together and one upstream fails, the other provider\'s prices apply', async () => {
    stack.upstream.setFault('litellm', { kind: 'status', status: 500 });

    const jobs = await enqueue(['anthropic', 'bedrock']);

    expect(jobs.map((j) => j.provider)).toEqual(['anthropic', 'bedrock']);
    const applied = await logRow('anthropic', 'success');
    const failed = await logRow('bedrock', 'failed');
    expect(applied).toMatchObject({ triggered_by: 'api', attempt: 1, models_added: 25, job_id: jobs[0]?.job_id });
    expect(failed).toMatchObject({ attempt: 1, job_id: jobs[1]?.job_id, error_message: expect.stringMatching(/answered 500$/) });
    expect((await storedPrices(stack.pool, 'anthropic')).size).toBe(25);
    expect((await storedPrices(stack.pool, 'bedrock')).size).toBe(0);
  });

  test('a failing sync is retried, and once the upstream heals a later attempt applies the prices', async () => {
    stack.upstream.setFault('openrouter', { kind: 'status', status: 503 });
    const [queued] = await enqueue(['openrouter']);
    const jobId = queued!.job_id;
    await logRow('openrouter', 'failed');
    const pending = await until('the failed attempt to be recorded on the job', async () => {
      const row = await job(stack.pool, jobId);
      return row?.last_error ? row : undefined;
    });

    stack.upstream.setFault('openrouter', null);
    const success = await logRow('openrouter', 'success');

    expect(pending).toMatchObject({ attempts: 1, max_attempts: 3, last_error: expect.stringMatching(/sync of openrouter failed: .*answered 503/) });
    expect(success).toMatchObject({ job_id: jobId, models_added: 364 });
    expect(success.attempt).toBeGreaterThan(1);
    const attempts = (await syncLog(stack.pool, 'openrouter')).filter((row) => row.job_id === jobId);
    expect(attempts.map((row) => row.status).at(-1)).toBe('success');
    expect(attempts.every((row, index) => row.attempt === index + 1)).toBe(true);
    expect((await storedPrices(stack.pool, 'openrouter')).size).toBe(364);
    // A job that succeeded is deleted from the queue.
    expect(await gone(jobId)).toBe(true);
  });

  test('a sync that keeps failing stops after SYNC_MAX_ATTEMPTS, with a failed log row per attempt', async () => {
    stack.upstream.setFault('litellm', { kind: 'status', status: 500 });
    const [queued] = await enqueue(['azure']);

    const failed = await logRow('azure', 'failed', (row) => row.attempt === 3);

    expect(failed.job_id).toBe(queued!.job_id);
    const rows = (await syncLog(stack.pool, 'azure')).filter((row) => row.job_id === failed.job_id);
    expect(rows.map(({ attempt, status }) => ({ attempt, status }))).toEqual([
      { attempt: 1, status: 'failed' }, { attempt: 2, status: 'failed' }, { attempt: 3, status: 'failed' },
    ]);
    const exhausted = await until('the job to record its third attempt', async () => {
      const row = await job(stack.pool, failed.job_id!);
      return row && row.attempts === 3 && row.last_error !== null ? row : undefined;
    });
    expect(exhausted).toMatchObject({ attempts: 3, max_attempts: 3 });
    expect((await storedPrices(stack.pool, 'azure')).size).toBe(0);
  });

  test('a scheduled job right after a successful sync is skipped: it completes without fetching or logging', async () => {
    await sync(stack, 'anthropic');
    const rowsBefore = (await syncLog(stack.pool, 'anthropic')).length;
    const hitsBefore = stack.upstream.hits('models_dev');

    const scheduled = await jobs.addJob('sync_provider', { provider: 'anthropic' }, { maxAttempts: 1 });
    await gone(scheduled.id);

    expect((await syncLog(stack.pool, 'anthropic')).length).toBe(rowsBefore);
    expect(stack.upstream.hits('models_dev')).toBe(hitsBefore);
  });
});

describe('FX jobs on a graphile-worker runner', () => {
  test('POST /admin/fx-refresh returns 202 and the worker stores the USD/ZAR quote from the local Yahoo', async () => {
    const response = await admin('/admin/fx-refresh', {});

    expect(response.status).toBe(202);
    const body = await response.json() as { jobs: Array<{ currencies: string[]; job_id: string }> };
    expect(body).toEqual({ jobs: [{ currencies: ['ZAR'], job_id: expect.stringMatching(/^\d+$/) }] });
    const log = await logRow('yahoo_finance', 'success');
    expect(log).toMatchObject({ kind: 'fx', triggered_by: 'api', job_id: body.jobs[0]?.job_id, attempt: 1, rates_added: 1 });
    const { rows } = await stack.pool.query<{ rate: string }>(
      "select trim_scale(rate)::text as rate from exchange_rates where base = 'USD' and quote = 'ZAR'");
    expect(rows).toEqual([{ rate: '18.25' }]);
  });
});
