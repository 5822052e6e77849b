// Writes price diffs: current prices, history and the version bump, set-based
// (one statement per kind of write, whatever the number of providers and
// models), on the caller's transaction so the sync log row commits with them.
import type { PoolClient, Queryable } from '../db/pool.ts';
import {
  diffPrices, type Dimensions, dimensionsOf, type PriceChange, type PriceDiff, priceOf, type PriceOrigin, type PriceRecord, type StoredPrice,
} from '@tariff/pricing';
import { MONEY_COLUMNS, withDimensions } from './read.ts';

/** One provider's changed models, as a write reports them. */
export interface ProviderChanges {
  provider: string;
  /** Who wrote the prices: a source's name, or `manual` for an override (dimensions another source filled say so themselves). */
  source?: string;
  /** A sync's changes (added, updated, removed, restored) or an override's (override_set, override_cleared). */
  changes: ReadonlyArray<Omit<PriceChange, 'change'> & { change: string }>;
}

/**
 * Where a write reports its price changes, on the same transaction and with the
 * catalog version it bumped to: the webhook outbox, in tariff. The store knows
 * nothing of webhooks; its callers pass the port.
 */
export type PriceChangeSink = (client: PoolClient, version: number, changes: readonly ProviderChanges[]) => Promise<void>;

export interface WriteOptions {
  /** Who made the change, for history: `api_sync:openrouter`, `scheduler`, `snapshot`. */
  changedBy: string;
  syncLogId: number | null;
  /** When the prices take effect (the transaction's time by default). */
  at?: Date;
  onChanges: PriceChangeSink;
}

/** One provider's full list from its source, as a sync or the snapshot delivers it. */
export interface PriceSet {
  provider: string;
  source: PriceOrigin;
  records: readonly PriceRecord[];
  /** Models the source listed but could not parse: neither updated nor removed. */
  keep?: ReadonlySet<string>;
}

/** A provider's diff, ready to write. */
export interface ProviderDiff {
  provider: string;
  source: PriceOrigin;
  diff: PriceDiff;
  /** Every model the source listed (their last_seen_at moves). */
  seen: readonly PriceRecord[];
}

/**
 * Serialises writers of these providers for the rest of the transaction, so two
 * syncs of a provider (or a sync and an override) cannot interleave. Locks are
 * taken in one order, so writers of several providers cannot deadlock.
 */
export async function lockProviders(client: PoolClient, providers: readonly string[]): Promise<void> {
  await client.query(`
    select pg_advisory_xact_lock(hashtext('tariff.provider:' || p))
      from (select distinct p from unnest($1::text[]) as p order by p) as ordered`, [providers]);
}

export async function readStoredPrices(db: Queryable, providers: readonly string[]): Promise<Map<string, Map<string, StoredPrice>>> {
  const { rows } = await db.query<Omit<StoredPrice, 'removed_at'> & { provider: string; removed_at: Date | null; dimensions: Dimensions }>(`
    select provider, model_id, name, state, ${MONEY_COLUMNS}, tiers, dimensions, source, removed_at
      from model_prices
     where provider = any($1::text[])`, [providers]);
  const stored = new Map(providers.map((provider) => [provider, new Map<string, StoredPrice>()]));
  for (const { provider, ...row } of rows) {
    stored.get(provider)!.set(row.model_id, { ...withDimensions(row), removed_at: row.removed_at?.toISOString() ?? null });
  }
  return stored;
}

/** Locks, diffs and writes several providers' lists at once; returns each provider's diff. */
export async function applyPriceSets(client: PoolClient, sets: readonly PriceSet[], options: WriteOptions): Promise<Map<string, PriceDiff>> {
  const providers = sets.map((set) => set.provider);
  await lockProviders(client, providers);
  const stored = await readStoredPrices(client, providers);
  const diffs = sets.map((set) => ({
    provider: set.provider,
    source: set.source,
    diff: diffPrices(stored.get(set.provider)!, set.records, set.source, set.keep),
    seen: set.records,
  }));
  await writeDiffs(client, diffs, options);
  return new Map(diffs.map((d) => [d.provider, d.diff]));
}

export async function writeDiffs(client: PoolClient, diffs: readonly ProviderDiff[], { changedBy, syncLogId, at, onChanges }: WriteOptions): Promise<void> {
  // null: the transaction's own time, now(), identical in every statement below.
  const now = at ?? null;
  const writes = diffs.flatMap(({ provider, source, diff }) => {
    const changed = new Set(diff.changes.map((c) => c.model_id));
    return diff.writes.map((record) => ({ provider, source, record, priceChanged: changed.has(record.model_id) }));
  });
  const removed = diffs.flatMap(({ provider, diff }) => diff.removed.map((model_id) => ({ provider, model_id })));
  const changes = diffs.flatMap(({ provider, diff }) => diff.changes.map((change) => ({ provider, ...change })));
  // The upsert sets last_seen_at on the rows it writes; the others were seen unchanged.
  const written = new Set(writes.map((w) => `${w.provider}\u0000${w.record.model_id}`));
  const seen = diffs.flatMap(({ provider, seen: records }) => records
    .filter((r) => !written.has(`${provider}\u0000${r.model_id}`))
    .map((r) => ({ provider, model_id: r.model_id })));

  if (writes.length > 0) await upsertPrices(client, writes, now);
  if (removed.length > 0) {
    await client.query(`
      update model_prices m set removed_at = coalesce($3::timestamptz, now())
        from unnest($1::text[], $2::text[]) as r(provider, model_id)
       where m.provider = r.provider and m.model_id = r.model_id`,
    [removed.map((r) => r.provider), removed.map((r) => r.model_id), now]);
  }
  if (changes.length > 0) {
    await client.query(`
      insert into price_history (provider, model_id, change, old_price, new_price, changed_at, changed_by, sync_log_id, shadowed)
      select c.provider, c.model_id, c.change, c.old_price, c.new_price, coalesce($1::timestamptz, now()), $2::text, $3::bigint,
             exists (select 1 from price_overrides o where o.provider = c.provider and o.model_id = c.model_id)
        from unnest($4::text[], $5::text[], $6::text[], $7::jsonb[], $8::jsonb[]) as c(provider, model_id, change, old_price, new_price)`,
    [now, changedBy, syncLogId,
      changes.map((c) => c.provider), changes.map((c) => c.model_id), changes.map((c) => c.change),
      changes.map((c) => (c.old_price ? JSON.stringify(c.old_price) : null)),
      changes.map((c) => (c.new_price ? JSON.stringify(c.new_price) : null))]);
  }
  if (seen.length > 0) {
    await client.query(`
      update model_prices m set last_seen_at = coalesce($3::timestamptz, now())
        from unnest($1::text[], $2::text[]) as s(provider, model_id)
       where m.provider = s.provider and m.model_id = s.model_id`,
    [seen.map((s) => s.provider), seen.map((s) => s.model_id), now]);
  }
  const touched = [...writes.map((w) => ({ provider: w.provider, model_id: w.record.model_id })), ...removed];
  if (touched.length === 0) return;
  const version = await bumpCatalogVersion(client, touched);
  await onChanges(client, version, diffs.map(({ provider, source, diff }) => ({ provider, source, changes: diff.changes })));
}

/** Moves the catalog to its next version, recording which models it changed; returns the new version. */
export async function bumpCatalogVersion(client: PoolClient, models: ReadonlyArray<{ provider: string; model_id: string }>): Promise<number> {
  const { rows } = await client.query<{ version: string }>('select bump_catalog_version($1::text[], $2::text[]) as version',
    [models.map((m) => m.provider), models.map((m) => m.model_id)]);
  return Number(rows[0]!.version);
}

async function upsertPrices(
  client: PoolClient,
  writes: ReadonlyArray<{ provider: string; source: PriceOrigin; record: PriceRecord; priceChanged: boolean }>,
  now: Date | null,
): Promise<void> {
  const column = <K extends keyof PriceRecord>(key: K) => writes.map((w) => w.record[key]);
  // effective_at moves only when the price itself changed; '-infinity' marks a
  // name- or source-only update that keeps the stored effective_at.
  await client.query(`
    insert into model_prices as m (provider, model_id, name, state, input_per_1m, output_per_1m, cache_read_per_1m,
                                   cache_write_per_1m, reasoning_per_1m, request_fee, tiers, dimensions, source,
                                   effective_at, last_seen_at, removed_at)
    select r.provider, r.model_id, r.name, r.state, r.input, r.output, r.cache_read, r.cache_write, r.reasoning,
           r.request, r.tiers, r.dimensions, r.source,
           case when r.price_changed then coalesce($1::timestamptz, now()) else '-infinity'::timestamptz end,
           coalesce($1::timestamptz, now()), null
      from unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::numeric[], $7::numeric[], $8::numeric[], $9::numeric[],
                  $10::numeric[], $11::numeric[], $12::jsonb[], $13::jsonb[], $14::text[], $15::boolean[])
           as r(provider, model_id, name, state, input, output, cache_read, cache_write, reasoning, request, tiers, dimensions, source, price_changed)
    on conflict (provider, model_id) do update set
      name = excluded.name, state = excluded.state,
      input_per_1m = excluded.input_per_1m, output_per_1m = excluded.output_per_1m,
      cache_read_per_1m = excluded.cache_read_per_1m, cache_write_per_1m = excluded.cache_write_per_1m,
      reasoning_per_1m = excluded.reasoning_per_1m, request_fee = excluded.request_fee,
      tiers = excluded.tiers, dimensions = excluded.dimensions, source = excluded.source, removed_at = null, last_seen_at = excluded.last_seen_at,
      effective_at = case when excluded.effective_at = '-infinity' then m.effective_at else excluded.effective_at end`,
  [now, writes.map((w) => w.provider),
    column('model_id'), column('name'), column('state'), column('input'), column('output'), column('cache_read'),
    column('cache_write'), column('reasoning'), column('request'),
    writes.map((w) => JSON.stringify(priceOf(w.record).tiers)), writes.map((w) => JSON.stringify(dimensionsOf(w.record))),
    writes.map((w) => w.source), writes.map((w) => w.priceChanged)]);
}
