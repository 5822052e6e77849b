// The dashboard's reads from PostgreSQL, all through the API's read pool: the
// sync log and exchange-rate history. Each is one indexed query with a limit.
// (A model's price history is read with catalog/history.ts's readModelHistory.)
import type { Queryable } from '../db/pool.ts';
import type { Price } from '@tariff/pricing';
import { readSyncEntry, type SyncLogEntry } from '../store/sync_log.ts';

export type { SyncLogEntry, SyncLogFilter } from '../store/sync_log.ts';
export { readSyncLog } from '../store/sync_log.ts';

export interface SyncChange {
  model_id: string;
  change: string;
  old_price: Price | null;
  new_price: Price | null;
}

export interface SyncDetail {
  entry: SyncLogEntry;
  /** pricing_sync_log.changes as written: for rejections {offending, changes}, else the changes (or FX pairs). */
  logged: unknown;
  /** The history rows an applied sync wrote. */
  applied: SyncChange[];
}

/** Rows of an applied sync's history shown at most; the count says how many there were. */
export const MAX_APPLIED_SHOWN = 500;

export async function readSyncDetail(db: Queryable, id: number): Promise<(SyncDetail & { appliedCount: number }) | undefined> {
  const row = await readSyncEntry(db, id);
  if (!row) return undefined;
  const history = await db.query<SyncChange & { total: string }>(`
    select model_id, change, old_price, new_price, count(*) over () as total
      from price_history where sync_log_id = $1::bigint order by model_id, id limit $2::integer`, [id, MAX_APPLIED_SHOWN]);
  const { changes, ...entry } = row;
  return {
    entry,
    logged: changes,
    applied: history.rows.map(({ total: _total, ...change }) => change),
    appliedCount: Number(history.rows[0]?.total ?? 0),
  };
}

export interface RatePoint {
  rate: string;
  market_time: Date;
  recorded_at: Date;
  source: string;
}

/** A pair's recorded rates, oldest first (the latest `limit` of them). */
export async function readRateHistory(db: Queryable, base: string, quote: string, limit: number): Promise<RatePoint[]> {
  const { rows } = await db.query<RatePoint>(`
    select trim_scale(rate)::text as rate, market_time, recorded_at, source
      from exchange_rate_history
     where base = $1::text and quote = $2::text
     order by recorded_at desc, id desc
     limit $3::integer`, [base, quote, limit]);
  return rows.reverse();
}

