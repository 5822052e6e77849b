// GET /healthz: the process is alive. GET /readyz: it can serve (database
// reachable, schema up to date, catalog loaded).
import { Router } from 'express';
import { expectedMigrations, MIGRATIONS_TABLE } from '../../db/schema.ts';
import type { Pool } from '../../db/pool.ts';
import type { CatalogCache } from '../../cache/catalog.ts';
import type { CatalogListener } from '../../cache/listener.ts';
import { snapshotNotice } from '../../serving/freshness.ts';
import { jsonReply } from '../../http/reply.ts';
import { send } from '../../http/express.ts';

const expected = expectedMigrations();

type Check = { ok: boolean; detail?: string };

export function healthRouter(pool: Pool, catalog: CatalogCache, listener: CatalogListener, syncSchedule: string): Router {
  const router = Router();

  router.get('/healthz', (_req, res) => {
    send(res, jsonReply(200, { status: 'ok' }));
  });

  // ready: everything up. degraded: serving the last loaded catalog from memory while the
  // database or the listener is away (still 200: the instance answers correctly, if stale).
  // not_ready: no catalog yet, or the schema is behind this code (503).
  router.get('/readyz', async (_req, res) => {
    const database = await checkDatabase(pool);
    const migrations = database.ok ? await checkMigrations(pool) : { ok: false, detail: 'unknown: database unreachable' };
    const checks: Record<string, Check> = {
      database,
      migrations,
      catalog: catalog.loaded
        ? { ok: true, detail: `version ${catalog.current.version}` }
        : { ok: false, detail: 'not loaded yet' },
      listener: listener.connected ? { ok: true } : { ok: false, detail: 'reconnecting' },
    };
    const stale = catalog.stale;
    const status = !catalog.loaded || (database.ok && !migrations.ok)
      ? 'not_ready'
      : Object.values(checks).every((c) => c.ok) && !stale ? 'ready' : 'degraded';
    const notice = catalog.loaded ? snapshotNotice(catalog.current, syncSchedule) : undefined;
    send(res, jsonReply(status === 'not_ready' ? 503 : 200, {
      status,
      ...(notice ? { notice } : {}),
      stale: stale !== undefined,
      ...(stale ? { stale_since: stale.toISOString() } : {}),
      checks,
    }));
  });

  return router;
}

async function checkDatabase(pool: Pool): Promise<Check> {
  try {
    await pool.query('select 1');
    return { ok: true };
  } catch (err) {
    return { ok: false, detail: `unreachable: ${(err as Error).message}` };
  }
}

async function checkMigrations(pool: Pool): Promise<Check> {
  try {
    const { rows } = await pool.query<{ name: string }>(`select name from ${MIGRATIONS_TABLE}`);
    const applied = new Set(rows.map((r) => r.name));
    const pending = expected.filter((name) => !applied.has(name));
    return pending.length === 0 ? { ok: true } : { ok: false, detail: `pending: ${pending.join(', ')}` };
  } catch (err) {
    return { ok: false, detail: `cannot read ${MIGRATIONS_TABLE}: ${(err as Error).message}` };
  }
}
