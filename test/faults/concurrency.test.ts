// Writers racing on one provider: two workers syncing it at once, and an
// operator's override written while a sync is mid-transaction. Writers of a
// provider serialise on its advisory lock, so the catalog ends consistent and
// history loses no change.
import { makeWorkerUtils, type WorkerUtils } from 'graphile-worker';
import { createClient } from '../../src/db/pool.ts';
import { startApi, startWorker, type ApiInstance, type WorkerInstance } from '../../src/service.ts';
import { TASKS } from '../../tasks/index.ts';
import { history, serveEdited, startSyncStack, storedPrice, sync, type ModelsDevPayload, type SyncStack } from '../sync/helpers.ts';
import { testLogger } from '../support/env.ts';
import { TEST_ADMIN_TOKEN } from '../support/stack.ts';
import { until } from '../support/poll.ts';

const logger = testLogger();
let stack: SyncStack;
let utils: WorkerUtils;
let workers: WorkerInstance[];
let api: ApiInstance;

beforeAll(async () => {
  stack = await startSyncStack({ PROVIDERS_IN_USE: 'anthropic', WORKER_CONCURRENCY: '1' });
  await sync(stack, 'anthropic');
  utils = await makeWorkerUtils({ pgPool: stack.pool });
  workers = [
    await startWorker({ url: stack.db.url, config: stack.config, logger, tasks: TASKS }),
    await startWorker({ url: stack.db.url, config: stack.config, logger, tasks: TASKS }),
  ];
  api = await startApi({ url: stack.db.url, config: stack.config, logger, port: 0 });
});

afterAll(async () => {
  await api.stop();
  for (const worker of workers) await worker.stop();
  await utils.release();
  await stack.release();
});

const served = async (model: string) => (await stack.pool.query<{ input: string; overridden: boolean }>(`
  select trim_scale(input_per_1m)::text as input, overridden from current_prices
   where provider = 'anthropic' and model_id = $1`, [model])).rows[0];

async function successes(): Promise<number> {
  const { rows } = await stack.pool.query<{ n: number }>(`
    select count(*)::int as n from pricing_sync_log where provider = 'anthropic' and status = 'success'`);
  return rows[0]!.n;
}

test('two workers syncing the same provider at once: the change is applied once, one history row per changed model', async () => {
  serveEdited<ModelsDevPayload>(stack.upstream, 'models_dev', (payload) => {
    payload.anthropic!.models['claude-sonnet-4-5']!.cost!.input = 3.3;
    payload.anthropic!.models['claude-opus-4-1']!.cost!.output = 80;
  });
  const before = await successes();
  const historyBefore = (await history(stack.pool, { provider: 'anthropic' })).length;

  // Distinct job keys, so both jobs exist at once and each worker (concurrency 1) takes one.
  await Promise.all(['a', 'b'].map((key) => utils.addJob('sync_provider', { provider: 'anthropic', triggered_by: 'api', force: true }, {
    jobKey: `race:${key}`, maxAttempts: 3,
  })));
  await until('both syncs', async () => ((await successes()) === before + 2 ? true : undefined));

  const rows = (await history(stack.pool, { provider: 'anthropic' })).slice(historyBefore);
  expect(rows.map((row) => [row.model_id, row.change]).sort()).toEqual([['claude-opus-4-1', 'updated'], ['claude-sonnet-4-5', 'updated']]);
  const { rows: logs } = await stack.pool.query<{ models_updated: number; models_unchanged: number }>(`
    select models_updated, models_unchanged from pricing_sync_log
     where provider = 'anthropic' and status = 'success' order by id desc limit 2`);
  expect(logs.map((log) => log.models_updated).sort()).toEqual([0, 2]);
  expect(await served('claude-sonnet-4-5')).toEqual({ input: '3.3', overridden: false });
});

test('an override written while a sync is mid-transaction waits for it, then wins; history keeps both changes in order', async () => {
  serveEdited<ModelsDevPayload>(stack.upstream, 'models_dev', (payload) => {
    payload.anthropic!.models['claude-sonnet-4-5']!.cost!.input = 3.45;
  });
  const historyBefore = (await history(stack.pool, { provider: 'anthropic' })).length;
  const previous = (await storedPrice(stack.pool, 'anthropic', 'claude-sonnet-4-5')).input;
  // Hold the catalog_version row: the sync writes its rows, then blocks before it can commit.
  const blocker = createClient(stack.db.url, 'race-blocker');
  await blocker.connect();
  await blocker.query('begin');
  await blocker.query('select version from catalog_version for update');
  try {
    const syncing = sync(stack, 'anthropic', { force: true });
    await until('the sync to block inside its transaction', async () => (await stack.pool.query(`
      select 1 from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'
         and query ilike '%bump_catalog_version%'`)).rows[0]);

    const overriding = fetch(`${api.baseUrl}/admin/prices/anthropic/claude-sonnet-4-5`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ reason: 'negotiated', input_cost_per_1m_tokens: '2.5', output_cost_per_1m_tokens: '12' }),
    });
    // The override waits on the provider's lock, which the blocked sync holds.
    await until('the override to queue behind the sync', async () => (await stack.pool.query(`
      select 1 from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'
         and query ilike '%pg_advisory_xact_lock%'`)).rows[0]);
    await blocker.query('rollback');

    await expect(syncing).resolves.toMatchObject({ status: 'success' });
    const response = await overriding;
    expect(response.status).toBe(200);
    // The override saw the sync's committed price as the one it replaced.
    expect(await response.json()).toMatchObject({ old_price: { input: '3.45' }, new_price: { input: '2.5' } });
  } finally {
    await blocker.end();
  }

  expect(await served('claude-sonnet-4-5')).toEqual({ input: '2.5', overridden: true });
  expect(await storedPrice(stack.pool, 'anthropic', 'claude-sonnet-4-5')).toMatchObject({ input: '3.45' });
  const rows = (await history(stack.pool, { provider: 'anthropic' })).slice(historyBefore)
    .filter((row) => row.model_id === 'claude-sonnet-4-5');
  expect(rows.map((row) => [row.change, row.old_price?.input ?? null, row.new_price?.input ?? null])).toEqual([
    ['updated', previous, '3.45'],
    ['override_set', '3.45', '2.5'],
  ]);
});
