// Writes webhook events in the caller's transaction: the event, one delivery per
// subscribed endpoint and one deliver_webhook job each commit with the change
// that caused them, or not at all (webhook_enqueue, migrations/0006).
// sync.failed and sync.rejected need no call: a trigger on pricing_sync_log
// enqueues them from the statement that writes the outcome.
import type { Queryable } from '../db/pool.ts';
import { PING, priceChangedData, type EventType, type ModelPriceChange } from './events.ts';

export const DELIVER_TASK = 'deliver_webhook';

export interface EventInput {
  provider?: string | null;
  catalogVersion?: number | null;
  data: unknown;
}

/** Enqueues one event for every enabled endpoint subscribed to it; returns the number of deliveries. */
export async function enqueueEvent(db: Queryable, type: EventType, event: EventInput): Promise<number> {
  const { rows } = await db.query<{ queued: number }>(
    'select webhook_enqueue($1::text, $2::text, $3::bigint, $4::jsonb) as queued',
    [type, event.provider ?? null, event.catalogVersion ?? null, JSON.stringify(event.data)]);
  return rows[0]?.queued ?? 0;
}

async function subscribed(db: Queryable, type: EventType): Promise<boolean> {
  const { rows } = await db.query<{ subscribed: boolean }>(
    'select exists (select from webhook_endpoints where enabled and $1::text = any(events)) as subscribed', [type]);
  return rows[0]?.subscribed === true;
}

/**
 * price.changed: one event per provider with changes, after the catalog
 * version bump of the same transaction (so delivery order is commit order).
 */
/** price.changed per provider, committed with the prices at the version their write bumped the catalog to. */
export async function enqueuePriceChanges(
  db: Queryable,
  version: number,
  /** `source`: who wrote the prices (a source's name, `manual`), named per dimension in the event. */
  diffs: ReadonlyArray<{ provider: string; changes: readonly ModelPriceChange[]; source?: string }>,
): Promise<void> {
  const changed = diffs.filter((d) => d.changes.length > 0);
  if (changed.length === 0 || !(await subscribed(db, 'price.changed'))) return;
  await db.query(`
    select webhook_enqueue('price.changed', e.provider, $1::bigint, e.data)
      from unnest($2::text[], $3::jsonb[]) with ordinality as e(provider, data, n) order by e.n`,
  [version, changed.map((d) => d.provider), changed.map((d) => JSON.stringify(priceChangedData(d.provider, version, d.changes, d.source)))]);
}

export interface RateChange {
  pair: string;
  old_rate: string | null;
  new_rate: string;
  market_time: Date;
}

/** fx.changed for the rates that moved, committed with them at the version their write bumped the catalog to. */
export async function enqueueFxChanged(db: Queryable, version: number, rates: readonly RateChange[]): Promise<void> {
  // A newer market time at the same rate is no change to notify.
  const changes = rates.filter((r) => r.old_rate !== r.new_rate);
  if (changes.length === 0 || !(await subscribed(db, 'fx.changed'))) return;
  await enqueueEvent(db, 'fx.changed', { catalogVersion: version, data: { catalog_version: version, changes } });
}

/**
 * discrepancy.found for a stored discrepancy report: one event per provider
 * with discrepancies the previous report did not have (newDiscrepancies), in
 * the transaction that stores the report. Returns the deliveries queued.
 */
export async function enqueueDiscrepancyFound(
  db: Queryable,
  report: { id: number; generated_at: string; catalog_version: number },
  found: ReadonlyArray<{ provider: string }>,
): Promise<number> {
  if (found.length === 0 || !(await subscribed(db, 'discrepancy.found'))) return 0;
  const byProvider = new Map<string, Array<{ provider: string }>>();
  for (const item of found) {
    const items = byProvider.get(item.provider);
    if (items) items.push(item);
    else byProvider.set(item.provider, [item]);
  }
  let queued = 0;
  for (const [provider, items] of byProvider) {
    queued += await enqueueEvent(db, 'discrepancy.found', {
      provider,
      catalogVersion: report.catalog_version,
      data: { report_id: report.id, generated_at: report.generated_at, catalog_version: report.catalog_version, provider, items },
    });
  }
  return queued;
}

/** A ping to one endpoint (enabled or not): the event, its delivery and job. Returns them. */
export async function enqueuePing(db: Queryable, endpointId: string): Promise<{ event_id: string; delivery_id: number }> {
  const { rows } = await db.query<{ event_id: string; delivery_id: string }>(`
    with event as (
      insert into webhook_events (type, data) values ($1::text, jsonb_build_object('endpoint_id', $2::uuid)) returning id
    ), delivery as (
      insert into webhook_deliveries (endpoint_id, event_id) select $2::uuid, id from event returning id, event_id
    )
    select event_id, id as delivery_id from delivery`, [PING, endpointId]);
  const row = rows[0]!;
  await addDeliveryJob(db, endpointId, row.delivery_id, null);
  return { event_id: row.event_id, delivery_id: Number(row.delivery_id) };
}

/** A new delivery of an event already sent (or given up on) to an endpoint. Undefined when there is no such delivery. */
export async function enqueueRedelivery(db: Queryable, endpointId: string, deliveryId: number): Promise<{ event_id: string; delivery_id: number } | undefined> {
  const { rows } = await db.query<{ event_id: string; delivery_id: string }>(`
    insert into webhook_deliveries (endpoint_id, event_id)
    select endpoint_id, event_id from webhook_deliveries where id = $1::bigint and endpoint_id = $2::uuid
    returning event_id, id as delivery_id`, [deliveryId, endpointId]);
  const row = rows[0];
  if (!row) return undefined;
  await addDeliveryJob(db, endpointId, row.delivery_id, null);
  return { event_id: row.event_id, delivery_id: Number(row.delivery_id) };
}

/** The job that sends a delivery, at runAt (now when null). A job of the same key not yet running is replaced. */
export async function addDeliveryJob(db: Queryable, endpointId: string, deliveryId: number | string, runAt: Date | null): Promise<void> {
  await db.query('select webhook_add_job($1::bigint, $2::uuid, $3::timestamptz)', [deliveryId, endpointId, runAt]);
}
