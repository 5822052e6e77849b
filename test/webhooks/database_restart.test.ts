// Deliveries pending while PostgreSQL restarts: nothing is lost and nothing
// is queued twice; once the server is back, the worker sends them. PostgreSQL
// stops while a delivery is on the wire, so the worker cannot record how its
// job ended: the webhook runner stops, starts again once the database answers,
// and the job it held is recovered rather than locked for hours. This file
// runs a PostgreSQL of its own, since it stops and restarts it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { enqueuePriceChanges } from '../../src/webhooks/outbox.ts';
import { setOverride } from '../../src/store/overrides.ts';
import { makeReachable, startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/db/embedded.ts';
import { createPool, type Pool } from '../../src/db/pool.ts';
import { prepareDatabase, startWorker, type WorkerInstance } from '../../src/service.ts';
import { TASKS } from '../../tasks/index.ts';
import { createEndpoint } from '../../src/webhooks/endpoints.ts';
import { adminQuery } from '../support/db.ts';
import { databaseUrl, freePort, testLogger } from '../support/env.ts';
import { testConfig } from '../support/stack.ts';
import { until } from '../support/poll.ts';
import { startReceiver, TEST_WEBHOOK_KEY, WEBHOOK_TEST_ENV, type Receiver } from './helpers.ts';

const logger = testLogger();
let root: string;
let dataDir: string;
let port: number;
let postgres: EmbeddedPostgres | undefined;
let url: string;
let pool: Pool;
let worker: WorkerInstance | undefined;
let receiver: Receiver;

const env = { ...WEBHOOK_TEST_ENV, PROVIDERS_IN_USE: 'anthropic', WORKER_RECOVERY_INTERVAL_MS: '300', WEBHOOK_MAX_CONSECUTIVE_FAILURES: '1000' };

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'tariff-webhooks-restart-'));
  await makeReachable(root);
  dataDir = path.join(root, 'pgdata');
  port = await freePort();
  postgres = await startEmbeddedPostgres({ dataDir, port, logger, ephemeral: false });
  await adminQuery(postgres.url, 'create database tariff_webhooks');
  url = databaseUrl(postgres.url, 'tariff_webhooks');
  await prepareDatabase(url, testConfig(url, undefined, env), logger);
  pool = createPool({ connectionString: url, max: 2, applicationName: 'webhook-restart-test', logger });
  receiver = await startReceiver();
});

afterAll(async () => {
  await worker?.stop();
  await pool?.end();
  await postgres?.stop();
  await receiver?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

async function deliveries(): Promise<Array<{ status: string; event_id: string }>> {
  const { rows } = await pool.query<{ status: string; event_id: string }>('select status, event_id from webhook_deliveries order by id');
  return rows;
}

test('deliveries pending while PostgreSQL restarts mid-delivery are all sent afterwards, each event once queued, with its own id', async () => {
  await createEndpoint(pool, Buffer.from(TEST_WEBHOOK_KEY, 'hex'), { url: receiver.url, events: ['price.changed'] });
  // The first attempt fails; the second is held on the wire while PostgreSQL stops.
  receiver.answer((n) => (n === 0 ? { status: 503 } : 'hang'));
  worker = await startWorker({ url, config: testConfig(url, undefined, env), logger, tasks: TASKS });
  const webhooks = worker.webhooks.runner!;
  for (const input of ['3.1', '3.2']) {
    await setOverride(pool, enqueuePriceChanges, 'anthropic', 'claude-sonnet-4-5', { reason: 'negotiated', state: 'priced', input, output: '15', cache_read: null, cache_write: null, reasoning: null, request: null, tiers: [] });
  }
  await until('a retry held on the wire after a failed attempt', () => receiver.received.length >= 2 && receiver.received[1]!.answered === undefined);
  expect((await deliveries()).map((d) => d.status)).toEqual(['pending', 'pending']);

  await postgres!.stop();
  receiver.answer(() => ({ status: 204 }));
  receiver.release(503);
  await until('the webhook runner to stop, unable to record how its job ended', () => webhooks.current === undefined);
  postgres = await startEmbeddedPostgres({ dataDir, port, logger, ephemeral: true });

  const done = await until('both deliveries to be delivered', async () => {
    const rows = await deliveries().catch(() => []);
    return rows.length === 2 && rows.every((d) => d.status === 'delivered') ? rows : undefined;
  });
  expect(webhooks.restarts).toBeGreaterThanOrEqual(1);
  const delivered = receiver.received.filter((r) => r.answered === 204);
  expect(delivered.map((r) => r.event.id)).toEqual(done.map((d) => d.event_id));
  expect(new Set(receiver.received.map((r) => r.event.id))).toEqual(new Set(done.map((d) => d.event_id)));
  const { rows } = await pool.query<{ events: number }>('select count(*)::int as events from webhook_events');
  expect(rows[0]!.events).toBe(2);
  await until('the queue to empty, the held job included', async () => (await pool.query<{ n: number }>(
    `select count(*)::int as n from graphile_worker.jobs where task_identifier = 'deliver_webhook'`)).rows[0]!.n === 0);
}, 120_000);
