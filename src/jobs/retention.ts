// Retention: the rows that only grow, trimmed. Webhook events (with their
// deliveries) once every delivery has ended and the event is old, expired
// worker heartbeats, and discrepancy reports beyond the latest N. price_history
// and pricing_sync_log are the audit trail and are never trimmed here.
import type { Config } from '../config.ts';
import { withTransaction, type Pool } from '../db/pool.ts';

export type RetentionPolicy = Pick<Config, 'WEBHOOK_EVENT_RETENTION_DAYS' | 'WORKER_HEARTBEAT_RETENTION_HOURS' | 'DISCREPANCY_REPORTS_KEPT'>;

export interface RetentionCounts {
  webhook_events: number;
  webhook_deliveries: number;
  worker_heartbeats: number;
  discrepancy_reports: number;
}

/** Deletes what the policy lets go, each table in its own transaction; returns how many rows went. */
export async function applyRetention(pool: Pool, policy: RetentionPolicy): Promise<RetentionCounts> {
  const webhooks = await withTransaction(pool, async (client) => {
    // A pending delivery keeps its event, however old: it is still being retried.
    const { rows: events } = await client.query<{ id: string }>(`
      select e.id from webhook_events e
       where e.created_at < now() - make_interval(days => $1::int)
         and not exists (select from webhook_deliveries d where d.event_id = e.id and d.status = 'pending')
       for update of e skip locked`,
    [policy.WEBHOOK_EVENT_RETENTION_DAYS]);
    const ids = events.map((e) => e.id);
    const deliveries = await client.query('delete from webhook_deliveries where event_id = any($1::uuid[])', [ids]);
    const gone = await client.query('delete from webhook_events where id = any($1::uuid[])', [ids]);
    return { webhook_events: gone.rowCount ?? 0, webhook_deliveries: deliveries.rowCount ?? 0 };
  });
  const heartbeats = await pool.query(
    'delete from worker_heartbeats where expires_at < now() - make_interval(hours => $1::int)', [policy.WORKER_HEARTBEAT_RETENTION_HOURS]);
  const reports = await pool.query(`
    delete from discrepancy_reports
     where id < (select min(id) from (select id from discrepancy_reports order by id desc limit $1::int) as kept)`,
  [policy.DISCREPANCY_REPORTS_KEPT]);
  return { ...webhooks, worker_heartbeats: heartbeats.rowCount ?? 0, discrepancy_reports: reports.rowCount ?? 0 };
}
