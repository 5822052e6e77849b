// The embedded PostgreSQL's data directory across a failed first start: a
// failed initdb leaves nothing behind, an incomplete directory from an
// interrupted one is replaced, and a directory that is not PostgreSQL's is
// refused with what to do, its files untouched.
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { makeReachable, startEmbeddedPostgres } from '../../src/db/embedded.ts';
import { adminQuery } from '../support/db.ts';
import { freePort, testLogger } from '../support/env.ts';

const logger = testLogger();
let root: string;

beforeEach(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'tariff-embedded-'));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function startsAndAnswers(dataDir: string): Promise<void> {
  const postgres = await startEmbeddedPostgres({ dataDir, port: await freePort(), logger, ephemeral: true });
  try {
    await adminQuery(postgres.url, 'select 1');
    expect(existsSync(path.join(dataDir, 'PG_VERSION'))).toBe(true);
  } finally {
    await postgres.stop();
  }
}

// As root the server runs as the postgres user, which cannot reach a root-only directory: initdb fails there.
const asRoot = process.getuid?.() === 0;
(asRoot ? test : test.skip)('a first start whose initdb fails leaves no data directory, and the next start initialises one', async () => {
  const dataDir = path.join(root, 'pgdata');

  const error = await startEmbeddedPostgres({ dataDir, port: await freePort(), logger, ephemeral: true }).then(
    () => { throw new Error('expected the start to fail'); }, (err: unknown) => err);

  expect(String(error)).toMatch(/initdb failed/);
  expect(await readdir(root)).toEqual([]);
  await makeReachable(root);
  await startsAndAnswers(dataDir);
}, 120_000);

test('a data directory an interrupted initdb left (no PG_VERSION) is replaced by a fresh one', async () => {
  await makeReachable(root);
  const dataDir = path.join(root, 'pgdata');
  await mkdir(path.join(dataDir, 'base', '1'), { recursive: true });
  await mkdir(path.join(dataDir, 'global'));
  await writeFile(path.join(dataDir, 'postgresql.conf'), '');

  await startsAndAnswers(dataDir);
}, 120_000);

test('a directory at the data path that is not PostgreSQL\'s is refused, naming what to do, and left as it was', async () => {
  await makeReachable(root);
  const dataDir = path.join(root, 'pgdata');
  await mkdir(dataDir);
  await writeFile(path.join(dataDir, 'notes.txt'), 'mine');

  const error = await startEmbeddedPostgres({ dataDir, port: await freePort(), logger, ephemeral: true }).then(
    () => { throw new Error('expected the start to fail'); }, (err: unknown) => err);

  expect(String(error)).toContain(`${dataDir} is not a PostgreSQL data directory`);
  expect(String(error)).toMatch(/notes\.txt.*move or delete it, or set EMBEDDED_POSTGRES_DIR/);
  expect(await readdir(dataDir)).toEqual(['notes.txt']);
});
