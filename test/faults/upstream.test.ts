// Upstreams that misbehave at the HTTP level. Each fault fails the sync within
// the configured bounds, leaves the catalog byte-for-byte as it was, and says
// why in the sync log; a 429's Retry-After decides when the sync runs again.
import { makeWorkerUtils, type WorkerUtils } from 'graphile-worker';
import { startWorker, type WorkerInstance } from '../../src/service.ts';
import { TASKS } from '../../tasks/index.ts';
import { catalogChecksum, lastSyncLog, startSyncStack, sync, type SyncStack } from '../sync/helpers.ts';
import { testLogger } from '../support/env.ts';
import { until } from '../support/poll.ts';

let stack: SyncStack;

beforeAll(async () => {
  stack = await startSyncStack({
    PROVIDERS_IN_USE: 'openrouter',
    UPSTREAM_HEADERS_TIMEOUT_MS: '400',
    UPSTREAM_BODY_TIMEOUT_MS: '400',
    UPSTREAM_TOTAL_TIMEOUT_MS: '3000',
    SYNC_MAX_ATTEMPTS: '3',
  });
  await sync(stack, 'openrouter');
});

afterEach(() => {
  stack.upstream.setFault('openrouter', null);
  stack.upstream.setBody('openrouter', null);
});

afterAll(async () => {
  await stack.release();
});

async function expectFailedSync(message: RegExp) {
  const before = await catalogChecksum(stack.pool);
  await expect(sync(stack, 'openrouter')).rejects.toThrow(message);
  expect(await catalogChecksum(stack.pool)).toBe(before);
  expect(await lastSyncLog(stack.pool, 'openrouter')).toMatchObject({ status: 'failed', error_message: expect.stringMatching(message) });
}

describe('an upstream that misbehaves on the wire', () => {
  test('a server that accepts and never answers: the headers timeout fires and the sync fails', async () => {
    stack.upstream.setFault('openrouter', { kind: 'hang' });
    await expectFailedSync(/took longer than 400 ms|timed? ?out/i);
  });

  test('a server that drips bytes slower than the body timeout: the sync fails', async () => {
    stack.upstream.setFault('openrouter', { kind: 'drip', intervalMs: 1500 });
    await expectFailedSync(/took longer|timed? ?out|time/i);
  });

  test('a redirect or three is followed and the sync applies', async () => {
    stack.upstream.setFault('openrouter', { kind: 'redirect', hops: 3 });
    await expect(sync(stack, 'openrouter')).resolves.toMatchObject({ status: 'success', counts: { fetched: 364 } });
  });

  test('a fourth redirect is one too many: the sync fails', async () => {
    stack.upstream.setFault('openrouter', { kind: 'redirect', hops: 4 });
    await expectFailedSync(/302/);
  });

  test('a 200 with an HTML page: the sync fails saying so', async () => {
    stack.upstream.setFault('openrouter', { kind: 'html' });
    await expectFailedSync(/HTML/);
  });

  test('a body over UPSTREAM_MAX_BYTES: the sync fails without reading it all', async () => {
    const small = await startSyncStack({ PROVIDERS_IN_USE: 'openrouter', UPSTREAM_MAX_BYTES: '100000' });
    try {
      await expect(sync(small, 'openrouter')).rejects.toThrow(/100000|limit|large/i);
      expect(await lastSyncLog(small.pool, 'openrouter')).toMatchObject({ status: 'failed' });
      const { rows } = await small.pool.query('select count(*)::int as n from model_prices');
      expect(rows[0].n).toBe(0);
    } finally {
      await small.release();
    }
  });
});

describe('an upstream that answers 429 with Retry-After', () => {
  let worker: WorkerInstance;
  let utils: WorkerUtils;

  beforeAll(async () => {
    worker = await startWorker({ url: stack.db.url, config: stack.config, logger: testLogger(), tasks: TASKS });
    utils = await makeWorkerUtils({ pgPool: stack.pool });
  });

  afterAll(async () => {
    await utils.release();
    await worker.stop();
  });

  test('the failed attempt is logged, and the next one waits for Retry-After before it applies', async () => {
    stack.upstream.setFault('openrouter', { kind: 'status', status: 429, headers: { 'retry-after': '3' } });
    const hitsBefore = stack.upstream.hits('openrouter');
    await utils.addJob('sync_provider', { provider: 'openrouter', triggered_by: 'api', force: true }, {
      jobKey: 'sync_provider:openrouter', maxAttempts: 3,
    });

    const failed = await until('the rate-limited attempt', async () => (await stack.pool.query<{ error_message: string; completed_at: Date }>(`
      select error_message, completed_at from pricing_sync_log where provider = 'openrouter' and status = 'failed' and forced`)).rows[0]);
    expect(failed.error_message).toMatch(/429/);
    // A new job under the same key, with the attempts left after the one spent.
    const rescheduled = await until('the rescheduled job', async () => (await stack.pool.query<{ run_at: Date }>(`
      select run_at from graphile_worker.jobs
       where key = 'sync_provider:openrouter' and attempts = 0 and max_attempts = 2`)).rows[0]);
    // Not before the upstream said: Retry-After counts from its answer, which preceded the log row's completion.
    expect(rescheduled.run_at.getTime()).toBeGreaterThanOrEqual(failed.completed_at.getTime() + 3000 - 1000);
    expect(stack.upstream.hits('openrouter')).toBe(hitsBefore + 1);

    stack.upstream.setFault('openrouter', null);
    const success = await until('the sync after Retry-After', async () => (await stack.pool.query<{ attempt: number; started_at: Date }>(`
      select attempt, started_at from pricing_sync_log where provider = 'openrouter' and status = 'success' and forced`)).rows[0]);
    expect(success.attempt).toBe(2);
    expect(success.started_at.getTime()).toBeGreaterThanOrEqual(rescheduled.run_at.getTime());
  });
});
