// The apply_retention job over a real database: what it deletes (old ended
// webhook events with their deliveries, long-expired heartbeats, reports
// beyond the latest DISCREPANCY_REPORTS_KEPT), what it keeps (a pending
// delivery's event, recent rows, the price history and sync log however old),
// and that the worker's schedule runs it.
import { runOnce } from 'graphile-worker';
import { workerLogger } from '../../src/db/graphile_logger.ts';
import { taskList } from '../../src/jobs/payloads.ts';
import { buildCronItems } from '../../src/worker/schedule.ts';
import { createEndpoint } from '../../src/webhooks/endpoints.ts';
import { TASKS } from '../../tasks/index.ts';
import { testLogger } from '../support/env.ts';
import { startSyncStack, sync, type SyncStack } from '../sync/helpers.ts';
import { TEST_WEBHOOK_KEY, WEBHOOK_TEST_ENV } from '../webhooks/helpers.ts';

const ENV = {
  ...WEBHOOK_TEST_ENV,
  PROVIDERS_IN_USE: 'anthropic',
  WEBHOOK_EVENT_RETENTION_DAYS: '30',
  WORKER_HEARTBEAT_RETENTION_HOURS: '24',
  DISCREPANCY_REPORTS_KEPT: '3',
  RETENTION_SCHEDULE: '15 4 * * *',
};

let stack: SyncStack;

beforeAll(async () => {
  stack = await startSyncStack(ENV);
});

afterAll(async () => {
  await stack?.release();
});

/** An event `ageDays` old with one delivery per status, to a fresh endpoint. */
async function eventWith(ageDays: number, statuses: string[]): Promise<string> {
  const endpoint = await createEndpoint(stack.pool, Buffer.from(TEST_WEBHOOK_KEY, 'hex'), { url: 'http://127.0.0.1:9/hook', events: ['price.changed'] });
  const { rows } = await stack.pool.query<{ id: string }>(`
    insert into webhook_events (type, provider, catalog_version, data, created_at)
    values ('price.changed', 'anthropic', 1, '{}'::jsonb, now() - make_interval(days => $1::int)) returning id`, [ageDays]);
  const eventId = rows[0]!.id;
  for (const status of statuses) {
    await stack.pool.query(`
      insert into webhook_deliveries (endpoint_id, event_id, status, created_at)
      values ($1::uuid, $2::uuid, $3::text, now() - make_interval(days => $4::int))`, [endpoint.id, eventId, status, ageDays]);
  }
  return eventId;
}

async function heartbeat(workerId: string, expiredHoursAgo: number): Promise<void> {
  await stack.pool.query(`
    insert into worker_heartbeats (worker_id, process, beat_at, expires_at)
    values ($1::text, 'gone:1', now() - make_interval(hours => $2::int + 1), now() - make_interval(hours => $2::int))`,
  [workerId, expiredHoursAgo]);
}

async function report(): Promise<number> {
  const { rows } = await stack.pool.query<{ id: string }>(`
    insert into discrepancy_reports (generated_at, catalog_version, report) values (now(), 1, '{}'::jsonb) returning id`);
  return Number(rows[0]!.id);
}

const ids = async (table: string, column = 'id') =>
  (await stack.pool.query<{ id: string }>(`select ${column}::text as id from ${table} order by 1`)).rows.map((r) => r.id).sort();

const count = async (table: string) => Number((await stack.pool.query<{ n: string }>(`select count(*) as n from ${table}`)).rows[0]!.n);

test('the schedule runs apply_retention on RETENTION_SCHEDULE, one job at a time', () => {
  const item = buildCronItems(stack.config).find((i) => i.identifier === 'apply_retention');
  expect(item).toMatchObject({ task: 'apply_retention', options: { jobKey: 'apply_retention' } });
  expect(stack.config.RETENTION_SCHEDULE).toBe('15 4 * * *');
  expect(Object.keys(TASKS.prices)).toContain('apply_retention');
});

test('apply_retention deletes old ended webhook events with their deliveries, long-expired heartbeats and reports beyond the kept ones, and keeps the audit trail', async () => {
  // The audit trail (price_history is append-only: the database refuses to age or delete its rows).
  await sync(stack, 'anthropic');
  const history = await count('price_history');
  const syncLog = await count('pricing_sync_log');
  expect(history).toBeGreaterThan(0);
  expect(syncLog).toBeGreaterThan(0);

  const delivered = await eventWith(40, ['delivered']);
  const ended = await eventWith(40, ['failed', 'cancelled']);
  const stillRetrying = await eventWith(40, ['delivered', 'pending']);
  const recent = await eventWith(2, ['delivered']);
  await heartbeat('long-gone', 48);
  await heartbeat('lately-gone', 1);
  await stack.pool.query(`insert into worker_heartbeats (worker_id, process, expires_at) values ('alive', 'here:1', now() + interval '30 seconds')`);
  const reports = [await report(), await report(), await report(), await report(), await report()];
  expect(await ids('webhook_events')).toEqual([delivered, ended, stillRetrying, recent].sort());

  // The task as the worker runs it, from a queued job.
  await stack.pool.query(`select graphile_worker.add_job('apply_retention', json_build_object('triggered_by', 'manual'), job_key => 'apply_retention')`);
  await runOnce({ pgPool: stack.pool, logger: workerLogger(testLogger()), taskList: taskList(TASKS.prices, { pool: stack.pool, config: stack.config, logger: testLogger() }) });

  expect(await count('graphile_worker.jobs')).toBe(0);
  expect(await ids('webhook_events')).toEqual([stillRetrying, recent].sort());
  expect(await ids('webhook_deliveries', 'event_id')).toEqual([stillRetrying, stillRetrying, recent].sort());
  expect(await ids('worker_heartbeats', 'worker_id')).toEqual(['alive', 'lately-gone']);
  expect(await ids('discrepancy_reports')).toEqual(reports.slice(-3).map(String).sort());
  expect(await count('price_history')).toBe(history);
  expect(await count('pricing_sync_log')).toBe(syncLog);
});
