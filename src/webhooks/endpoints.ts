// Webhook endpoints and their deliveries: the reads and writes behind
// /admin/webhooks. Functions return undefined for a missing endpoint or
// delivery; the routes decide what that means over HTTP.
import { randomUUID } from 'node:crypto';
import { withTransaction, type Pool, type Queryable } from '../db/pool.ts';
import type { EventType } from './events.ts';
import { encryptSecret, generateSecret } from './secrets.ts';

/** The disabled_reason of an endpoint an operator disabled (the automatic reasons say what failed). */
export const DISABLED_BY_OPERATOR = 'disabled by an operator';

/** Cancels an endpoint's pending deliveries once it is disabled (redeliver sends any of them again). */
export async function cancelPendingDeliveries(db: Queryable, endpointId: string): Promise<void> {
  await db.query(`
    update webhook_deliveries set status = 'cancelled', completed_at = now(),
           last_error = coalesce(last_error || '; ', '') || 'endpoint disabled'
     where endpoint_id = $1::uuid and status = 'pending'`, [endpointId]);
}

export interface Endpoint {
  id: string;
  url: string;
  events: EventType[];
  providers: string[] | null;
  description: string | null;
  enabled: boolean;
  disabled_reason: string | null;
  disabled_at: Date | null;
  consecutive_failures: number;
  /** While a rotated-out secret still signs deliveries. */
  previous_secret_expires_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export interface Delivery {
  id: number;
  event_id: string;
  event_type: string;
  catalog_version: number | null;
  status: string;
  attempts: number;
  last_status_code: number | null;
  last_error: string | null;
  last_latency_ms: number | null;
  last_attempt_at: Date | null;
  next_attempt_at: Date | null;
  created_at: Date;
  completed_at: Date | null;
}

const ENDPOINT_COLUMNS = `id, url, events, providers, description, enabled, disabled_reason, disabled_at, consecutive_failures,
  case when old_secret_expires_at > now() then old_secret_expires_at end as previous_secret_expires_at, created_at, updated_at`;

const DELIVERY_COLUMNS = `d.id::int as id, d.event_id, v.type as event_type, v.catalog_version::int as catalog_version, d.status, d.attempts,
  d.last_status_code, d.last_error, d.last_latency_ms, d.last_attempt_at,
  case when d.status = 'pending' then d.next_attempt_at end as next_attempt_at, d.created_at, d.completed_at`;

export interface EndpointInput {
  url: string;
  events: EventType[];
  providers?: string[] | null | undefined;
  description?: string | null | undefined;
}

/** Creates an endpoint; the secret is returned here and never again. */
export async function createEndpoint(pool: Pool, key: Buffer, input: EndpointInput): Promise<Endpoint & { secret: string }> {
  const id = randomUUID();
  const secret = generateSecret();
  const { rows } = await pool.query<Endpoint>(`
    insert into webhook_endpoints (id, url, events, providers, description, secret_encrypted)
    values ($1::uuid, $2::text, $3::text[], $4::text[], $5::text, $6::bytea)
    returning ${ENDPOINT_COLUMNS}`,
  [id, input.url, input.events, input.providers ?? null, input.description ?? null, encryptSecret(key, id, secret)]);
  return { ...rows[0]!, secret };
}

export async function listEndpoints(db: Queryable): Promise<Endpoint[]> {
  const { rows } = await db.query<Endpoint>(`select ${ENDPOINT_COLUMNS} from webhook_endpoints order by created_at, id`);
  return rows;
}

export async function getEndpoint(db: Queryable, id: string): Promise<Endpoint | undefined> {
  const { rows } = await db.query<Endpoint>(`select ${ENDPOINT_COLUMNS} from webhook_endpoints where id = $1::uuid`, [id]);
  return rows[0];
}

export interface EndpointPatch extends Partial<EndpointInput> {
  enabled?: boolean | undefined;
}

/** Applies the fields given; re-enabling clears the failure count and the reason it was disabled. */
export async function updateEndpoint(pool: Pool, id: string, patch: EndpointPatch): Promise<Endpoint | undefined> {
  return withTransaction(pool, async (client) => {
    const { rows } = await client.query<Endpoint>(`
      update webhook_endpoints set
        url = coalesce($2::text, url),
        events = coalesce($3::text[], events),
        providers = case when $4::boolean then $5::text[] else providers end,
        description = case when $6::boolean then $7::text else description end,
        enabled = coalesce($8::boolean, enabled),
        disabled_reason = case when $8::boolean is null then disabled_reason when $8::boolean then null else $9::text end,
        disabled_at = case when $8::boolean is null then disabled_at when $8::boolean then null else coalesce(disabled_at, now()) end,
        consecutive_failures = case when $8::boolean then 0 else consecutive_failures end,
        updated_at = now()
      where id = $1::uuid
      returning ${ENDPOINT_COLUMNS}`,
    [id, patch.url ?? null, patch.events ?? null, patch.providers !== undefined, patch.providers ?? null,
      patch.description !== undefined, patch.description ?? null, patch.enabled ?? null, DISABLED_BY_OPERATOR]);
    if (rows[0] && patch.enabled === false) await cancelPendingDeliveries(client, id);
    return rows[0];
  });
}

export async function deleteEndpoint(db: Queryable, id: string): Promise<boolean> {
  const { rowCount } = await db.query('delete from webhook_endpoints where id = $1::uuid', [id]);
  return (rowCount ?? 0) > 0;
}

/** A new secret; the old one keeps signing (as a second v1=) for overlapSeconds. */
export async function rotateSecret(pool: Pool, key: Buffer, id: string, overlapSeconds: number): Promise<(Endpoint & { secret: string }) | undefined> {
  const secret = generateSecret();
  const { rows } = await pool.query<Endpoint>(`
    update webhook_endpoints set old_secret_encrypted = secret_encrypted, secret_encrypted = $2::bytea,
           old_secret_expires_at = now() + make_interval(secs => $3::int), updated_at = now()
     where id = $1::uuid
    returning ${ENDPOINT_COLUMNS}`, [id, encryptSecret(key, id, secret), overlapSeconds]);
  return rows[0] ? { ...rows[0], secret } : undefined;
}

export async function listDeliveries(db: Queryable, endpointId: string, options: { limit: number; status?: string | undefined }): Promise<Delivery[]> {
  const { rows } = await db.query<Delivery>(`
    select ${DELIVERY_COLUMNS}
      from webhook_deliveries d join webhook_events v on v.id = d.event_id
     where d.endpoint_id = $1::uuid and ($2::text is null or d.status = $2::text)
     order by d.id desc limit $3::int`, [endpointId, options.status ?? null, options.limit]);
  return rows;
}
