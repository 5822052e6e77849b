// The dashboard's reads from PostgreSQL, all through the API's read pool: the
// sync log and exchange-rate history. Each is one indexed query with a limit.
// (A model's price history is read with catalog/history.ts's readModelHistory.)
import type { Queryable } from '../db/pool.ts';
import type { Price } from '../catalog/diff.ts';

export interface SyncLogEntry {
  id: string;
  kind: 'prices' | 'fx';
  provider: string;
  source: string | null;
  status: 'in_progress' | 'success' | 'failed' | 'rejected';
  started_at: Date;
  completed_at: Date | null;
  duration_ms: number | null;
  models_fetched: number;
  models_added: number;
  models_updated: number;
  models_unchanged: number;
  models_removed: number;
  models_skipped: number;
  errors: unknown[];
  error_message: string | null;
  triggered_by: string;
  dry_run: boolean;
  forced: boolean;
}

const LOG_COLUMNS = `id, kind, provider, source, status, started_at, completed_at, duration_ms, models_fetched, models_added,
  models_updated, models_unchanged, models_removed, models_skipped, errors, error_message, triggered_by, dry_run, forced`;

export interface SyncLogFilter {
  provider?: string | undefined;
  status?: string | undefined;
  limit: number;
}

/** Recent syncs, newest first (pricing_sync_log_provider_started / _status_started serve the filters). */
export async function readSyncLog(db: Queryable, filter: SyncLogFilter): Promise<SyncLogEntry[]> {
  const { rows } = await db.query<SyncLogEntry>(`
    select ${LOG_COLUMNS} from pricing_sync_log
     where ($1::text is null or provider = $1::text) and ($2::text is null or status = $2::text)
     order by started_at desc, id desc
     limit $3::integer`, [filter.provider ?? null, filter.status ?? null, filter.limit]);
  return rows;
}

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
  const { rows } = await db.query<SyncLogEntry & { changes: unknown }>(
    `select ${LOG_COLUMNS}, changes from pricing_sync_log where id = $1::bigint`, [id]);
  const row = rows[0];
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

