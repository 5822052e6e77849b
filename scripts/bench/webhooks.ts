// Measurement 7: webhooks. (a) From a committed price change to its
// price.changed arriving at a local receiver, through a tariff worker process
// (the outbox row, graphile-worker's pickup, the signed POST), one commit at a
// time; the baseline is the same POST sent directly from this process. (b)
// Delivery throughput to 50 endpoints for a burst of commits, against the same
// POSTs sent directly at the worker's WEBHOOK_CONCURRENCY.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';
import { applyPriceSets } from '../../src/store/apply.ts';
import { enqueuePriceChanges } from '../../src/webhooks/outbox.ts';
import { readCatalogVersion } from '../../src/store/read.ts';
import { withTransaction, type Pool } from '../../src/db/pool.ts';
import { formatDecimal, parseDecimal } from '@tariff/pricing';
import { createEndpoint, deleteEndpoint } from '../../src/webhooks/endpoints.ts';
import type { ParsedProvider } from './apply.ts';
import { POLL_MODEL } from './invalidation.ts';
import type { Children } from './processes.ts';
import { randomInt, seededRandom } from '../support/random.ts';
import { monotonicMs, sleep } from './stats.ts';
import { START_API } from './tariff.ts';

const KEY_HEX = '5'.repeat(64);
export const WARMUP_COMMITS = 5;
const REACH_TIMEOUT_MS = 10_000;
const CONCURRENCY = 8;

export interface WebhookSettings {
  commits: number;
  gapMs: [number, number];
  endpoints: number;
  burstCommits: number;
}

export interface WebhookMeasurement {
  settings: WebhookSettings;
  concurrency: number;
  /** Per commit: committed → the receiver has the event. */
  latencyMs: number[];
  /** The same POSTs, sent directly. */
  directMs: number[];
  timedOut: number;
  burst: { deliveries: number; seconds: number; directSeconds: number };
}

interface Receipt { path: string; version: number; atMs: number }

export async function measureWebhooks(options: {
  children: Children; pool: Pool; databaseUrl: string; provider: ParsedProvider; settings: WebhookSettings; seed: number;
}): Promise<WebhookMeasurement> {
  const { children, pool, provider, settings } = options;
  const receipts: Receipt[] = [];
  const waiting = new Map<string, () => void>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c)).on('end', () => {
      const atMs = monotonicMs();
      const event = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { catalog_version: number };
      receipts.push({ path: req.url ?? '/', version: event.catalog_version, atMs });
      waiting.get(`${req.url} ${event.catalog_version}`)?.();
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const key = Buffer.from(KEY_HEX, 'hex');
  const worker = children.spawnNode('webhook-worker', [...START_API.nodeFlags, 'src/main.ts', 'worker'], {
    ...START_API.env, DATABASE_URL: options.databaseUrl, LOG_LEVEL: 'warn', WEBHOOK_SECRET_KEY: KEY_HEX, WEBHOOK_ALLOW_HTTP: 'true', WEBHOOK_ALLOW_PRIVATE: 'true',
    WEBHOOK_CONCURRENCY: String(CONCURRENCY), SYNC_SCHEDULE: '0 0 30 2 *', FX_SCHEDULE: '0 0 30 2 *',
  });
  let step = 0;
  const commit = async (): Promise<number> => {
    step += 1;
    // A new price every time, never one the model had before.
    const price = formatDecimal(parseDecimal(`${5000 + step}e-3`));
    const records = provider.records.map((r) => (r.model_id === POLL_MODEL ? { ...r, input: price } : r));
    return withTransaction(pool, async (client) => {
      await applyPriceSets(client, [{ provider: provider.id, source: 'models_dev', records, keep: provider.skipped }], { changedBy: 'bench', syncLogId: null, onChanges: enqueuePriceChanges });
      return readCatalogVersion(client);
    });
  };
  const arrival = (path: string, version: number, timeoutMs: number) => new Promise<boolean>((resolve) => {
    if (receipts.some((r) => r.path === path && r.version === version)) return resolve(true);
    const timer = setTimeout(() => { waiting.delete(`${path} ${version}`); resolve(false); }, timeoutMs);
    waiting.set(`${path} ${version}`, () => { clearTimeout(timer); waiting.delete(`${path} ${version}`); resolve(true); });
  });

  try {
    const single = await createEndpoint(pool, key, { url: `${base}/single`, events: ['price.changed'] });
    // The first delivery also waits for the worker process to start.
    if (!(await arrival('/single', await commit(), 60_000))) throw new Error(`the webhook worker delivered nothing; see ${worker.logFile}`);
    const random = seededRandom(options.seed);
    const latencyMs: number[] = [];
    let timedOut = 0;
    for (let i = 0; i < WARMUP_COMMITS + settings.commits; i++) {
      const version = await commit();
      const committedAt = monotonicMs();
      const reached = await arrival('/single', version, REACH_TIMEOUT_MS);
      if (i >= WARMUP_COMMITS) {
        if (reached) latencyMs.push(receipts.find((r) => r.path === '/single' && r.version === version)!.atMs - committedAt);
        else timedOut += 1;
      }
      await sleep(randomInt(random, settings.gapMs[0], settings.gapMs[1]));
    }
    const body = JSON.stringify({ id: 'bench', type: 'price.changed', created_at: new Date().toISOString(), catalog_version: -1, data: {} });
    const direct = new Agent({ pipelining: 0 });
    const post = async (path: string) => {
      const res = await request(`${base}${path}`, { method: 'POST', dispatcher: direct, body, headers: { 'content-type': 'application/json' } });
      await res.body.dump();
    };
    const directMs: number[] = [];
    for (let i = 0; i < settings.commits; i++) {
      const t0 = monotonicMs();
      await post('/direct');
      directMs.push(monotonicMs() - t0);
    }
    await deleteEndpoint(pool, single.id);

    for (let i = 0; i < settings.endpoints; i++) await createEndpoint(pool, key, { url: `${base}/many/${i}`, events: ['price.changed'] });
    const before = receipts.length;
    const expected = settings.endpoints * settings.burstCommits;
    const t0 = monotonicMs();
    for (let i = 0; i < settings.burstCommits; i++) await commit();
    const deadline = Date.now() + 120_000;
    while (receipts.length - before < expected && Date.now() < deadline) await sleep(5);
    const received = receipts.length - before;
    if (received < expected) throw new Error(`only ${received} of ${expected} deliveries arrived; see ${worker.logFile}`);
    const seconds = (receipts.at(-1)!.atMs - t0) / 1000;

    // The floor: the same number of POSTs, CONCURRENCY at a time, from this process.
    const d0 = monotonicMs();
    let next = 0;
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (next < expected) {
        next += 1;
        await post(`/direct/${next % settings.endpoints}`);
      }
    }));
    const directSeconds = (monotonicMs() - d0) / 1000;
    await direct.close();
    return { settings, concurrency: CONCURRENCY, latencyMs, directMs, timedOut, burst: { deliveries: expected, seconds, directSeconds } };
  } finally {
    await children.stop(worker);
    await closeServer(server);
  }
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
