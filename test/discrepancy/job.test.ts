// The check_discrepancies job on a real graphile-worker runner: queued by
// syncs under one job key (a burst of syncs, a cron tick's included, makes one
// check), stored, and picked up by an API instance's backstop without a request asking.
import { makeWorkerUtils, type WorkerUtils } from 'graphile-worker';
import { startApi, startWorker, type ApiInstance, type WorkerInstance } from '../../src/service.ts';
import { TASKS } from '../../tasks/index.ts';
import { CHECK_DISCREPANCIES_JOB_KEY } from '../../src/jobs/payloads.ts';
import { workerLogger } from '../../src/db/graphile_logger.ts';
import { WORKER_POLL_INTERVAL_MS } from '../../src/worker/runner.ts';
import { buildCronItems } from '../../src/worker/schedule.ts';
import { testLogger } from '../support/env.ts';
import { testConfig } from '../support/stack.ts';
import { startSyncStack, type SyncStack } from '../sync/helpers.ts';
import { never, until } from '../support/poll.ts';

const ENV = {
  PROVIDERS_IN_USE: 'anthropic,openai',
  // Cron patterns that never match (30 February): only the jobs the test queues run.
  SYNC_SCHEDULE: '0 0 30 2 *',
  FX_SCHEDULE: '0 0 30 2 *',
  CATALOG_CHECK_INTERVAL_MS: '200',
};

let stack: SyncStack;
let worker: WorkerInstance;
let api: ApiInstance;
let jobs: WorkerUtils;

beforeAll(async () => {
  stack = await startSyncStack(ENV);
  api = await startApi({ url: stack.db.url, config: testConfig(stack.db.url, stack.upstream, ENV), logger: testLogger(), port: 0 });
  worker = await startWorker({ url: stack.db.url, config: stack.config, logger: testLogger(), tasks: TASKS });
  jobs = await makeWorkerUtils({ pgPool: stack.pool, logger: workerLogger(testLogger()) });
});

afterAll(async () => {
  await jobs?.release();
  await worker?.stop();
  await api?.stop();
  await stack?.release();
});

async function reportIds(): Promise<number[]> {
  const { rows } = await stack.pool.query<{ id: string }>('select id from discrepancy_reports order by id');
  return rows.map((r) => Number(r.id));
}

/** No job is queued or running: nothing more can write a report. */
async function idle(): Promise<void> {
  await until('every queued job to finish', async () => (await stack.pool.query<{ n: number }>(
    'select count(*)::int as n from graphile_worker.jobs')).rows[0]!.n === 0);
}

/** A job queued but missed by LISTEN would have started within one poll of the runner. */
const WORKER_POLL_MS = WORKER_POLL_INTERVAL_MS;

test('two applied syncs queue one check under its job key; its report is served by the API without a request asking', async () => {
  await idle();
  const before = await reportIds();
  await jobs.addJob('sync_provider', { provider: 'anthropic', triggered_by: 'manual' });
  await jobs.addJob('sync_provider', { provider: 'openai', triggered_by: 'manual' });

  const queued = await until('the check queued by the syncs', async () => {
    const { rows: keyed } = await stack.pool.query<{ key: string; task: string }>(
      'select key, task_identifier as task from graphile_worker.jobs where key = $1::text', [CHECK_DISCREPANCIES_JOB_KEY]);
    return keyed.length > 0 ? keyed : undefined;
  });
  expect(queued).toEqual([{ key: CHECK_DISCREPANCIES_JOB_KEY, task: 'check_discrepancies' }]);

  const id = await until('a stored report', async () => (await reportIds()).find((n) => !before.includes(n)));
  await until('the API instance to serve it', async () => (api.discrepancies.current?.id === id ? true : undefined));
  expect(api.discrepancies.current?.report.providers).toEqual(expect.objectContaining({ anthropic: expect.anything(), openai: expect.anything() }));
  // Both syncs had finished before the delayed check ran: one report, not two.
  await idle();
  await never('a second report', async () => (await reportIds()).length > before.length + 1, { forMs: WORKER_POLL_MS });
  expect(await reportIds()).toEqual([...before, id]);
});

test('a cron tick checks once: the schedule has no check of its own, and its syncs, applied or skipped as fresh, queue one', async () => {
  const config = testConfig(stack.db.url, stack.upstream, ENV);
  const scheduled = buildCronItems(config).map((item) => item.task);
  expect(scheduled.filter((task) => task === 'sync_provider')).toHaveLength(2);
  expect(scheduled).not.toContain('check_discrepancies');
  // anthropic synced just now, so its scheduled sync is skipped as fresh; openai's is forced to apply.
  await jobs.addJob('sync_provider', { provider: 'anthropic', triggered_by: 'manual' });
  await idle();
  const before = await reportIds();

  // What the cron tick queues: one scheduled sync per provider.
  await jobs.addJob('sync_provider', { provider: 'anthropic', triggered_by: 'scheduler' }, { jobKey: 'sync_provider:anthropic' });
  await jobs.addJob('sync_provider', { provider: 'openai', triggered_by: 'scheduler', force: true }, { jobKey: 'sync_provider:openai' });
  await until('the tick\'s report', async () => (await reportIds()).length > before.length);
  await idle();
  await never('a second report for the tick', async () => (await reportIds()).length > before.length + 1, { forMs: WORKER_POLL_MS });

  expect(await reportIds()).toHaveLength(before.length + 1);
  const { rows } = await stack.pool.query<{ status: string; n: number }>(`
    select status, count(*)::int as n from pricing_sync_log where triggered_by = 'scheduler' group by status order by status`);
  expect(rows).toEqual([{ status: 'success', n: 1 }]);
});
