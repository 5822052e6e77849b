// An instance whose LISTEN connection dies misses the notifications sent while
// it was away. It must still converge: the listener reconnects and reloads in
// full, and the periodic version check (the backstop) catches what it missed.
import { randomBytes } from 'node:crypto';
import { startApi, type ApiInstance } from '../../src/service.ts';
import { adminQuery } from '../support/db.ts';
import { testConfig } from '../support/stack.ts';
import { catalogVersion, costOf, logger, request, startServingStack, type ModelBody, type ServingStack } from './helpers.ts';
import { never, until } from '../support/poll.ts';

const MODEL_PATH = '/costs/anthropic/claude-sonnet-4-5';
/** The backstop check runs once a minute: a change served sooner after the instance started came by the listener. */
const BACKSTOP_MS = 60_000;

let stack: ServingStack;
/** A login of the reader role for the instance under test alone, so its reconnects can be refused. */
const login = `tariff_listener_test_${randomBytes(4).toString('hex')}`;
const password = randomBytes(12).toString('hex');
let loginUrl: string;

beforeAll(async () => {
  stack = await startServingStack();
  await adminQuery(process.env.TARIFF_TEST_SERVER_URL!, `create role ${login} login password '${password}' in role tariff_reader`);
  const url = new URL(stack.db.url);
  url.username = login;
  url.password = password;
  loginUrl = url.toString();
});

afterAll(async () => {
  await stack.release();
  await adminQuery(process.env.TARIFF_TEST_SERVER_URL!, `drop role if exists ${login}`);
});

async function listenerPids(): Promise<number[]> {
  const { rows } = await stack.pool.query<{ pid: number }>(`
    select pid from pg_stat_activity
     where application_name = 'tariff-api-listener' and datname = current_database() and usename = $1::text`, [login]);
  return rows.map((row) => row.pid);
}

/** Terminates the instance's listener connection, as an operator or a failover would. */
async function killListeners(): Promise<number> {
  const { rows } = await stack.pool.query<{ killed: boolean }>(`
    select pg_terminate_backend(pid) as killed from pg_stat_activity
     where application_name = 'tariff-api-listener' and datname = current_database() and usename = $1::text`, [login]);
  return rows.filter((row) => row.killed).length;
}

async function servesInput(api: ApiInstance, input: string): Promise<ModelBody> {
  return until(`${api.baseUrl} to serve input ${input}`, async () => {
    const { body } = await request<ModelBody>(api.baseUrl, MODEL_PATH);
    return body.input_cost_per_1m_tokens === input ? body : undefined;
  }, { deadlineMs: 20_000 });
}

/** The instance's catalog reloads caused by a reconnect, from its /metrics (the backstop's reloads are not counted there). */
async function reloadsAfterReconnect(api: ApiInstance): Promise<number> {
  const metrics = await fetch(`${api.baseUrl}/metrics`).then((res) => res.text());
  const line = metrics.split('\n').find((l) => l.startsWith('tariff_catalog_reloads_total{reason="reconnect"}'));
  return line === undefined ? 0 : Number(line.slice(line.lastIndexOf(' ') + 1));
}

describe('an instance whose listener connection is lost', () => {
  test('a change committed while its listener is away (and kept from reconnecting) is served after the reconnect, long before the backstop check', async () => {
    const api = await startApi({
      url: loginUrl, writerUrl: null, config: testConfig(stack.db.url, stack.upstream, { CATALOG_CHECK_INTERVAL_MS: String(BACKSTOP_MS) }),
      logger, port: 0,
    });
    try {
      await until('the listener to connect', async () => (api.listener.connected ? true : undefined));
      await until('the first catalog load', async () => (api.catalog.loaded ? true : undefined));
      const [before] = await listenerPids();
      const servedBefore = (await request<ModelBody>(api.baseUrl, MODEL_PATH)).body;

      // Existing connections stay; the listener's reconnects are refused until the role may log in again.
      await adminQuery(process.env.TARIFF_TEST_SERVER_URL!, `alter role ${login} nologin`);
      try {
        expect(await killListeners()).toBe(1);
        await until('the listener to notice', async () => (api.listener.connected ? undefined : true));
        await stack.syncModelsDev('anthropic', (payload) => {
          costOf(payload, 'anthropic', 'claude-sonnet-4-5').input = 3.3;
        });
        // The notification of that commit reached no connection of this instance. Rules out a reconnect
        // slipping past the refused login, whose first attempts come within the listener's backoff (100 ms, doubling).
        const committed = await catalogVersion(stack.pool);
        await never('the listener reconnecting, or the instance loading the change, while its login is refused',
          () => api.listener.connected || api.catalog.current.version >= committed, { forMs: 1_000 });
        expect(await listenerPids()).toEqual([]);
        const { body: missed } = await request<ModelBody>(api.baseUrl, MODEL_PATH);
        expect(missed).toMatchObject({ input_cost_per_1m_tokens: servedBefore.input_cost_per_1m_tokens, catalog_version: servedBefore.catalog_version });
      } finally {
        await adminQuery(process.env.TARIFF_TEST_SERVER_URL!, `alter role ${login} login`);
      }

      // servesInput gives up after 20 s, well inside the backstop's first check (BACKSTOP_MS after the start):
      // the change can only have come in by the listener's catch-up after it reconnected.
      const served = await servesInput(api, '3.3');
      expect(await reloadsAfterReconnect(api)).toBeGreaterThanOrEqual(1);
      const after = await until('a listener connection in pg_stat_activity', async () => (await listenerPids())[0]);
      expect(after).not.toBe(before);
      const version = await catalogVersion(stack.pool);
      expect(served.catalog_version).toBe(version);
      expect(api.catalog.current.version).toBe(version);
      const ready = await until('the instance to report ready', async () => {
        const res = await request<{ status: string; stale: boolean }>(api.baseUrl, '/readyz');
        return res.body.status === 'ready' ? res.body : undefined;
      });
      expect(ready).toMatchObject({ status: 'ready', stale: false });
    } finally {
      await api.stop();
    }
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
