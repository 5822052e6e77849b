// Measurement 5: from a committed sync to every API instance serving the new
// catalog version. The bench process commits through tariff's own writer
// (applyPriceSets of an edited provider, one price changed each time); a poller
// process notes when each instance first serves each version; a bare LISTEN
// client process notes when the NOTIFY of that same commit reaches it.
import path from 'node:path';
import { z } from 'zod';
import { applyPriceSets } from '../../src/store/apply.ts';
import { ChangeLog } from '../../src/cache/changes.ts';
import { enqueuePriceChanges } from '../../src/webhooks/outbox.ts';
import { CatalogCache } from '../../src/cache/catalog.ts';
import { costsRouter } from '../../src/api/routes/costs.ts';
import { readCatalogVersion } from '../../src/store/read.ts';
import { withTransaction, type Pool } from '../../src/db/pool.ts';
import type { Logger } from '../../src/log.ts';
import { formatDecimal, parseDecimal } from '@tariff/pricing';
import type { ParsedProvider } from './apply.ts';
import { BENCH_DIR, type Child, type Children } from './processes.ts';
import { randomInt, seededRandom } from '../support/random.ts';
import { monotonicMs, percentile, sleep } from './stats.ts';

export const POLL_PROVIDER = 'anthropic';
export const POLL_MODEL = 'claude-sonnet-4-5';
export const POLL_PATH = `/costs/${POLL_PROVIDER}/${POLL_MODEL}`;
const WARMUP_COMMITS = 5;
const REACH_TIMEOUT_MS = 5_000;

export interface InvalidationSettings {
  commits: number;
  pollIntervalMs: number;
  /** Pause after every instance has a version and before the next commit, so each commit is timed on its own. */
  gapMs: [number, number];
}

export interface InvalidationMeasurement {
  settings: InvalidationSettings;
  instances: number;
  /** Per commit: until the last instance served it. */
  allInstancesMs: number[];
  /** Per commit and instance. */
  perInstanceMs: number[][];
  /** Per commit: until the bare LISTEN client had the NOTIFY. */
  rawNotifyMs: number[];
  /** Commits not served by every instance within REACH_TIMEOUT_MS. */
  timedOut: number;
}

const observationsSchema = z.object({
  type: z.literal('report'),
  observations: z.array(z.object({ instance: z.number(), version: z.number(), atMs: z.number() })),
});
const notificationsSchema = z.object({
  type: z.literal('report'),
  notifications: z.array(z.object({ version: z.number(), atMs: z.number() })),
});

export async function measureInvalidation(options: {
  children: Children;
  pool: Pool;
  databaseUrl: string;
  instanceUrls: string[];
  provider: ParsedProvider;
  settings: InvalidationSettings;
  seed: number;
}): Promise<InvalidationMeasurement> {
  const { children, pool, instanceUrls, provider, settings } = options;
  if (!provider.records.some((r) => r.model_id === POLL_MODEL)) throw new Error(`${POLL_PROVIDER} has no ${POLL_MODEL}`);
  const listener = children.spawnNode('notify-listener', [path.join(BENCH_DIR, 'listen-client.ts'), options.databaseUrl], {}, { ipc: true });
  await nextMessage(listener, (m) => m.type === 'ready', 30_000);
  const poller = children.spawnNode('poller', [path.join(BENCH_DIR, 'poller.ts'),
    JSON.stringify({ urls: instanceUrls.map((u) => u + POLL_PATH), intervalMs: settings.pollIntervalMs })], {}, { ipc: true });
  const problems = new Map<number, string>();
  poller.process.on('message', (raw: unknown) => {
    const m = (raw ?? {}) as { type?: unknown; instance?: unknown; message?: unknown };
    if (m.type === 'problem') problems.set(Number(m.instance), String(m.message));
  });
  const describeProblems = () => [...problems].map(([i, message]) => `instance ${i + 1}: ${message}`).join('; ') || 'no failed polls';
  try {
    if (!(await reached(poller, await readCatalogVersion(pool), 30_000))) {
      throw new Error(`instances never served the current version (${describeProblems()})`);
    }
    const random = seededRandom(options.seed);
    const commits: Array<{ version: number; committedAt: number; served: boolean }> = [];
    for (let i = 0; i < WARMUP_COMMITS + settings.commits; i++) {
      // 3.001, 3.002, …: a new price every time, never one the model had before.
      const price = formatDecimal(parseDecimal(`${3000 + i + 1}e-3`));
      const records = provider.records.map((r) => (r.model_id === POLL_MODEL ? { ...r, input: price } : r));
      const version = await withTransaction(pool, async (client) => {
        await applyPriceSets(client, [{ provider: provider.id, source: 'models_dev', records, keep: provider.skipped }], { changedBy: 'bench', syncLogId: null, onChanges: enqueuePriceChanges });
        return readCatalogVersion(client);
      });
      const committedAt = monotonicMs();
      const served = await reached(poller, version, REACH_TIMEOUT_MS);
      if (i >= WARMUP_COMMITS) commits.push({ version, committedAt, served });
      await sleep(randomInt(random, settings.gapMs[0], settings.gapMs[1]));
    }

    const { observations } = observationsSchema.parse(await request(poller, 'report'));
    const { notifications } = notificationsSchema.parse(await request(listener, 'report'));
    const perInstanceMs: number[][] = [];
    const allInstancesMs: number[] = [];
    const rawNotifyMs: number[] = [];
    for (const commit of commits.filter((c) => c.served)) {
      const each = instanceUrls.map((_, instance) => {
        const first = observations.find((o) => o.instance === instance && o.version >= commit.version);
        return first ? first.atMs - commit.committedAt : Number.NaN;
      });
      perInstanceMs.push(each);
      allInstancesMs.push(Math.max(...each));
      const notified = notifications.find((n) => n.version === commit.version);
      if (notified) rawNotifyMs.push(notified.atMs - commit.committedAt);
    }
    return {
      settings, instances: instanceUrls.length, allInstancesMs, perInstanceMs, rawNotifyMs,
      timedOut: commits.filter((c) => !c.served).length,
    };
  } finally {
    poller.process.send({ type: 'stop' });
    listener.process.send({ type: 'stop' });
    await Promise.race([Promise.all([poller.exited, listener.exited]), sleep(5_000)]);
    await children.stop(poller);
    await children.stop(listener);
  }
}

export interface ReloadWork {
  commits: number;
  /** Medians, ms: CatalogCache.reload (read the delta and apply it), then the costs router's post-load hook (rebuilding GET /costs). */
  reloadMs: number;
  afterLoadMs: number;
}

/**
 * What every API instance does per commit, timed here in one process once the
 * instances and the poller have stopped: tariff's own CatalogCache reloads
 * (the delta read and applied), then the costs router's onLoad hook runs
 * (the GET /costs body rebuilt on the event loop). Same kind of commits as above.
 */
export async function measureReloadWork(pool: Pool, provider: ParsedProvider, logger: Logger, commits = 20): Promise<ReloadWork> {
  const cache = new CatalogCache(pool, logger);
  costsRouter(cache, pool, new ChangeLog(), '0 * * * *'); // registers the hook an API instance runs after every load
  await cache.reload();
  await nextTurn();
  const reload: number[] = [];
  const afterLoad: number[] = [];
  for (let i = 0; i < commits; i++) {
    const price = formatDecimal(parseDecimal(`${4000 + i + 1}e-3`));
    const records = provider.records.map((r) => (r.model_id === POLL_MODEL ? { ...r, input: price } : r));
    await withTransaction(pool, (client) => applyPriceSets(client, [{ provider: provider.id, source: 'models_dev', records, keep: provider.skipped }], {
      changedBy: 'bench', syncLogId: null, onChanges: enqueuePriceChanges,
    }));
    const t0 = performance.now();
    await cache.reload();
    const t1 = performance.now();
    await nextTurn(); // the hook was queued with setImmediate during the reload: it runs before this resolves
    const t2 = performance.now();
    reload.push(t1 - t0);
    afterLoad.push(t2 - t1);
  }
  return { commits, reloadMs: percentile(reload, 50), afterLoadMs: percentile(afterLoad, 50) };
}

function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

type Message = { type?: unknown; version?: unknown };

/** The first IPC message from child that satisfies accept, or an error after timeoutMs. */
export function nextMessage(child: Child, accept: (message: Message) => boolean, timeoutMs: number): Promise<Message> {
  return new Promise((resolve, reject) => {
    const onMessage = (raw: unknown) => {
      const message = (raw ?? {}) as Message;
      if (!accept(message)) return;
      clearTimeout(timer);
      child.process.off('message', onMessage);
      resolve(message);
    };
    const timer = setTimeout(() => {
      child.process.off('message', onMessage);
      reject(new Error(`${child.name}: no answer in ${timeoutMs} ms; see ${child.logFile}`));
    }, timeoutMs);
    child.process.on('message', onMessage);
  });
}

async function reached(poller: Child, version: number, timeoutMs: number): Promise<boolean> {
  const answer = nextMessage(poller, (m) => m.type === 'reached' && m.version === version, timeoutMs);
  poller.process.send({ type: 'expect', version });
  return answer.then(() => true, () => false);
}

export async function request(child: Child, type: string): Promise<Message> {
  const answer = nextMessage(child, (m) => m.type === type, 30_000);
  child.process.send({ type });
  return answer;
}
