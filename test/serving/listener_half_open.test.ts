// A LISTEN connection whose socket silently stops delivering (a NAT or load
// balancer dropping the flow: no FIN, no RST) raises no error on its own. The
// listener must notice it with its own probe, replace it, and hear the next
// price change through LISTEN again. A TCP proxy between the listener and
// PostgreSQL stops forwarding on the connections it has while still accepting
// new ones. There is no version-check backstop here: only the listener can
// bring a change in.
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { CatalogCache } from '../../src/cache/catalog.ts';
import { CatalogListener } from '../../src/cache/listener.ts';
import { createPool, type Pool } from '../../src/db/pool.ts';
import { catalogVersion, costOf, logger, startServingStack, waitFor, type ServingStack } from './helpers.ts';

/** Detection within this: probes every half of it. */
const CHECK_INTERVAL_MS = 1_000;

interface StallingProxy {
  /** The database URL, through the proxy. */
  url: string;
  /** Stops forwarding, both ways, on every connection open now; sockets stay open and new connections are forwarded. */
  stall(): void;
  close(): Promise<void>;
}

async function startProxy(databaseUrl: string): Promise<StallingProxy> {
  const target = new URL(databaseUrl);
  const links = new Set<[Socket, Socket]>();
  const server: Server = createServer((inbound) => {
    const outbound = connect(Number(target.port), target.hostname);
    const link: [Socket, Socket] = [inbound, outbound];
    links.add(link);
    const drop = () => {
      inbound.destroy();
      outbound.destroy();
      links.delete(link);
    };
    for (const socket of link) socket.on('error', drop).on('close', drop);
    inbound.pipe(outbound);
    outbound.pipe(inbound);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(databaseUrl);
  url.hostname = '127.0.0.1';
  url.port = String((server.address() as AddressInfo).port);
  return {
    url: url.toString(),
    stall() {
      for (const [inbound, outbound] of links) {
        inbound.unpipe(outbound);
        outbound.unpipe(inbound);
        inbound.pause();
        outbound.pause();
      }
    },
    close: () => new Promise((resolve) => {
      for (const [inbound, outbound] of links) {
        inbound.destroy();
        outbound.destroy();
      }
      server.close(() => resolve());
    }),
  };
}

let stack: ServingStack;
let proxy: StallingProxy;
let pool: Pool;
let catalog: CatalogCache;
let listener: CatalogListener;
const reloads: Array<{ reason: 'notify' | 'reconnect'; version: number }> = [];

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
  await waitFor('the first reload after LISTEN', async () => (reloads.length > 0 ? true : undefined));
  const [stalledPid] = await listenerPids();
  expect(stalledPid).toBeDefined();

  proxy.stall();
  const stalledAt = Date.now();
  // The stalled backend stays in pg_stat_activity (the proxy keeps its socket open); a second one appears.
  const replacement = await waitFor('a new listener connection', async () => (await listenerPids()).find((pid) => pid !== stalledPid),
    { deadlineMs: 10 * CHECK_INTERVAL_MS });
  expect(Date.now() - stalledAt).toBeLessThan(5 * CHECK_INTERVAL_MS);
  expect(replacement).not.toBe(stalledPid);
  await waitFor('the reload after reconnecting', async () => (reloads.filter((r) => r.reason === 'reconnect').length >= 2 ? true : undefined));
  expect(listener.connected).toBe(true);

  const reloadsBefore = reloads.length;
  await stack.syncModelsDev('anthropic', (payload) => {
    costOf(payload, 'anthropic', 'claude-sonnet-4-5').input = 3.3;
  });
  const version = await catalogVersion(stack.pool);
  const heard = await waitFor('the change to arrive by notification', async () =>
    reloads.slice(reloadsBefore).find((r) => r.reason === 'notify' && r.version === version), { deadlineMs: 10_000 });
  expect(heard).toEqual({ reason: 'notify', version });
  expect(catalog.current.byProvider.get('anthropic')?.get('claude-sonnet-4-5')?.input).toBe('3.3');
});

test('a listener stopped while its connection is stalled stops at once, whether or not the stall was noticed yet', async () => {
  await waitFor('the listener to be connected', async () => (listener.connected ? true : undefined));
  proxy.stall();
  const started = Date.now();
  await listener.stop();
  expect(listener.connected).toBe(false);
  expect(Date.now() - started).toBeLessThan(5_000);
});
