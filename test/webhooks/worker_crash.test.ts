// No lost and no duplicated enqueue when the worker dies: the change's
// transaction queued the delivery, a worker process is SIGKILLed while it is
// sending it, and another worker sends it again, with the same event id.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createPool, type Pool } from '../../src/db/pool.ts';
import { prepareDatabase } from '../../src/service.ts';
import { syncProvider } from '../../src/sync/provider.ts';
import { createEndpoint } from '../../src/webhooks/endpoints.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { REPO_ROOT, testLogger } from '../support/env.ts';
import { testConfig } from '../support/stack.ts';
import { fixtureJson, startUpstream, type UpstreamServer } from '../../scripts/support/upstream.ts';
import type { ModelsDevPayload } from '../sync/helpers.ts';
import { startReceiver, TEST_WEBHOOK_KEY, WEBHOOK_TEST_ENV, type Receiver } from './helpers.ts';
import { until } from '../support/poll.ts';

const logger = testLogger();
let db: TestDatabase;
let pool: Pool;
let upstream: UpstreamServer;
let receiver: Receiver;
const children: ChildProcess[] = [];

const env = {
  ...WEBHOOK_TEST_ENV, PROVIDERS_IN_USE: 'anthropic', WORKER_RECOVERY_INTERVAL_MS: '300',
  // Long enough that the first attempt is still waiting on the receiver when its worker dies.
  WEBHOOK_RESPONSE_TIMEOUT_MS: '30000', WEBHOOK_TOTAL_TIMEOUT_MS: '30000',
};

beforeAll(async () => {
  db = await createTestDatabase();
  upstream = await startUpstream();
  receiver = await startReceiver();
  await prepareDatabase(db.url, testConfig(db.url, upstream, env), logger);
  pool = createPool({ connectionString: db.url, max: 2, applicationName: 'webhook-crash-test', logger });
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  await pool.end();
  await receiver.close();
  await upstream.close();
  await db.drop();
});

function startWorkerProcess(): ChildProcess {
  const child = spawn(process.execPath, ['--conditions=tariff-source', path.join(REPO_ROOT, 'src/main.ts'), 'worker'], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env, DATABASE_URL: db.url, LOG_LEVEL: 'silent', MODELS_DEV_URL: upstream.urlFor('models_dev') },
    stdio: 'ignore',
  });
  children.push(child);
  return child;
}

async function counts(): Promise<{ events: number; deliveries: number; jobs: number }> {
  const { rows } = await pool.query<{ events: number; deliveries: number; jobs: number }>(`
    select (select count(*)::int from webhook_events) as events, (select count(*)::int from webhook_deliveries) as deliveries,
           (select count(*)::int from graphile_worker.jobs where task_identifier = 'deliver_webhook') as jobs`);
  return rows[0]!;
}

test('a worker SIGKILLed while sending: the delivery queued at commit is sent again by another worker, once queued, same event id', async () => {
  const endpoint = await createEndpoint(pool, Buffer.from(TEST_WEBHOOK_KEY, 'hex'), { url: receiver.url, events: ['price.changed'] });
  receiver.answer((n) => (n === 0 ? 'hang' : { status: 204 }));
  const payload = fixtureJson<ModelsDevPayload>('models_dev');
  payload.anthropic!.models['claude-sonnet-4-5']!.cost!.input = 3.3;
  upstream.setBody('models_dev', JSON.stringify(payload));

  // No worker runs: the commit alone must have queued everything.
  await syncProvider({ pool, config: testConfig(db.url, upstream, env), logger },
    { provider: 'anthropic', dry_run: false, force: false, triggered_by: 'manual', job_id: null, attempt: null });
  expect(await counts()).toEqual({ events: 1, deliveries: 1, jobs: 1 });

  const first = startWorkerProcess();
  await until('the first worker to be sending', () => receiver.received.length >= 1, { deadlineMs: 30_000 });
  const exited = new Promise((resolve) => first.once('exit', resolve));
  first.kill('SIGKILL');
  await exited;

  startWorkerProcess();
  const delivered = await until('the delivery to be recorded as delivered', async () => {
    const { rows } = await pool.query<{ status: string; attempts: number; endpoint_id: string }>(
      'select status, attempts, endpoint_id from webhook_deliveries');
    return rows[0]?.status === 'delivered' ? rows : undefined;
  }, { deadlineMs: 40_000 });

  expect(delivered).toEqual([{ status: 'delivered', attempts: 1, endpoint_id: endpoint.id }]);
  expect(receiver.received).toHaveLength(2);
  expect(new Set(receiver.received.map((r) => r.headers['tariff-event-id'])).size).toBe(1);
  expect(receiver.received[1]!.body).toBe(receiver.received[0]!.body);
  await until('the job to leave the queue', async () => (await counts()).jobs === 0);
  expect(await counts()).toEqual({ events: 1, deliveries: 1, jobs: 0 });
}, 90_000);
