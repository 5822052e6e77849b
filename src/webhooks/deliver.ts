// What one deliver_webhook job does for its delivery: wait its turn behind
// earlier deliveries to the same endpoint, send it signed, and record the
// outcome with what follows from it (the next attempt's job, the endpoint's
// failure count, disabling it) in one transaction.
import type { Config } from '../config.ts';
import { withTransaction, type Pool, type PoolClient, type Queryable } from '../db/pool.ts';
import type { Logger } from '../log.ts';
import { cancelPendingDeliveries } from './endpoints.ts';
import { eventBody, PING, type EventRow } from './events.ts';
import { addDeliveryJob } from './outbox.ts';
import { decryptSecret, signatureHeader } from './secrets.ts';
import { sendWebhook, type SendResult } from './send.ts';

export interface DeliverDeps {
  pool: Pool;
  config: Config;
  logger: Logger;
  key: Buffer;
  /** Random numbers for jitter (tests pin it). */
  random?: () => number;
}

interface DeliveryRow {
  id: string;
  endpoint_id: string;
  status: string;
  attempts: number;
  next_attempt_at: Date;
  /** next_attempt_at is still ahead, by the database's clock (the one graphile-worker schedules by). */
  early: boolean;
  created_at: Date;
  url: string;
  enabled: boolean;
  secret_encrypted: Buffer;
  old_secret_encrypted: Buffer | null;
  old_secret_expires_at: Date | null;
  event: EventRow;
  /** The earliest delivery still pending before this one, to the same endpoint, and when it is next tried. */
  earlier: { id: string; next_attempt_at: Date; overdue: boolean } | null;
}

/** A job that finds its delivery not yet due (a stale duplicate) leaves it to the job that is. */
const EARLY_TOLERANCE_MS = 250;
/** How long after an earlier delivery's next attempt a waiting one looks again. */
const WAIT_STEP_MS = 100;
/** An earlier delivery this late on its next attempt has lost its job's turn; waiters look again less often. */
const OVERDUE_MS = 5_000;
const OVERDUE_WAIT_MS = 1_000;

export type DeliverOutcome = 'sent' | 'failed' | 'retry' | 'waiting' | 'skipped';

/** Later deliveries one job may send after its own, when they are already due. */
const FOLLOW_ON_LIMIT = 20;

/**
 * Sends a delivery, then (while the endpoint keeps answering) the endpoint's
 * next pending deliveries that are already due, in order. Their own jobs then
 * find them sent. graphile-worker unlocks a queue only after a job has
 * returned, so without this a backlog to one endpoint would go out one job per
 * poll interval.
 */
export async function deliver(deps: DeliverDeps, deliveryId: number): Promise<DeliverOutcome> {
  const first = await deliverOne(deps, deliveryId);
  let { outcome } = first;
  for (let n = 0; outcome === 'sent' && first.endpointId && n < FOLLOW_ON_LIMIT; n++) {
    const next = await nextDue(deps.pool, first.endpointId);
    if (next === undefined) break;
    ({ outcome } = await deliverOne(deps, next));
  }
  return first.outcome;
}

/** The endpoint's earliest pending delivery, when it is due now. */
async function nextDue(db: Queryable, endpointId: string): Promise<number | undefined> {
  const { rows } = await db.query<{ id: string; due: boolean }>(`
    select id, next_attempt_at <= now() as due from webhook_deliveries
     where endpoint_id = $1::uuid and status = 'pending' order by id limit 1`, [endpointId]);
  return rows[0]?.due ? Number(rows[0].id) : undefined;
}

async function deliverOne(deps: DeliverDeps, deliveryId: number): Promise<{ outcome: DeliverOutcome; endpointId?: string }> {
  const outcome = await tryDelivery(deps, deliveryId);
  return typeof outcome === 'string' ? { outcome } : outcome;
}

async function tryDelivery(deps: DeliverDeps, deliveryId: number): Promise<DeliverOutcome | { outcome: DeliverOutcome; endpointId: string }> {
  const { pool, config } = deps;
  const delivery = await readDelivery(pool, deliveryId);
  // Deleted with its endpoint, or settled by an earlier run of this job.
  if (!delivery || delivery.status !== 'pending') return 'skipped';
  const log = deps.logger.child({ deliveryId, endpointId: delivery.endpoint_id, eventId: delivery.event.id, eventType: delivery.event.type });
  if (!delivery.enabled && delivery.event.type !== PING) {
    await pool.query(`update webhook_deliveries set status = 'cancelled', last_error = 'endpoint disabled', completed_at = now()
                       where id = $1::bigint and status = 'pending'`, [deliveryId]);
    return 'skipped';
  }
  if (delivery.early) {
    await addDeliveryJob(pool, delivery.endpoint_id, deliveryId, delivery.next_attempt_at);
    return 'waiting';
  }
  const { earlier } = delivery;
  if (earlier) {
    // Deliveries to one endpoint arrive in order: this one goes after the earlier one's next attempt.
    const at = new Date(Math.max(earlier.next_attempt_at.getTime(), Date.now()) + (earlier.overdue ? OVERDUE_WAIT_MS : WAIT_STEP_MS));
    await withTransaction(pool, async (client) => {
      await client.query('update webhook_deliveries set next_attempt_at = $2::timestamptz where id = $1::bigint', [deliveryId, at]);
      await addDeliveryJob(client, delivery.endpoint_id, deliveryId, at);
      // Its job should have run by now (one held back by graphile-worker's own retry of an error): queue it again, to run first.
      if (earlier.overdue) await addDeliveryJob(client, delivery.endpoint_id, earlier.id, null);
    });
    return 'waiting';
  }

  const body = eventBody(delivery.event);
  const secrets = [decryptSecret(deps.key, delivery.endpoint_id, delivery.secret_encrypted)];
  if (delivery.old_secret_encrypted && delivery.old_secret_expires_at && delivery.old_secret_expires_at.getTime() > Date.now()) {
    secrets.push(decryptSecret(deps.key, delivery.endpoint_id, delivery.old_secret_encrypted));
  }
  const headers = {
    'tariff-event-id': delivery.event.id,
    'tariff-event-type': delivery.event.type,
    'tariff-signature': signatureHeader(secrets, body, Math.floor(Date.now() / 1000)),
  };
  const result = await sendWebhook(delivery.url, headers, body, {
    connectTimeoutMs: config.WEBHOOK_CONNECT_TIMEOUT_MS,
    responseTimeoutMs: config.WEBHOOK_RESPONSE_TIMEOUT_MS,
    totalTimeoutMs: config.WEBHOOK_TOTAL_TIMEOUT_MS,
    allowPrivate: config.WEBHOOK_ALLOW_PRIVATE,
  });
  const attempt = delivery.attempts + 1;
  const fields = { attempt, status: result.status, latencyMs: result.latencyMs };
  if (result.ok) {
    await recordSuccess(pool, delivery, result);
    log.info(fields, 'webhook delivered');
    return { outcome: 'sent', endpointId: delivery.endpoint_id };
  }
  const decision = decide(deps, delivery, result, attempt);
  const disabled = await recordFailure(pool, config, delivery, result, decision);
  log.warn({ ...fields, error: result.error, ...(decision.retryAt ? { retryAt: decision.retryAt } : { gaveUp: decision.reason }) },
    'webhook delivery failed');
  if (disabled) {
    // `webhook.disabled`: the event operators alert on (tariff_webhook_endpoints_disabled counts them).
    log.warn({ event: 'webhook.disabled', reason: disabled }, 'webhook.disabled');
  }
  return decision.retryAt ? 'retry' : 'failed';
}

async function readDelivery(db: Queryable, id: number): Promise<DeliveryRow | undefined> {
  type Row = Omit<DeliveryRow, 'event'> & { event_id: string; type: string; event_created_at: Date; catalog_version: string | null; data: unknown };
  const { rows } = await db.query<Row>(`
    select d.id, d.endpoint_id, d.status, d.attempts, d.next_attempt_at, d.created_at,
           d.next_attempt_at > now() + make_interval(secs => $2::float8 / 1000) as early,
           e.url, e.enabled, e.secret_encrypted, e.old_secret_encrypted, e.old_secret_expires_at,
           v.id as event_id, v.type, v.created_at as event_created_at, v.catalog_version, v.data,
           (select json_build_object('id', p.id, 'next_attempt_at', p.next_attempt_at,
                                     'overdue', p.next_attempt_at < now() - make_interval(secs => $3::float8 / 1000))
              from webhook_deliveries p
             where p.endpoint_id = d.endpoint_id and p.status = 'pending' and p.id < d.id
             order by p.id limit 1) as earlier
      from webhook_deliveries d
      join webhook_endpoints e on e.id = d.endpoint_id
      join webhook_events v on v.id = d.event_id
     where d.id = $1::bigint`, [id, EARLY_TOLERANCE_MS, OVERDUE_MS]);
  const row = rows[0];
  if (!row) return undefined;
  const { event_id, type, event_created_at, catalog_version, data, earlier, ...rest } = row;
  return {
    ...rest,
    earlier: earlier && { ...earlier, id: String(earlier.id), next_attempt_at: new Date(earlier.next_attempt_at) },
    event: { id: event_id, type, created_at: event_created_at, catalog_version, data },
  };
}

interface Decision {
  /** When to try again; undefined: the delivery has failed for good. */
  retryAt?: Date;
  reason?: string;
  /** Disable the endpoint, for this reason. */
  disable?: string;
}

function decide(deps: DeliverDeps, delivery: DeliveryRow, result: Extract<SendResult, { ok: false }>, attempt: number): Decision {
  const { config } = deps;
  if (result.status === 410) return { reason: 'endpoint answered 410 Gone', disable: 'the endpoint answered 410 Gone' };
  if (result.forbidden) return { reason: result.error };
  // A ping is a one-off check of the endpoint, answered now or never.
  if (delivery.event.type === PING) return { reason: 'pings are not retried' };
  const retryable = result.status === null || result.status === 408 || result.status === 429 || result.status >= 500;
  if (!retryable) return { reason: `not retried: ${result.error}` };
  // Exponential backoff with jitter: between half and all of base × 2^(attempt-1), capped.
  const ceiling = Math.min(config.WEBHOOK_RETRY_BASE_MS * 2 ** Math.min(attempt - 1, 40), config.WEBHOOK_RETRY_MAX_DELAY_MS);
  const backoff = ceiling / 2 + (deps.random ?? Math.random)() * (ceiling / 2);
  const delay = Math.max(backoff, (result.retryAfterSeconds ?? 0) * 1000);
  const retryAt = new Date(Date.now() + delay);
  const windowEnds = delivery.created_at.getTime() + config.WEBHOOK_RETRY_WINDOW_SECONDS * 1000;
  if (retryAt.getTime() > windowEnds) return { reason: `gave up after ${attempt} attempts: the retry window (${config.WEBHOOK_RETRY_WINDOW_SECONDS} s) ended` };
  return { retryAt };
}

async function recordSuccess(pool: Pool, delivery: DeliveryRow, result: Extract<SendResult, { ok: true }>): Promise<void> {
  // One statement: atomic without a transaction of its own.
  await pool.query(`
    with delivered as (
      update webhook_deliveries set status = 'delivered', attempts = attempts + 1, last_status_code = $2::int, last_error = null,
             last_latency_ms = $3::int, last_attempt_at = now(), completed_at = now()
       where id = $1::bigint
    )
    update webhook_endpoints set consecutive_failures = 0 where id = $4::uuid and consecutive_failures <> 0`,
  [delivery.id, result.status, result.latencyMs, delivery.endpoint_id]);
}

/** Returns why the endpoint was disabled, when this failure disabled it. */
async function recordFailure(pool: Pool, config: Config, delivery: DeliveryRow, result: Extract<SendResult, { ok: false }>, decision: Decision): Promise<string | undefined> {
  return withTransaction(pool, async (client) => {
    await client.query(`
      update webhook_deliveries set attempts = attempts + 1, last_status_code = $2::int, last_error = $3::text,
             last_latency_ms = $4::int, last_attempt_at = now(),
             status = case when $5::timestamptz is null then 'failed' else status end,
             next_attempt_at = coalesce($5::timestamptz, next_attempt_at),
             completed_at = case when $5::timestamptz is null then now() end
       where id = $1::bigint`,
    [delivery.id, result.status, decision.reason ? `${result.error}; ${decision.reason}` : result.error, result.latencyMs, decision.retryAt ?? null]);
    const { rows } = await client.query<{ consecutive_failures: number; enabled: boolean }>(`
      update webhook_endpoints set consecutive_failures = consecutive_failures + 1
       where id = $1::uuid returning consecutive_failures, enabled`, [delivery.endpoint_id]);
    const failures = rows[0]?.consecutive_failures ?? 0;
    const disable = decision.disable
      ?? (rows[0]?.enabled && failures >= config.WEBHOOK_MAX_CONSECUTIVE_FAILURES
        ? `${failures} consecutive failed attempts (WEBHOOK_MAX_CONSECUTIVE_FAILURES)` : undefined);
    if (disable && rows[0]?.enabled) {
      await disableEndpoint(client, delivery.endpoint_id, disable);
      return disable;
    }
    if (decision.retryAt) await addDeliveryJob(client, delivery.endpoint_id, delivery.id, decision.retryAt);
    return undefined;
  });
}

/** Disables an endpoint and cancels what it had pending (redeliver sends any of them again). */
export async function disableEndpoint(client: PoolClient, endpointId: string, reason: string): Promise<void> {
  await client.query(`
    update webhook_endpoints set enabled = false, disabled_reason = $2::text, disabled_at = now(), updated_at = now()
     where id = $1::uuid`, [endpointId, reason]);
  await cancelPendingDeliveries(client, endpointId);
}
