// Measurement 8b: from a commit in PostgreSQL to N connected @tariff/client
// instances holding the new catalog version. The bench process commits through
// tariff's own writer (one price changed each time, as measurement 5 does); one
// API instance hears the NOTIFY, reloads and pushes a catalog event on every
// open GET /costs/changes; each client fetches GET /costs?since= and applies it.
// The clients run in processes of their own (client-fleet.ts, several clients
// each, as consumers' processes would be) and note when they hold each version,
// on the same monotonic clock as the commit.
import path from 'node:path';
import { z } from 'zod';
import { formatDecimal, parseDecimal } from '@tariff/pricing';
import { withTransaction, type Pool } from '../../src/db/pool.ts';
import { applyPriceSets } from '../../src/store/apply.ts';
import { readCatalogVersion } from '../../src/store/read.ts';
import { enqueuePriceChanges } from '../../src/webhooks/outbox.ts';
import type { ParsedProvider } from './apply.ts';
import { nextMessage, POLL_MODEL, request } from './invalidation.ts';
import { BENCH_DIR, cpuMs, type Children } from './processes.ts';
import { randomInt, seededRandom } from '../support/random.ts';
import { monotonicMs, sleep } from './stats.ts';

const WARMUP_COMMITS = 3;
const REACH_TIMEOUT_MS = 10_000;

export interface PropagationSettings {
  clients: number;
  /** Processes the clients are spread over. */
  processes: number;
  commits: number;
  /** Pause after every client has a version and before the next commit. */
  gapMs: [number, number];
}

export interface PropagationMeasurement {
  settings: PropagationSettings;
  /** Models in the catalog the clients hold. */
  models: number;
  /** Per commit and client: commit → that client holds the version. */
  perClientMs: number[];
  /** Per commit: until the last client held it. */
  lastClientMs: number[];
  /** Commits not held by every client within REACH_TIMEOUT_MS. */
  timedOut: number;
  /** CPU time per measured commit (ms): the API instance, and the clients' processes together. */
  cpuPerCommitMs: { api: number; clients: number };
}

const reportSchema = z.object({
  type: z.literal('report'),
  observations: z.array(z.object({ client: z.number(), version: z.number(), atMs: z.number() })),
});

export async function measurePropagation(options: {
  children: Children;
  pool: Pool;
  api: { baseUrl: string; pid: number };
  provider: ParsedProvider;
  models: number;
  settings: PropagationSettings;
  seed: number;
}): Promise<PropagationMeasurement> {
  const { children, pool, provider, settings } = options;
  const apiUrl = options.api.baseUrl;
  const fleets = Array.from({ length: settings.processes }, (_, i) => {
    const clients = Math.floor(settings.clients / settings.processes) + (i < settings.clients % settings.processes ? 1 : 0);
    return children.spawnNode(`client-fleet-${i + 1}`, [path.join(BENCH_DIR, 'client-fleet.ts'), JSON.stringify({ url: apiUrl, clients })], {}, { ipc: true });
  });
  const fleetsCpu = async () => (await Promise.all(fleets.map((fleet) => cpuMs(fleet.pid)))).reduce((a, b) => a + b, 0);
  try {
    for (const fleet of fleets) await nextMessage(fleet, (m) => m.type === 'ready', 120_000);
    await streamsOpen(apiUrl, settings.clients);
    const random = seededRandom(options.seed);
    const commits: Array<{ version: number; committedAt: number; reached: boolean }> = [];
    let cpuBefore = { api: 0, clients: 0 };
    for (let i = 0; i < WARMUP_COMMITS + settings.commits; i++) {
      if (i === WARMUP_COMMITS) cpuBefore = { api: await cpuMs(options.api.pid), clients: await fleetsCpu() };
      const price = formatDecimal(parseDecimal(`${5000 + i + 1}e-3`));
      const records = provider.records.map((r) => (r.model_id === POLL_MODEL ? { ...r, input: price } : r));
      const version = await withTransaction(pool, async (client) => {
        await applyPriceSets(client, [{ provider: provider.id, source: 'models_dev', records, keep: provider.skipped }], { changedBy: 'bench', syncLogId: null, onChanges: enqueuePriceChanges });
        return readCatalogVersion(client);
      });
      const committedAt = monotonicMs();
      const answers = fleets.map((fleet) => nextMessage(fleet, (m) => m.type === 'reached' && m.version === version, REACH_TIMEOUT_MS));
      for (const fleet of fleets) fleet.process.send({ type: 'expect', version });
      const reached = await Promise.all(answers).then(() => true, () => false);
      if (i >= WARMUP_COMMITS) commits.push({ version, committedAt, reached });
      await sleep(randomInt(random, settings.gapMs[0], settings.gapMs[1]));
    }
    const cpuPerCommitMs = {
      api: (await cpuMs(options.api.pid) - cpuBefore.api) / settings.commits,
      clients: (await fleetsCpu() - cpuBefore.clients) / settings.commits,
    };
    // Each fleet numbers its own clients: one key per fleet and client.
    const observations = (await Promise.all(fleets.map((fleet) => request(fleet, 'report'))))
      .flatMap((report, f) => reportSchema.parse(report).observations.map((o) => ({ ...o, client: f * settings.clients + o.client })));
    const perClientMs: number[] = [];
    const lastClientMs: number[] = [];
    for (const commit of commits.filter((c) => c.reached)) {
      const first = new Map<number, number>();
      for (const o of observations) if (o.version >= commit.version && !first.has(o.client)) first.set(o.client, o.atMs - commit.committedAt);
      const each = [...first.values()];
      perClientMs.push(...each);
      lastClientMs.push(Math.max(...each));
    }
    return { settings, models: options.models, perClientMs, lastClientMs, timedOut: commits.filter((c) => !c.reached).length, cpuPerCommitMs };
  } finally {
    for (const fleet of fleets) fleet.process.send({ type: 'stop' });
    await Promise.race([Promise.all(fleets.map((fleet) => fleet.exited)), sleep(5_000)]);
    for (const fleet of fleets) await children.stop(fleet);
  }
}

/** Waits until the instance's GET /metrics counts `n` open change streams. */
export async function streamsOpen(apiUrl: string, n: number, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let open = 0;
  while (Date.now() < deadline) {
    const text = await (await fetch(`${apiUrl}/metrics`)).text();
    open = Number(/^tariff_change_streams_open (\d+)$/m.exec(text)?.[1] ?? 0);
    if (open >= n) return;
    await sleep(100);
  }
  throw new Error(`${apiUrl}: ${open} of ${n} change streams open after ${timeoutMs} ms`);
}
