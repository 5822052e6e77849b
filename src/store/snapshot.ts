// The bundled snapshot of real prices (snapshot.json, built by
// `npm run snapshot` from real upstream payloads), loaded into an empty catalog
// on first start so tariff serves real prices before any upstream is reachable.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { ProviderSource } from '../config.ts';
import { withTransaction, type Pool } from '../db/pool.ts';
import type { Logger } from '../log.ts';
import { applyPriceSets, type PriceChangeSink } from './apply.ts';
import { SOURCE_NAMES } from '../upstreams.ts';
import { isUnitId, PRICE_STATES, type PriceRecord } from '@tariff/pricing';

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
  inherits: z.array(z.string().refine(isUnitId, 'must be a unit id (units.ts)')).optional(),
  unsupported: z.array(z.object({ field: z.string(), value: z.string() })).optional(),
  variants: z.array(listSchema.extend({
    from: z.string().optional(), window: z.object({ start: z.string(), end: z.string() }).optional(),
  })).optional(),
  match: z.unknown().optional(),
});
export const snapshotSchema = z.object({
  generated_at: z.string(),
  sources: z.record(z.string(), z.object({ file: z.string(), captured: z.string() })),
  /** Per source, the provider ids its payload held when the snapshot was built. */
  known_upstream_ids: z.record(z.string(), z.array(z.string())),
  providers: z.array(z.object({
    id: z.string(),
    source: z.string().refine((name) => SOURCE_NAMES.includes(name), { error: `must be a known source (${SOURCE_NAMES.join(', ')})` }),
    upstream_id: z.string(),
    models: z.array(recordSchema),
  })),
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
): Promise<boolean> {
  const data = snapshot ?? (await readSnapshot());
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
    })), { changedBy: 'snapshot', syncLogId: null, onChanges });
    return wanted.reduce((n, provider) => n + provider.models.length, 0);
  });
  if (loaded > 0) {
    // Fresh statistics after the bulk load, so the first reloads are planned as key lookups.
    await pool.query('analyze providers, model_prices, price_history, catalog_changes');
    logger.info({ models: loaded, generated_at: data.generated_at }, 'loaded the bundled price snapshot into an empty catalog');
  }
  return loaded > 0;
}
