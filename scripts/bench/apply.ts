// Measurement 4: applying the full models.dev snapshot (every provider in it)
// with tariff's writer (applyPriceSets: lock, read stored, diff, set-based write,
// one transaction per provider) against a naive row-at-a-time writer, from
// already-parsed records: into an empty catalog, the same data again, and with
// 10% of the prices changed.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { applyPriceSets } from '../../src/store/apply.ts';
import { enqueuePriceChanges } from '../../src/webhooks/outbox.ts';
import { registerProviders } from '../../src/store/providers.ts';
import { formatDecimal, multiply, parseDecimal, type PriceRecord } from '@tariff/pricing';
import type { ProviderSource } from '../../src/config.ts';
import { withTransaction, type Pool, type PoolClient } from '../../src/db/pool.ts';
import { modelsDev } from '../../src/sources/models_dev.ts';
import { parseExactJson } from '../../src/sources/json.ts';
import { REPO_ROOT } from './processes.ts';
import { seededRandom } from '../support/random.ts';

export const MODELS_DEV_FILE = path.resolve(REPO_ROOT, '../shared/fixtures/upstream/models-dev-api.json');
const CHANGE_FRACTION = 0.1;
const CHANGE_FACTOR = parseDecimal('1.1');

export interface ParsedProvider {
  id: string;
  records: PriceRecord[];
  /** Models the source listed but could not parse: kept, neither updated nor removed. */
  skipped: ReadonlySet<string>;
}

export interface Snapshot {
  providers: ParsedProvider[];
  models: number;
  skipped: number;
  bytes: number;
  parseMs: number;
}

/** Every provider of the models.dev payload, through tariff's own exact-JSON parser and models.dev adapter. */
export async function parseModelsDev(file = MODELS_DEV_FILE): Promise<Snapshot> {
  const text = await readFile(file, 'utf8');
  const started = performance.now();
  const payload = parseExactJson(text) as Record<string, unknown>;
  const providers = Object.keys(payload).sort().map((id) => {
    const { records, skipped } = modelsDev.parse(payload, id);
    return { id, records, skipped: new Set(skipped.map((s) => s.model_id)) };
  });
  return {
    providers,
    models: providers.reduce((n, p) => n + p.records.length, 0),
    skipped: providers.reduce((n, p) => n + p.skipped.size, 0),
    bytes: Buffer.byteLength(text),
    parseMs: performance.now() - started,
  };
}

/** The same snapshot with a seeded 10% of its models (among those with a non-zero input price) charging 1.1× that price. */
export function withChangedPrices(snapshot: Snapshot, seed: number): { providers: ParsedProvider[]; changed: number } {
  const random = seededRandom(seed);
  // A zero price stays zero at 1.1×: only non-zero input prices (canonical decimals: zero is '0').
  const eligible = snapshot.providers.flatMap((p) => p.records.filter((r) => r.input !== null && r.input !== '0').map((r) => `${p.id}\u0000${r.model_id}`));
  const wanted = Math.round(snapshot.models * CHANGE_FRACTION);
  // Partial Fisher–Yates: the first `wanted` of a seeded shuffle.
  for (let i = 0; i < wanted && i < eligible.length; i++) {
    const j = i + Math.floor(random() * (eligible.length - i));
    [eligible[i], eligible[j]] = [eligible[j]!, eligible[i]!];
  }
  const chosen = new Set(eligible.slice(0, wanted));
  const providers = snapshot.providers.map((p) => ({
    ...p,
    records: p.records.map((r) => (chosen.has(`${p.id}\u0000${r.model_id}`)
      ? { ...r, input: formatDecimal(multiply(parseDecimal(r.input!), CHANGE_FACTOR)) }
      : r)),
  }));
  return { providers, changed: chosen.size };
}

/** Registers every provider of the snapshot (as models.dev providers in use), as the worker does for PROVIDERS_IN_USE. */
export async function registerSnapshotProviders(pool: Pool, providers: readonly ParsedProvider[]): Promise<void> {
  const sources: ProviderSource[] = providers.map((p) => ({ provider: p.id, source: 'models_dev', upstream_id: p.id, explicit: false }));
  await registerProviders(pool, sources);
}

export interface WriterRun {
  ms: number;
  /** price_history rows the run wrote. */
  historyRows: number;
}

/** tariff's writer as a sync job runs it: applyPrices per provider, one transaction each (diff + write + commit). */
export async function tariffWriter(pool: Pool, providers: readonly ParsedProvider[]): Promise<WriterRun> {
  return timed(pool, async () => {
    for (const p of providers) await withTransaction(pool, (client) => applyProvider(client, p));
  });
}

/** tariff's writer as the snapshot loader runs it: every provider's list in one applyPriceSets pass, one transaction. */
export async function tariffOnePassWriter(pool: Pool, providers: readonly ParsedProvider[]): Promise<WriterRun> {
  return timed(pool, () => withTransaction(pool, (client) => applyPriceSets(client, providers.map((p) => ({
    provider: p.id, source: 'models_dev' as const, records: p.records, keep: p.skipped,
  })), { changedBy: 'bench', syncLogId: null, onChanges: enqueuePriceChanges })));
}

function applyProvider(client: PoolClient, p: ParsedProvider) {
  return applyPriceSets(client, [{ provider: p.id, source: 'models_dev', records: p.records, keep: p.skipped }], { changedBy: 'bench', syncLogId: null, onChanges: enqueuePriceChanges });
}

/**
 * The baseline: what a writer that neither diffs nor batches does. In one
 * transaction: delete every price row, then one INSERT per model and one
 * history INSERT per model, then the version bump (so listeners hear of it too).
 */
export async function naiveWriter(pool: Pool, providers: readonly ParsedProvider[]): Promise<WriterRun> {
  return timed(pool, () => withTransaction(pool, async (client) => {
    await client.query('delete from model_prices');
    for (const p of providers) {
      for (const r of p.records) {
        await client.query(`
          insert into model_prices (provider, model_id, name, state, input_per_1m, output_per_1m, cache_read_per_1m,
                                    cache_write_per_1m, reasoning_per_1m, request_fee, tiers, source, effective_at, last_seen_at)
          values ($1::text, $2::text, $3::text, $4::text, $5::numeric, $6::numeric, $7::numeric, $8::numeric, $9::numeric,
                  $10::numeric, $11::jsonb, 'models_dev', now(), now())`,
        [p.id, r.model_id, r.name, r.state, r.input, r.output, r.cache_read, r.cache_write, r.reasoning, r.request, JSON.stringify(r.tiers)]);
        await client.query(`
          insert into price_history (provider, model_id, change, old_price, new_price, changed_by)
          values ($1::text, $2::text, 'added', null, $3::jsonb, 'bench-naive')`,
        [p.id, r.model_id, JSON.stringify(r)]);
      }
    }
    await client.query('select bump_catalog_version()');
  }));
}

async function timed(pool: Pool, write: () => Promise<unknown>): Promise<WriterRun> {
  const before = await historyCount(pool);
  const started = performance.now();
  await write();
  const ms = performance.now() - started;
  return { ms, historyRows: (await historyCount(pool)) - before };
}

async function historyCount(pool: Pool): Promise<number> {
  const { rows } = await pool.query<{ n: string }>('select count(*)::text as n from price_history');
  return Number(rows[0]?.n ?? 0);
}

export type Phase = 'empty catalog' | 'unchanged re-sync' | '10% changed';

export interface ApplyMeasurement {
  phases: Array<{ phase: Phase; tariff: WriterRun; tariffOnePass: WriterRun; naive: WriterRun }>;
  changed: number;
  warmupProviders: number;
  warmupModels: number;
}

type Writer = (pool: Pool, providers: readonly ParsedProvider[]) => Promise<WriterRun>;

/**
 * Warms every writer up on a subset of providers in throwaway databases, then
 * runs the three phases, alternating writers, each writer on a fresh database
 * of its own: pools[0] is tariff's (it keeps the catalog for the serving
 * measurements). `afterInitial` runs once the empty-catalog load is in (untimed).
 */
export async function measureApply(options: {
  snapshot: Snapshot;
  seed: number;
  pools: { tariff: Pool; tariffOnePass: Pool; naive: Pool };
  warmPools: { tariff: Pool; tariffOnePass: Pool; naive: Pool };
  afterInitial: () => Promise<void>;
}): Promise<ApplyMeasurement> {
  const { snapshot, seed, pools, warmPools } = options;
  const writers: Record<keyof typeof pools, Writer> = { tariff: tariffWriter, tariffOnePass: tariffOnePassWriter, naive: naiveWriter };
  const names = Object.keys(writers) as Array<keyof typeof pools>;
  const changed = withChangedPrices(snapshot, seed);
  const subset = snapshot.providers.filter((_, i) => i % 5 === 0);
  const subsetChanged = changed.providers.filter((_, i) => i % 5 === 0);
  for (const name of names) {
    await registerSnapshotProviders(warmPools[name], subset);
    for (const data of [subset, subset, subsetChanged]) await writers[name](warmPools[name], data);
  }

  for (const name of names) await registerSnapshotProviders(pools[name], snapshot.providers);
  const phases: ApplyMeasurement['phases'] = [];
  const plan: Array<[Phase, ParsedProvider[]]> = [
    ['empty catalog', snapshot.providers],
    ['unchanged re-sync', snapshot.providers],
    ['10% changed', changed.providers],
  ];
  for (const [phase, data] of plan) {
    const tariff = await tariffWriter(pools.tariff, data);
    const tariffOnePass = await tariffOnePassWriter(pools.tariffOnePass, data);
    const naive = await naiveWriter(pools.naive, data);
    phases.push({ phase, tariff, tariffOnePass, naive });
    if (phase === 'empty catalog') await options.afterInitial();
  }
  return { phases, changed: changed.changed, warmupProviders: subset.length, warmupModels: subset.reduce((n, p) => n + p.records.length, 0) };
}
