// An instance whose LISTEN connection dies misses the notifications sent while
// it was away. It must still converge: the listener reconnects and reloads in
// full, and the periodic version check (the backstop) catches what it missed.
import type { ApiInstance } from '../../src/service.ts';
import { catalogVersion, costOf, request, startServingStack, waitFor, type ModelBody, type ServingStack } from './helpers.ts';

const MODEL_PATH = '/costs/anthropic/claude-sonnet-4-5';

let stack: ServingStack;

beforeAll(async () => {
  stack = await startServingStack();
});

afterAll(async () => {
  await stack.release();
});

async function listenerPids(): Promise<number[]> {
  const { rows } = await stack.pool.query<{ pid: number }>(`
    select pid from pg_stat_activity
     where application_name = 'tariff-api-listener' and datname = current_database()`);
  return rows.map((row) => row.pid);
}

/** Terminates every listener connection of this database, as an operator or a failover would. */
async function killListeners(): Promise<number> {
  const { rows } = await stack.pool.query<{ killed: boolean }>(`
    select pg_terminate_backend(pid) as killed from pg_stat_activity
     where application_name = 'tariff-api-listener' and datname = current_database()`);
  return rows.filter((row) => row.killed).length;
}

async function servesInput(api: ApiInstance, input: string): Promise<ModelBody> {
  return waitFor(`${api.baseUrl} to serve input ${input}`, async () => {
    const { body } = await request<ModelBody>(api.baseUrl, MODEL_PATH);
    return body.input_cost_per_1m_tokens === input ? body : undefined;
  });
}

describe('an instance whose listener connection is lost', () => {
  test('when its listener connection is killed while a sync commits, it reconnects, reloads in full and serves the catalog version in the database', async () => {
    // The backstop check runs once a minute here, so only the listener can bring the change in time.
    const api = await stack.startInstance({ CATALOG_CHECK_INTERVAL_MS: '60000' });
    await waitFor('the listener to connect', async () => (api.listener.connected ? true : undefined));
    const [before] = await listenerPids();

    let syncing = true;
    let kills = 0;
    const killing = (async () => {
      while (syncing) {
        kills += await killListeners();
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    try {
      await stack.syncModelsDev('anthropic', (payload) => {
        costOf(payload, 'anthropic', 'claude-sonnet-4-5').input = 3.3;
      });
    } finally {
      syncing = false;
      await killing;
    }

    expect(kills).toBeGreaterThan(0);
    await waitFor('the listener to reconnect', async () => (api.listener.connected ? true : undefined));
    const after = await waitFor('a listener connection in pg_stat_activity', async () => (await listenerPids())[0]);
    expect(after).not.toBe(before);
    const served = await servesInput(api, '3.3');
    const version = await catalogVersion(stack.pool);
    expect(served.catalog_version).toBe(version);
    expect(api.catalog.current.version).toBe(version);
    const ready = await waitFor('the instance to report ready', async () => {
      const res = await request<{ status: string; stale: boolean }>(api.baseUrl, '/readyz');
      return res.body.status === 'ready' ? res.body : undefined;
    });
    expect(ready).toMatchObject({ status: 'ready', stale: false });
  });

  test('with no listener at all, the periodic version check alone brings the instance to the new catalog', async () => {
    const api = await stack.startInstance({ CATALOG_CHECK_INTERVAL_MS: '200' });
    await api.listener.stop();
    expect(api.listener.connected).toBe(false);

    await stack.syncModelsDev('anthropic', (payload) => {
      costOf(payload, 'anthropic', 'claude-sonnet-4-5').input = 3.6;
    });

    const served = await servesInput(api, '3.6');
    expect(served.catalog_version).toBe(await catalogVersion(stack.pool));
  });
});
