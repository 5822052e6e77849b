// Schema migrations: tariff's own (SQL files in migrations/, run by
// node-pg-migrate) and graphile-worker's. Safe when several instances start at
// once: node-pg-migrate waits on its advisory lock, graphile-worker on its own.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runner } from 'node-pg-migrate';
import { runMigrations as runWorkerMigrations } from 'graphile-worker';
import type { Logger } from '../log.ts';
import { workerLogger } from '../worker/logger.ts';

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../migrations');
export const MIGRATIONS_TABLE = 'pgmigrations';

export async function migrate(connectionString: string, logger: Logger): Promise<void> {
  const log = logger.child({ component: 'migrate' });
  const applied = await runner({
    databaseUrl: connectionString,
    dir: MIGRATIONS_DIR,
    migrationsTable: MIGRATIONS_TABLE,
    direction: 'up',
    count: Infinity,
    singleTransaction: true,
    advisoryLockMode: 'wait',
    checkOrder: true,
    logger: {
      debug: (msg: string) => log.debug(msg),
      info: (msg: string) => log.debug(msg),
      warn: (msg: string) => log.warn(msg),
      error: (msg: string) => log.error(msg),
    },
  });
  if (applied.length > 0) log.info({ migrations: applied.map((m) => m.name) }, 'applied migrations');
  await runWorkerMigrations({ connectionString, logger: workerLogger(log) });
}
