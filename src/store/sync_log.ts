// pricing_sync_log: the one lifecycle of every logged job (price syncs and
// exchange-rate refreshes). The in_progress row commits on its own, so a job
// that fails or dies still leaves a trace; the final status is written in the
// job's transaction on success or rejection, or on its own after a rollback.
import type { Pool, Queryable } from '../db/pool.ts';
import type { FieldCount } from '@tariff/pricing';
import type { Logger } from '../log.ts';

/** The longest error message kept in the log (and in the error the job throws). */
const MAX_ERROR_LENGTH = 1000;

export type TriggeredBy = 'manual' | 'scheduler' | 'api';
export type SyncStatus = 'in_progress' | 'success' | 'failed' | 'rejected';

export interface SyncStart {
  kind: 'prices' | 'fx';
  provider: string;
  source: string | null;
  triggered_by: TriggeredBy;
  dry_run: boolean;
  forced: boolean;
  job_id: string | null;
  attempt: number | null;
}

/** Price syncs count models. */
export interface ModelCounts {
  models_fetched: number;
  models_added: number;
  models_updated: number;
  models_unchanged: number;
  models_removed: number;
  models_skipped: number;
}

/** Exchange-rate refreshes count rates (one per currency). */
export interface RateCounts {
  rates_fetched: number;
  rates_added: number;
  rates_updated: number;
  rates_unchanged: number;
}

export interface SyncOutcome extends Partial<ModelCounts>, Partial<RateCounts> {
  status: Exclude<SyncStatus, 'in_progress'>;
  errors?: unknown[];
  /** Cost fields the source published that its adapter does not map, with how many models carry each. */
  unmapped_fields?: FieldCount[];
  error_message?: string | null;
  changes?: unknown;
}

/**
 * Runs a logged job: writes its in_progress row (closing rows an earlier,
 * abandoned attempt of the same job left open), runs `work` with the row's id
 * (work finishes the row itself, in its transaction, on success or rejection),
 * and on failure marks the row failed, outside the rolled-back transaction, then
 * throws an error naming `what` and why.
 */
export async function withSyncLog<T>(
  pool: Pool, start: SyncStart, what: string, logger: Logger, work: (logId: number) => Promise<T>,
): Promise<T> {
  const logId = await startSyncLog(pool, start);
  if (start.job_id) await closeAbandoned(pool, start.job_id, logId);
  try {
    return await work(logId);
  } catch (err) {
    const message = describeError(err);
    await finishSyncLog(pool, logId, { status: 'failed', error_message: message }).catch((logErr: unknown) => {
      logger.error({ err: logErr, syncLogId: logId }, `could not record the failed ${what}`);
    });
    logger.warn({ syncLogId: logId, err }, `${what} failed; nothing changed`);
    throw new Error(`${what} failed: ${message}`, { cause: err });
  }
}

function describeError(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.length > MAX_ERROR_LENGTH ? `${message.slice(0, MAX_ERROR_LENGTH)}…` : message;
}

export async function startSyncLog(db: Queryable, start: SyncStart): Promise<number> {
  const { rows } = await db.query<{ id: string }>(`
    insert into pricing_sync_log (kind, provider, source, status, triggered_by, dry_run, forced, job_id, attempt)
    values ($1::text, $2::text, $3::text, 'in_progress', $4::text, $5::boolean, $6::boolean, $7::text, $8::integer)
    returning id`,
  [start.kind, start.provider, start.source, start.triggered_by, start.dry_run, start.forced, start.job_id, start.attempt]);
  return Number(rows[0]!.id);
}

export async function finishSyncLog(db: Queryable, id: number, outcome: SyncOutcome): Promise<void> {
  await db.query(`
    update pricing_sync_log set
      status = $2::text,
      completed_at = clock_timestamp(),
      duration_ms = (extract(epoch from clock_timestamp() - started_at) * 1000)::integer,
      models_fetched = $3::integer, models_added = $4::integer, models_updated = $5::integer,
      models_unchanged = $6::integer, models_removed = $7::integer, models_skipped = $8::integer,
      errors = $9::jsonb, error_message = $10::text, changes = $11::jsonb,
      rates_fetched = $12::integer, rates_added = $13::integer, rates_updated = $14::integer, rates_unchanged = $15::integer,
      unmapped_fields = $16::jsonb
    where id = $1::bigint`,
  [id, outcome.status, outcome.models_fetched ?? 0, outcome.models_added ?? 0, outcome.models_updated ?? 0,
    outcome.models_unchanged ?? 0, outcome.models_removed ?? 0, outcome.models_skipped ?? 0,
    JSON.stringify(outcome.errors ?? []), outcome.error_message ?? null,
    outcome.changes === undefined ? null : JSON.stringify(outcome.changes),
    outcome.rates_fetched ?? null, outcome.rates_added ?? null, outcome.rates_updated ?? null, outcome.rates_unchanged ?? null,
    JSON.stringify(outcome.unmapped_fields ?? [])]);
}

/**
 * Rows an earlier attempt of the same job left in_progress (its worker died):
 * they are closed as failed so the log never claims a sync is still running.
 */
export async function closeAbandoned(db: Queryable, jobId: string, exceptId: number): Promise<void> {
  await db.query(`
    update pricing_sync_log set status = 'failed', completed_at = clock_timestamp(),
           duration_ms = (extract(epoch from clock_timestamp() - started_at) * 1000)::integer,
           error_message = 'abandoned: the worker stopped before this attempt finished'
     where job_id = $1::text and status = 'in_progress' and id <> $2::bigint`, [jobId, exceptId]);
}

export async function lastSuccessAt(db: Queryable, kind: 'prices' | 'fx', provider: string): Promise<Date | null> {
  const { rows } = await db.query<{ at: Date | null }>(`
    select max(completed_at) as at from pricing_sync_log
     where kind = $1::text and provider = $2::text and status = 'success' and not dry_run`, [kind, provider]);
  return rows[0]?.at ?? null;
}

/** A sync log row as read back (by the admin API and the dashboard). */
export interface SyncLogEntry extends ModelCounts {
  id: string;
  kind: 'prices' | 'fx';
  provider: string;
  source: string | null;
  status: SyncStatus;
  started_at: Date;
  completed_at: Date | null;
  duration_ms: number | null;
  rates_fetched: number | null;
  rates_added: number | null;
  rates_updated: number | null;
  rates_unchanged: number | null;
  errors: unknown[];
  unmapped_fields: FieldCount[];
  error_message: string | null;
  triggered_by: TriggeredBy;
  dry_run: boolean;
  forced: boolean;
  job_id: string | null;
  attempt: number | null;
}

const ENTRY_COLUMNS = `id, kind, provider, source, status, started_at, completed_at, duration_ms, models_fetched, models_added,
  models_updated, models_unchanged, models_removed, models_skipped, rates_fetched, rates_added, rates_updated, rates_unchanged,
  errors, unmapped_fields, error_message, triggered_by, dry_run, forced, job_id, attempt`;

export interface SyncLogFilter {
  provider?: string | undefined;
  status?: string | undefined;
  limit: number;
}

/** Recent syncs, newest first (pricing_sync_log_provider_started / _status_started serve the filters). */
export async function readSyncLog(db: Queryable, filter: SyncLogFilter): Promise<SyncLogEntry[]> {
  const { rows } = await db.query<SyncLogEntry>(`
    select ${ENTRY_COLUMNS} from pricing_sync_log
     where ($1::text is null or provider = $1::text) and ($2::text is null or status = $2::text)
     order by started_at desc, id desc
     limit $3::integer`, [filter.provider ?? null, filter.status ?? null, filter.limit]);
  return rows;
}

/**
 * One sync log row with what it logged as `changes`: for dry runs and
 * rejections the changes it would have made (rejections: {offending, changes}).
 */
export async function readSyncEntry(db: Queryable, id: number): Promise<(SyncLogEntry & { changes: unknown }) | undefined> {
  const { rows } = await db.query<SyncLogEntry & { changes: unknown }>(
    `select ${ENTRY_COLUMNS}, changes from pricing_sync_log where id = $1::bigint`, [id]);
  return rows[0];
}
