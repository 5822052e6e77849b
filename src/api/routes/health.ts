// GET /healthz: the process is alive. GET /readyz: it can serve (database
// reachable, schema up to date, catalog loaded).
import { readdirSync } from 'node:fs';
import { Router } from 'express';
import { MIGRATIONS_DIR, MIGRATIONS_TABLE } from '../../db/migrate.ts';
import type { Pool } from '../../db/pool.ts';
import type { CatalogCache } from '../../cache/catalog.ts';

const expectedMigrations = readdirSync(MIGRATIONS_DIR)
  .filter((file) => file.endsWith('.sql'))
  .map((file) => file.replace(/\.sql$/, ''))
  .sort();

type Check = { ok: boolean; detail?: string };

export function healthRouter(pool: Pool, catalog: CatalogCache): Router {
  const router = Router();

  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  router.get('/readyz', async (_req, res) => {
    const [database, migrations] = await Promise.all([checkDatabase(pool), checkMigrations(pool)]);
    const checks: Record<string, Check> = {
      database,
      migrations,
      catalog: catalog.loaded
        ? { ok: true, detail: `version ${catalog.current.version}` }
        : { ok: false, detail: 'not loaded yet' },
    };
    const stale = catalog.stale;
    const ready = Object.values(checks).every((c) => c.ok);
    res.status(ready ? 200 : 503).json({
      status: ready ? 'ready' : 'not_ready',
      stale: stale !== undefined,
      ...(stale ? { stale_since: stale.toISOString() } : {}),
      checks,
    });
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
    const pending = expectedMigrations.filter((name) => !applied.has(name));
    return pending.length === 0 ? { ok: true } : { ok: false, detail: `pending: ${pending.join(', ')}` };
  } catch (err) {
    return { ok: false, detail: `cannot read ${MIGRATIONS_TABLE}: ${(err as Error).message}` };
  }
}
