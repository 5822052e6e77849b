// A LISTEN connection whose socket silently stops delivering (a NAT or load
// balancer dropping the flow: no FIN, no RST) raises no error on its own. The
// listener must notice it with its own probe, replace it, and hear the next
// price change through LISTEN again. A TCP proxy between the listener and
// PostgreSQL (test/support/proxy.ts) stops forwarding on the connections it
// has while still accepting new ones. The listener tests run no version-check
// backstop: only the listener can bring a change in. The last test runs a whole
// API instance, as startApi wires it, and watches /readyz.
import { CatalogCache } from '../../src/cache/catalog.ts';
import { CatalogListener, type ReloadReason } from '../../src/cache/listener.ts';
import { createPool, type Pool } from '../../src/db/pool.ts';
import { startApi } from '../../src/service.ts';
import { application, startProxy, type StallingProxy } from '../support/proxy.ts';
import { testConfig } from '../support/stack.ts';
import { catalogVersion, costOf, logger, request, startServingStack, type ServingStack } from './helpers.ts';
import { until } from '../support/poll.ts';

/** Detection within this: probes every half of it. */
const CHECK_INTERVAL_MS = 1_000;

let stack: ServingStack;
let proxy: StallingProxy;
let pool: Pool;
let catalog: CatalogCache;
let listener: CatalogListener;
const reloads: Array<{ reason: ReloadReason; version: number }> = [];

beforeAll(async () => {
  stack = await startServingStack();
  proxy = await startProxy(stack.db.url);
  // Catalog reads go straight to the database; only the LISTEN connection crosses the proxy.
  pool = createPool({ connectionString: stack.db.url, max: 2, applicationName: 'tariff-half-open-test', logger });
  catalog = new CatalogCache(pool, logger);
  listener = new CatalogListener({
    connectionString: proxy.url, catalog, logger, checkIntervalMs: CHECK_INTERVAL_MS,
    onReload: (reason) => reloads.push({ reason, version: catalog.current.version }),
  });
  listener.start();
});

afterAll(async () => {
  // The proxy first: a listener still holding a stalled socket could otherwise wait on it forever.
  await proxy.close();
  await listener.stop();
  await pool.end();
  await stack.release();
});

async function listenerPids(): Promise<number[]> {
  const { rows } = await stack.pool.query<{ pid: number }>(`
    select pid from pg_stat_activity where application_name = 'tariff-api-listener' and datname = current_database()`);
  return rows.map((row) => row.pid);
}

test('a listener connection that silently stops delivering is replaced, and the next change arrives by notification', async () => {
  await until('the first reload after LISTEN', async () => (reloads.length > 0 ? true : undefined));
  const [stalledPid] = await listenerPids();
  expect(stalledPid).toBeDefined();

  proxy.stall();
  // The stalled backend stays in pg_stat_activity (the proxy keeps its socket open); a second one appears,
  // found by the listener's own probe: nothing else in this test touches its connection.
  const replacement = await until('a new listener connection', async () => (await listenerPids()).find((pid) => pid !== stalledPid),
    { deadlineMs: 10 * CHECK_INTERVAL_MS });
  expect(replacement).not.toBe(stalledPid);
  await until('the reload after reconnecting', async () => (reloads.some((r) => r.reason === 'reconnect') ? true : undefined));
  expect(listener.connected).toBe(true);

  const reloadsBefore = reloads.length;
  await stack.syncModelsDev('anthropic', (payload) => {
    costOf(payload, 'anthropic', 'claude-sonnet-4-5').input = 3.3;
  });
  const version = await catalogVersion(stack.pool);
  const heard = await until('the change to arrive by notification', async () =>
    reloads.slice(reloadsBefore).find((r) => r.reason === 'notify' && r.version === version), { deadlineMs: 10_000 });
  expect(heard).toEqual({ reason: 'notify', version });
  expect(catalog.current.byProvider.get('anthropic')?.get('claude-sonnet-4-5')?.input).toBe('3.3');
});

test('a listener stopped while its connection is stalled stops at once, whether or not the stall was noticed yet', async () => {
  await until('the listener to be connected', async () => (listener.connected ? true : undefined));
  proxy.stall();
  // A stop that waited on the stalled socket would never settle: the test's own timeout would fail it.
  await listener.stop();
  expect(listener.connected).toBe(false);
});

test('an API instance whose LISTEN socket goes silent stops reporting ready, and is ready again once a new listener connection is up', async () => {
  // Everything the instance opens crosses this proxy; only the listener's connections are stalled and turned away.
  const apiProxy = await startProxy(stack.db.url);
  const api = await startApi({
    url: apiProxy.url, writerUrl: null, logger, port: 0,
    config: testConfig(stack.db.url, stack.upstream, { CATALOG_CHECK_INTERVAL_MS: String(CHECK_INTERVAL_MS) }),
  });
  try {
    const readiness = async () => (await request<{ status: string }>(api.baseUrl, '/readyz')).body.status;
    await until('the instance to be ready', async () => ((await readiness()) === 'ready' ? true : undefined));

    const listenerConnections = application('tariff-api-listener');
    apiProxy.refuse(listenerConnections);
    apiProxy.stall(listenerConnections);
    await until('/readyz to stop reporting ready', async () => ((await readiness()) !== 'ready' ? true : undefined),
      { deadlineMs: 10 * CHECK_INTERVAL_MS });
    expect(await readiness()).toBe('degraded');
    expect(api.listener.connected).toBe(false);

    apiProxy.refuse(null);
    await until('/readyz to report ready again', async () => ((await readiness()) === 'ready' ? true : undefined));
    expect(api.listener.connected).toBe(true);
  } finally {
    // The proxy first: a stalled socket must not be what the instance's stop waits on.
    await apiProxy.close();
    await api.stop();
  }
});
