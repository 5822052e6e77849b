// Schema migrations: tariff's own (SQL files in migrations/, run by
// node-pg-migrate) and graphile-worker's. Safe when several instances start at
// once: node-pg-migrate waits on its advisory lock, graphile-worker on its own.
import { runner } from 'node-pg-migrate';
import { runMigrations as runWorkerMigrations } from 'graphile-worker';
import type { Logger } from '../log.ts';
import { createClient } from './pool.ts';
import { workerLogger } from '../worker/logger.ts';

import { MIGRATIONS_DIR, MIGRATIONS_TABLE } from './schema.ts';

export { MIGRATIONS_DIR, MIGRATIONS_TABLE };

export interface DatabaseRoles {
  /** Group role for API instances: SELECT on the pricing tables. */
  reader: string;
  /** Group role for workers: writes prices and runs jobs. */
  writer: string;
}

export const DEFAULT_ROLES: DatabaseRoles = { reader: 'tariff_reader', writer: 'tariff_writer' };

export async function migrate(connectionString: string, logger: Logger, roles: DatabaseRoles = DEFAULT_ROLES): Promise<void> {
  const log = logger.child({ component: 'migrate' });
  const applied = await runner({
    // The role names reach the SQL migrations as session settings (see 0002_roles.sql).
    databaseUrl: { connectionString, options: `-c tariff.reader_role=${roles.reader} -c tariff.writer_role=${roles.writer}` },
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
  await grantWorkerSchema(connectionString, roles.writer);
}

/** The writer role runs jobs: it needs graphile-worker's schema, which exists only after its migrations. */
async function grantWorkerSchema(connectionString: string, writer: string): Promise<void> {
  const client = createClient(connectionString, 'tariff-migrate');
  await client.connect();
  try {
    // Concurrent GRANTs on one object fail ("tuple concurrently updated"): one instance at a time.
    await client.query('begin');
    await client.query(`select pg_advisory_xact_lock(hashtext('tariff.grants'))`);
    await client.query(`
      do $$
      begin
        if exists (select from pg_roles where rolname = ${client.escapeLiteral(writer)}) then
          grant usage on schema graphile_worker to ${client.escapeIdentifier(writer)};
          grant select, insert, update, delete on all tables in schema graphile_worker to ${client.escapeIdentifier(writer)};
          grant usage, select on all sequences in schema graphile_worker to ${client.escapeIdentifier(writer)};
          grant execute on all functions in schema graphile_worker to ${client.escapeIdentifier(writer)};
        end if;
      end $$`);
    await client.query('commit');
  } finally {
    await client.end();
  }
}
