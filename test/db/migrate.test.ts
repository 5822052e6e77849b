import { readdirSync } from 'node:fs';
import { migrate, MIGRATIONS_DIR } from '../../src/db/migrate.ts';
import { createPool, type Pool } from '../../src/db/pool.ts';
import { createEmptyDatabase, type TestDatabase } from '../support/db.ts';
import { testLogger } from '../support/env.ts';

const logger = testLogger();

describe('migrations', () => {
  let db: TestDatabase;
  let pool: Pool;

  beforeAll(async () => {
    db = await createEmptyDatabase();
    pool = createPool({ connectionString: db.url, applicationName: 'migrate-test', logger });
  });

  afterAll(async () => {
    await pool.end();
    await db.drop();
  });

  test('apply to an empty database, creating every table with a comment', async () => {
    await migrate(db.url, logger);

    const { rows } = await pool.query<{ table_name: string; comment: string | null }>(`
      select c.relname as table_name, obj_description(c.oid, 'pg_class') as comment
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname = 'public' and c.relkind = 'r' and c.relname <> 'pgmigrations'
       order by 1`);
    expect(rows.map((r) => r.table_name)).toEqual([
      'catalog_changes', 'catalog_version', 'discrepancy_reports', 'exchange_rate_history', 'exchange_rates', 'model_prices',
      'price_history', 'price_overrides', 'pricing_sync_log', 'providers',
      'webhook_deliveries', 'webhook_endpoints', 'webhook_events', 'worker_heartbeats',
    ]);
    for (const row of rows) expect(row.comment?.length ?? 0).toBeGreaterThan(40);
    const worker = await pool.query(`select count(*)::int as n from information_schema.tables where table_schema = 'graphile_worker'`);
    expect(worker.rows[0].n).toBeGreaterThan(0);
  });

  test('a second run applies nothing and changes nothing: not even the writer\'s policies on the job tables', async () => {
    // Replacing a policy locks its table: a worker's start must leave the job tables alone.
    const policies = 'select oid, polrelid::regclass::text as relation from pg_policy where polname = \'tariff_writer_access\' order by 2';
    const before = await pool.query('select name, run_on from pgmigrations order by id');
    const policiesBefore = await pool.query(policies);
    await migrate(db.url, logger);
    const after = await pool.query('select name, run_on from pgmigrations order by id');
    expect(after.rows).toEqual(before.rows);
    expect(before.rows.length).toBeGreaterThan(0);
    expect(policiesBefore.rows.length).toBeGreaterThan(0);
    expect((await pool.query(policies)).rows).toEqual(policiesBefore.rows);
  });

  test('instances starting at once both succeed (the migration lock serialises them)', async () => {
    const fresh = await createEmptyDatabase();
    try {
      await Promise.all([migrate(fresh.url, logger), migrate(fresh.url, logger), migrate(fresh.url, logger)]);
      const check = createPool({ connectionString: fresh.url, applicationName: 'migrate-test', logger });
      const { rows } = await check.query('select count(*)::int as n from pgmigrations');
      await check.end();
      expect(rows[0].n).toBe(readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql')).length);
    } finally {
      await fresh.drop();
    }
  });

  test('price history refuses updates and deletes', async () => {
    await pool.query(`insert into providers (id, source, upstream_id) values ('p', 'models_dev', 'p')`);
    await pool.query(`insert into price_history (provider, model_id, change, changed_by) values ('p', 'm', 'added', 'test')`);
    await expect(pool.query(`update price_history set changed_by = 'x'`)).rejects.toThrow(/append-only/);
    await expect(pool.query(`delete from price_history`)).rejects.toThrow(/append-only/);
  });
});
