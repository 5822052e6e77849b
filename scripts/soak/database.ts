// The soak's PostgreSQL: a fresh database on DATABASE_URL's server (dropped at
// the end), or an embedded server in a temporary directory (stopped and
// removed at the end). Either way the soak never touches existing data.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isAlive, makeReachable, startEmbeddedPostgres } from '../../src/db/embedded.ts';
import { createClient } from '../../src/db/pool.ts';
import type { Logger } from '../../src/log.ts';
import { databaseUrl } from '../support/database.ts';
import { freePort } from '../support/ports.ts';

const TEMP_PREFIX = 'tariff-soak-';
/** The pid of the soak process that made the directory. */
const OWNER_FILE = 'soak.pid';
const STOP_TIMEOUT_MS = 30_000;

export interface SoakDatabase {
  url: string;
  /** Where it runs, for the report (no credentials). */
  where: string;
  release(): Promise<void>;
}

export async function createSoakDatabase(serverUrl: string | undefined, logger: Logger): Promise<SoakDatabase> {
  const name = `tariff_soak_${randomBytes(4).toString('hex')}`;
  if (serverUrl) {
    await adminQuery(serverUrl, (q) => `create database ${q(name)}`).catch((err: unknown) => {
      throw new Error(`could not create database ${name} on DATABASE_URL's server (the role needs CREATEDB)`, { cause: err });
    });
    return {
      url: databaseUrl(serverUrl, name),
      where: `database ${name} on ${new URL(serverUrl).host} (DATABASE_URL's server), dropped at the end`,
      release: () => adminQuery(serverUrl, (q) => `drop database if exists ${q(name)} with (force)`),
    };
  }

  await sweepAbandoned(logger);
  const root = await mkdtemp(path.join(tmpdir(), TEMP_PREFIX));
  try {
    await writeFile(path.join(root, OWNER_FILE), String(process.pid));
    await makeReachable(root);
    const server = await startEmbeddedPostgres({
      dataDir: path.join(root, 'pgdata'), port: await freePort(), logger: logger.child({ component: 'embedded-postgres' }), ephemeral: true,
    });
    try {
      await adminQuery(server.url, (q) => `create database ${q(name)}`);
    } catch (err) {
      await server.stop();
      throw err;
    }
    return {
      url: databaseUrl(server.url, name),
      where: `embedded PostgreSQL in ${root}, removed at the end`,
      async release() {
        try {
          await server.stop();
        } finally {
          await rm(root, { recursive: true, force: true });
        }
      },
    };
  } catch (err) {
    await rm(root, { recursive: true, force: true });
    throw err;
  }
}

async function adminQuery(serverUrl: string, sql: (quote: (name: string) => string) => string): Promise<void> {
  const client = createClient(serverUrl, 'tariff-soak-setup');
  await client.connect();
  try {
    await client.query(sql((name) => client.escapeIdentifier(name)));
  } finally {
    await client.end();
  }
}

/**
 * A soak killed outright (SIGKILL) leaves its embedded server running in its
 * temporary directory. The next soak stops any such server whose owning soak
 * process is gone (only one whose command line names that directory), and
 * removes the directory.
 */
async function sweepAbandoned(logger: Logger): Promise<void> {
  const entries = await readdir(tmpdir()).catch(() => [] as string[]);
  for (const entry of entries.filter((e) => e.startsWith(TEMP_PREFIX))) {
    const root = path.join(tmpdir(), entry);
    const dataDir = path.join(root, 'pgdata');
    const owner = Number(await readFile(path.join(root, OWNER_FILE), 'utf8').catch(() => ''));
    if (!(owner > 0) || isAlive(owner)) continue;
    const postmaster = Number((await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8').catch(() => '')).split('\n')[0]);
    if (postmaster > 0 && isAlive(postmaster)) {
      const command = await readFile(`/proc/${postmaster}/cmdline`, 'utf8').catch(() => '');
      if (!command.includes(dataDir)) continue;
      logger.warn({ dataDir, postgresPid: postmaster }, 'stopping the embedded PostgreSQL of a soak that was killed');
      process.kill(postmaster, 'SIGINT');
      const deadline = Date.now() + STOP_TIMEOUT_MS;
      while (isAlive(postmaster) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      if (isAlive(postmaster)) continue;
    }
    await rm(root, { recursive: true, force: true });
  }
}

