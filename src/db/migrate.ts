// Schema migrations: tariff's own (SQL files in migrations/, run by
// node-pg-migrate) and graphile-worker's. Safe when several instances start at
// once: node-pg-migrate waits on its advisory lock, graphile-worker on its own.
import { runner } from 'node-pg-migrate';
import { runMigrations as runWorkerMigrations } from 'graphile-worker';
import type { Logger } from '../log.ts';
import { retry } from '../retry.ts';
import { createClient, isPgError, PG_ERROR } from './pool.ts';
import { workerLogger } from './graphile_logger.ts';

import { expectedMigrations, MIGRATIONS_DIR, MIGRATIONS_TABLE } from './schema.ts';

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
      declare
        private_table text;
      begin
        if exists (select from pg_roles where rolname = ${client.escapeLiteral(writer)}) then
          grant usage on schema graphile_worker to ${client.escapeIdentifier(writer)};
          grant select, insert, update, delete on all tables in schema graphile_worker to ${client.escapeIdentifier(writer)};
          grant usage, select on all sequences in schema graphile_worker to ${client.escapeIdentifier(writer)};
          grant execute on all functions in schema graphile_worker to ${client.escapeIdentifier(writer)};
          -- graphile-worker turns on row-level security for its private tables, with no
          -- policy: without one, only their owner may queue or run a job.
          for private_table in
            select c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
             where n.nspname = 'graphile_worker' and c.relkind = 'r' and c.relrowsecurity
          loop
            -- Replacing a policy locks its table (ACCESS EXCLUSIVE): done only when the writer's policy is missing,
            -- so a worker's start does not lock the job tables under running jobs and readers (a deadlock risk).
            if not exists (select from pg_policies where schemaname = 'graphile_worker' and tablename = private_table
                             and policyname = 'tariff_writer_access' and ${client.escapeLiteral(writer)} = any(roles)) then
              execute format('drop policy if exists tariff_writer_access on graphile_worker.%I', private_table);
              execute format('create policy tariff_writer_access on graphile_worker.%I for all to %I using (true) with check (true)',
                             private_table, ${client.escapeLiteral(writer)});
            end if;
          end loop;
        end if;
      end $$`);
    await client.query('commit');
  } finally {
    await client.end();
  }
}

/**
 * For a process that may not migrate (RUN_MIGRATIONS=false): waits until every
 * migration this code expects has been applied by `npm run migrate`, checking
 * with backoff; gives up after `timeoutMs`, naming what is still pending.
 */
export async function waitForSchema(connectionString: string, logger: Logger, timeoutMs = 120_000): Promise<void> {
  const expected = expectedMigrations();
  await retry(async () => {
    const pending = await pendingMigrations(connectionString, expected);
    if (pending.length > 0) {
      throw new Error(`the schema is not migrated (pending: ${pending.join(', ')}); run \`npm run migrate\` as the schema owner`);
    }
  }, {
    backoff: { minMs: 250, maxMs: 5_000 },
    deadline: Date.now() + timeoutMs,
    onRetry: (err, _attempt, delayMs) => logger.info({ reason: (err as Error).message, retryInMs: delayMs }, 'waiting for migrations (RUN_MIGRATIONS=false)'),
  });
}

async function pendingMigrations(connectionString: string, expected: readonly string[]): Promise<string[]> {
  const client = createClient(connectionString, 'tariff-schema-check');
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(`select name from ${MIGRATIONS_TABLE}`);
    const applied = new Set(rows.map((row) => row.name));
    return expected.filter((name) => !applied.has(name));
  } catch (err) {
    if (isPgError(err, PG_ERROR.UNDEFINED_TABLE)) return [...expected];
    throw err;
  } finally {
    await client.end();
  }
}
