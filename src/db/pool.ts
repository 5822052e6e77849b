// The only module that imports `pg`. Everything else receives a pool or a
// client from here, so a caller can put several writes in one transaction.
import pg from 'pg';
import type { Logger } from '../log.ts';

export type Pool = pg.Pool;
export type PoolClient = pg.PoolClient;
export type Client = pg.Client;
export type QueryResult<R extends pg.QueryResultRow = pg.QueryResultRow> = pg.QueryResult<R>;
/** Anything that can run a query: a pool, a pooled client, a transaction. */
export type Queryable = Pick<pg.Pool, 'query'> | Pick<pg.PoolClient, 'query'>;

/** PostgreSQL error codes tariff reacts to by name. */
export const PG_ERROR = {
  UNIQUE_VIOLATION: '23505',
  SERIALIZATION_FAILURE: '40001',
  DEADLOCK_DETECTED: '40P01',
  INSUFFICIENT_PRIVILEGE: '42501',
  ADMIN_SHUTDOWN: '57P01',
  CANNOT_CONNECT_NOW: '57P03',
  DUPLICATE_DATABASE: '42P04',
  UNDEFINED_TABLE: '42P01',
} as const;

export interface PoolOptions {
  connectionString: string;
  max?: number;
  applicationName: string;
  logger: Logger;
}

export function createPool({ connectionString, max = 10, applicationName, logger }: PoolOptions): Pool {
  const pool = new pg.Pool({
    connectionString,
    max,
    application_name: applicationName,
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
  });
  // A client that loses its connection emits 'error'; unheard, it would crash the process.
  // Idle clients report on the pool, checked-out ones on themselves.
  pool.on('error', (err) => logger.warn({ err }, 'idle database connection lost'));
  pool.on('connect', (client) => {
    client.on('error', (err) => logger.warn({ err }, 'database connection lost'));
  });
  return pool;
}

/** A dedicated connection (LISTEN, liveness locks). TCP keepalive lets the kernel notice a peer that vanished. */
export function createClient(connectionString: string, applicationName: string): Client {
  return new pg.Client({
    connectionString, application_name: applicationName, connectionTimeoutMillis: 10_000, keepAlive: true, keepAliveInitialDelayMillis: 10_000,
  });
}

/** Closes a dedicated connection; one whose peer does not acknowledge within timeoutMs (a half-open socket) is destroyed. */
export async function endClient(client: Client, timeoutMs = 2_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const ended = client.end().catch(() => undefined);
  const late = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), timeoutMs);
  });
  if (await Promise.race([ended, late]) === 'late') client.connection.stream.destroy();
  clearTimeout(timer);
}

/**
 * Lets go of a dedicated connection that is lost or no longer wanted: its own
 * handlers come off (so its end is not taken for a new loss), a late socket
 * error is ignored rather than thrown, and it is closed as endClient does.
 */
export function discardClient(client: Client): Promise<void> {
  client.removeAllListeners();
  client.on('error', () => undefined);
  return endClient(client);
}

export async function withClient<T>(pool: Pool, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    return await fn(client);
  } finally {
    client.release();
  }
}

/** Runs fn inside BEGIN/COMMIT on one client; any throw rolls everything back. */
export function withTransaction<T>(pool: Pool, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  return withManualTransaction(pool, async (client) => {
    await client.query('begin');
    const result = await fn(client);
    await client.query('commit');
    return result;
  });
}

/**
 * Runs fn on one client that opens and commits its transaction itself (BEGIN
 * sent in one batch with the first statements saves a round trip). Any throw,
 * the BEGIN batch's included, rolls back: the client never goes back to the
 * pool inside a transaction, and one whose rollback fails is destroyed.
 */
export async function withManualTransaction<T>(pool: Pool, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    return await fn(client);
  } catch (err) {
    try {
      await client.query('rollback');
    } catch (rollbackError) {
      broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    }
    throw err;
  } finally {
    client.release(broken);
  }
}

export function isPgError(err: unknown, code: string): boolean {
  return typeof err === 'object' && err !== null && 'code' in err && (err as { code: unknown }).code === code;
}

const UNAVAILABLE_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EPIPE',
  PG_ERROR.ADMIN_SHUTDOWN, PG_ERROR.CANNOT_CONNECT_NOW, '57P02', '08000', '08001', '08003', '08006',
]);

/** True when an error means the database could not be reached, rather than that a query was wrong. */
export function isDatabaseUnavailable(err: unknown): boolean {
  if (typeof err !== 'object' || err === null) return false;
  const { code, message } = err as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return true;
  return typeof message === 'string'
    && /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(message);
}
