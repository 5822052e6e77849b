// The bundled snapshot of real prices (snapshot.json, built by
// `npm run snapshot` from real upstream payloads), loaded into an empty catalog
// on first start so tariff serves real prices before any upstream is reachable.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { ProviderSource } from '../config.ts';
import { withTransaction, type Pool, type PoolClient } from '../db/pool.ts';
import type { Logger } from '../log.ts';
import { applyPriceSets, type PriceChangeSink } from './apply.ts';
import { SOURCE_NAMES } from '../upstreams.ts';
import { isUnitId, PRICE_STATES, SPEED_MODES, type PriceRecord } from '@tariff/pricing';

export const SNAPSHOT_FILE = new URL('./snapshot.json', import.meta.url);

const decimal = z.string().regex(/^\d+(\.\d+)?$/);
const extra = z.record(z.string().refine(isUnitId, 'must be a unit id (units.ts)'), decimal);
const sheet = {
  input: decimal.nullable().default(null), output: decimal.nullable().default(null), cache_read: decimal.nullable().default(null),
  cache_write: decimal.nullable().default(null), reasoning: decimal.nullable().default(null), extra: extra.optional(),
};
const tierSchema = z.object({ above_tokens: z.number().int().positive(), ...sheet });
const listSchema = z.object({ ...sheet, request: decimal.nullable().default(null), tiers: z.array(tierSchema).default([]) });
const recordSchema = listSchema.extend({
  model_id: z.string().min(1),
  name: z.string().nullable().default(null),
  state: z.enum(PRICE_STATES),
  service_tiers: z.partialRecord(z.enum(['flex', 'priority', 'batch']), listSchema).optional(),
  speed_modes: z.partialRecord(z.enum(SPEED_MODES), listSchema).optional(),
  multipliers: z.record(z.string().regex(/^[a-z_]+=[a-z0-9_-]+$/), decimal).optional(),
  unsupported: z.array(z.object({ field: z.string(), value: z.string() })).optional(),
  variants: z.array(listSchema.extend({
    from: z.string().optional(), window: z.object({ start: z.string(), end: z.string() }).optional(),
  })).optional(),
  match: z.unknown().optional(),
  filled_from: z.record(z.string(), z.string().refine((name) => SOURCE_NAMES.includes(name), 'must be a known source')).optional(),
});
const rateSchema = z.object({
  base: z.literal('USD'), quote: z.string().regex(/^[A-Z]{3}$/), rate: decimal, market_time: z.iso.datetime(), source: z.string(),
});
export const snapshotSchema = z.object({
  /** The snapshot's date: the newest capture of the payloads it was built from. */
  taken_at: z.iso.datetime(),
  sources: z.record(z.string(), z.object({ file: z.string(), captured: z.string() })),
  /** Per source, the provider ids its payload held when the snapshot was built. */
  known_upstream_ids: z.record(z.string(), z.array(z.string())),
  providers: z.array(z.object({
    id: z.string(),
    source: z.string().refine((name) => SOURCE_NAMES.includes(name), { error: `must be a known source (${SOURCE_NAMES.join(', ')})` }),
    upstream_id: z.string(),
    models: z.array(recordSchema),
  })),
  /** USD rates of FX_CURRENCIES from the recorded quotes, as of taken_at; currencies with no recorded quote are listed in fx_missing. */
  exchange_rates: z.array(rateSchema).default([]),
  fx_missing: z.array(z.string()).default([]),
  /** The discrepancy report of the same payloads (src/discrepancy/report.ts's shape), for the default providers in use. */
  discrepancy_report: z.looseObject({ generated_at: z.iso.datetime(), items: z.array(z.unknown()), unmatched: z.array(z.unknown()) }).nullable().default(null),
});
/** The snapshot as validated, its models typed as the price records the schema checked them to be. */
export type Snapshot = Omit<z.infer<typeof snapshotSchema>, 'providers'> & {
  providers: Array<Omit<z.infer<typeof snapshotSchema>['providers'][number], 'models'> & { models: PriceRecord[] }>;
};

export async function readSnapshot(file: URL = SNAPSHOT_FILE): Promise<Snapshot> {
  return snapshotSchema.parse(JSON.parse(await readFile(file, 'utf8'))) as Snapshot;
}

/** Fails naming any provider in use that no source is known to have, unless its source was set explicitly. */
export function checkProvidersKnown(providers: readonly ProviderSource[], snapshot: Snapshot): void {
  const known = (source: string, id: string) => snapshot.known_upstream_ids[source]?.includes(id) ?? false;
  const unknown = providers.filter((p) => !p.explicit && !known(p.source, p.upstream_id));
  if (unknown.length > 0) {
    throw new Error(`unknown provider(s) in PROVIDERS_IN_USE: ${unknown.map((p) => `${p.provider} (not in ${p.source})`).join(', ')}; ` +
      'set PROVIDER_SOURCES=<provider>=<source>[:<upstream_id>] to name its source explicitly');
  }
}

/**
 * Loads the snapshot if the catalog holds no price yet. Concurrent first starts
 * serialise on an advisory lock; the loser finds prices and does nothing.
 * Providers whose configured source differs from the snapshot's are left for their first sync.
 */
export async function loadSnapshotIfEmpty(
  pool: Pool, onChanges: PriceChangeSink, configured: readonly ProviderSource[], logger: Logger, snapshot?: Snapshot,
  /** Runs in the loading transaction, after prices and rates (e.g. to store the snapshot's discrepancy report). */
  onLoaded?: (client: PoolClient, data: Snapshot) => Promise<void>,
): Promise<boolean> {
  const data = snapshot ?? (await readSnapshot());
  const takenAt = new Date(data.taken_at);
  const loaded = await withTransaction(pool, async (client) => {
    await client.query(`select pg_advisory_xact_lock(hashtext('tariff.snapshot'))`);
    const { rows } = await client.query<{ has_prices: boolean }>('select exists (select 1 from model_prices) as has_prices');
    if (rows[0]?.has_prices) return 0;
    const sourceOf = new Map(configured.map((p) => [p.provider, `${p.source}:${p.upstream_id}`]));
    const wanted = data.providers.filter((provider) => {
      const configuredSource = sourceOf.get(provider.id);
      return configuredSource === undefined || configuredSource === `${provider.source}:${provider.upstream_id}`;
    });
    await client.query(`
      insert into providers (id, source, upstream_id)
      select * from unnest($1::text[], $2::text[], $3::text[])
      on conflict (id) do nothing`,
    [wanted.map((p) => p.id), wanted.map((p) => p.source), wanted.map((p) => p.upstream_id)]);
    await applyPriceSets(client, wanted.map((provider) => ({
      provider: provider.id, source: 'snapshot' as const, records: provider.models,
    })), { changedBy: 'snapshot', syncLogId: null, onChanges, at: takenAt });
    await insertRates(client, data.exchange_rates, takenAt);
    await onLoaded?.(client, data);
    return wanted.reduce((n, provider) => n + provider.models.length, 0);
  });
  if (loaded > 0) {
    // Fresh statistics after the bulk load, so the first reloads are planned as key lookups.
    await pool.query('analyze providers, model_prices, price_history, catalog_changes');
    logger.info({ models: loaded, taken_at: data.taken_at, rates: data.exchange_rates.length }, 'loaded the bundled price snapshot into an empty catalog');
  }
  return loaded > 0;
}

/** The snapshot's rates as the latest and as history, recorded at the snapshot's date: what tariff held then. */
async function insertRates(client: PoolClient, rates: Snapshot['exchange_rates'], takenAt: Date): Promise<void> {
  if (rates.length === 0) return;
  const columns = [rates.map((r) => r.base), rates.map((r) => r.quote), rates.map((r) => r.rate), rates.map((r) => r.market_time), rates.map((r) => r.source)];
  await client.query(`
    insert into exchange_rates (base, quote, rate, market_time, source, fetched_at)
    select r.*, $6::timestamptz from unnest($1::text[], $2::text[], $3::numeric[], $4::timestamptz[], $5::text[]) as r
    on conflict (base, quote) do nothing`, [...columns, takenAt]);
  await client.query(`
    insert into exchange_rate_history (base, quote, rate, market_time, source, recorded_at)
    select r.*, $6::timestamptz from unnest($1::text[], $2::text[], $3::numeric[], $4::timestamptz[], $5::text[]) as r`, [...columns, takenAt]);
}
