// Writes a provider's price diff: current prices, history and the version bump,
// set-based, on the caller's transaction so the sync log row commits with them.
import type { PoolClient, Queryable } from '../db/pool.ts';
import { diffPrices, type PriceDiff, type StoredPrice } from './diff.ts';
import { MONEY_COLUMNS } from './read.ts';
import type { PriceOrigin, PriceRecord, PriceTier } from './types.ts';

export interface ApplyOptions {
  provider: string;
  source: PriceOrigin;
  /** Who made the change, for history: `api_sync:openrouter`, `scheduler`, `snapshot`. */
  changedBy: string;
  syncLogId: number | null;
  /** When the prices take effect (the transaction's time by default). */
  at?: Date;
}

/**
 * Serialises writers of one provider for the rest of the transaction, so two
 * syncs of the same provider cannot interleave their diffs.
 */
export async function lockProvider(client: PoolClient, provider: string): Promise<void> {
  await client.query(`select pg_advisory_xact_lock(hashtext('tariff.provider:' || $1::text))`, [provider]);
}

export async function readStoredPrices(db: Queryable, provider: string): Promise<Map<string, StoredPrice>> {
  const { rows } = await db.query<StoredPrice & { removed_at: Date | null }>(`
    select model_id, name, state, ${MONEY_COLUMNS}, tiers, source, removed_at
      from model_prices
     where provider = $1::text`, [provider]);
  return new Map(rows.map((row) => [row.model_id, { ...row, removed_at: row.removed_at?.toISOString() ?? null }]));
}

/** Diffs and writes in one go; returns the diff. The caller owns the transaction. */
export async function applyPrices(
  client: PoolClient,
  records: readonly PriceRecord[],
  options: ApplyOptions & { keep?: ReadonlySet<string> },
): Promise<PriceDiff> {
  await lockProvider(client, options.provider);
  const stored = await readStoredPrices(client, options.provider);
  const diff = diffPrices(stored, records, options.source, options.keep);
  await writeDiff(client, diff, records, options);
  return diff;
}

export async function writeDiff(
  client: PoolClient,
  diff: PriceDiff,
  seen: readonly PriceRecord[],
  { provider, source, changedBy, syncLogId, at }: ApplyOptions,
): Promise<void> {
  const now = at ?? (await client.query<{ now: Date }>('select now()')).rows[0]!.now;
  const changed = new Set(diff.changes.map((c) => c.model_id));
  if (diff.writes.length > 0) await upsertPrices(client, provider, source, diff.writes, changed, now);
  if (diff.removed.length > 0) {
    await client.query(`
      update model_prices set removed_at = $3::timestamptz
       where provider = $1::text and model_id = any($2::text[])`, [provider, diff.removed, now]);
  }
  if (diff.changes.length > 0) {
    await client.query(`
      insert into price_history (provider, model_id, change, old_price, new_price, changed_at, changed_by, sync_log_id, shadowed)
      select $1::text, c.model_id, c.change, c.old_price, c.new_price, $2::timestamptz, $3::text, $4::bigint,
             exists (select 1 from price_overrides o where o.provider = $1::text and o.model_id = c.model_id)
        from unnest($5::text[], $6::text[], $7::jsonb[], $8::jsonb[]) as c(model_id, change, old_price, new_price)`,
    [provider, now, changedBy, syncLogId,
      diff.changes.map((c) => c.model_id),
      diff.changes.map((c) => c.change),
      diff.changes.map((c) => (c.old_price ? JSON.stringify(c.old_price) : null)),
      diff.changes.map((c) => (c.new_price ? JSON.stringify(c.new_price) : null))]);
  }
  if (seen.length > 0) {
    await client.query(`
      update model_prices set last_seen_at = $3::timestamptz
       where provider = $1::text and model_id = any($2::text[])`, [provider, seen.map((r) => r.model_id), now]);
  }
  const touched = [...diff.writes.map((r) => r.model_id), ...diff.removed];
  if (touched.length > 0) {
    await client.query('select bump_catalog_version($1::text, $2::text[])', [provider, touched]);
  }
}

async function upsertPrices(
  client: PoolClient,
  provider: string,
  source: PriceOrigin,
  records: readonly PriceRecord[],
  priceChanged: ReadonlySet<string>,
  now: Date,
): Promise<void> {
  const column = <K extends keyof PriceRecord>(key: K) => records.map((r) => r[key]);
  // effective_at moves only when the price itself changed; '-infinity' marks a
  // name- or source-only update that keeps the stored effective_at.
  await client.query(`
    insert into model_prices as m (provider, model_id, name, state, input_per_1m, output_per_1m, cache_read_per_1m,
                                   cache_write_per_1m, reasoning_per_1m, request_fee, tiers, source,
                                   effective_at, last_seen_at, removed_at)
    select $1::text, r.model_id, r.name, r.state, r.input, r.output, r.cache_read, r.cache_write, r.reasoning,
           r.request, r.tiers, $2::text,
           case when r.price_changed then $3::timestamptz else '-infinity'::timestamptz end, $3::timestamptz, null
      from unnest($4::text[], $5::text[], $6::text[], $7::numeric[], $8::numeric[], $9::numeric[], $10::numeric[],
                  $11::numeric[], $12::numeric[], $13::jsonb[], $14::boolean[])
           as r(model_id, name, state, input, output, cache_read, cache_write, reasoning, request, tiers, price_changed)
    on conflict (provider, model_id) do update set
      name = excluded.name, state = excluded.state,
      input_per_1m = excluded.input_per_1m, output_per_1m = excluded.output_per_1m,
      cache_read_per_1m = excluded.cache_read_per_1m, cache_write_per_1m = excluded.cache_write_per_1m,
      reasoning_per_1m = excluded.reasoning_per_1m, request_fee = excluded.request_fee,
      tiers = excluded.tiers, source = excluded.source, removed_at = null,
      effective_at = case when excluded.effective_at = '-infinity' then m.effective_at else excluded.effective_at end`,
  [provider, source, now,
    column('model_id'), column('name'), column('state'), column('input'), column('output'), column('cache_read'),
    column('cache_write'), column('reasoning'), column('request'),
    records.map((r) => JSON.stringify(r.tiers satisfies PriceTier[])),
    records.map((r) => priceChanged.has(r.model_id))]);
}
