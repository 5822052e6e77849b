// A catalog read that fails inside its snapshot transaction must hand its
// connection back clean: the next borrower of the pool gets a working
// connection, not one stuck in an aborted transaction.
import { readCatalogSince, readCatalogVersion } from '../../src/store/read.ts';
import { createPool, type Pool } from '../../src/db/pool.ts';
import { prepareDatabase } from '../../src/service.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { testLogger } from '../support/env.ts';
import { testConfig } from '../support/stack.ts';

const logger = testLogger();
let db: TestDatabase;
let admin: Pool;

beforeAll(async () => {
  db = await createTestDatabase();
  await prepareDatabase(db.url, testConfig(db.url), logger);
  admin = createPool({ connectionString: db.url, max: 1, applicationName: 'read-rollback-admin', logger });
});

afterAll(async () => {
  await admin.end();
  await db.drop();
});

test('when reading catalog_changes fails after BEGIN, the read fails and the pool\'s only connection still answers', async () => {
  const pool = createPool({ connectionString: db.url, max: 1, applicationName: 'read-rollback-test', logger });
  try {
    await pool.query('select 1');
    await admin.query('alter table catalog_changes rename to catalog_changes_away');
    try {
      await expect(readCatalogSince(pool, 0)).rejects.toThrow(/catalog_changes/);
    } finally {
      await admin.query('alter table catalog_changes_away rename to catalog_changes');
    }

    const { rows } = await pool.query<{ ok: number; in_transaction: boolean }>(
      `select 1 as ok, now() <> statement_timestamp() as in_transaction`);
    expect(rows).toEqual([{ ok: 1, in_transaction: false }]);
    const version = await readCatalogVersion(pool);
    await expect(readCatalogSince(pool, version)).resolves.toMatchObject({ delta: { version, upserts: [], deleted: [] } });
  } finally {
    await pool.end();
  }
});

test('a read that falls back to the full catalog needs only one connection of the pool at a time', async () => {
  const pool = createPool({ connectionString: db.url, max: 1, applicationName: 'read-rollback-test', logger });
  try {
    // Version 0 is older than the changes kept for the snapshot load: the whole catalog is read.
    const read = await readCatalogSince(pool, 0);
    expect('full' in read && read.full.version).toBe(await readCatalogVersion(pool));
  } finally {
    await pool.end();
  }
});
