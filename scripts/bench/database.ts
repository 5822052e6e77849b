// The PostgreSQL server the benchmark runs on: DATABASE_URL's server (fresh
// databases created on it, dropped at the end), else an embedded server in a
// temporary directory, stopped and removed at the end.
import path from 'node:path';
import { makeReachable, startEmbeddedPostgres } from '../../src/db/embedded.ts';
import { migrate } from '../../src/db/migrate.ts';
import { createClient } from '../../src/db/pool.ts';
import type { Logger } from '../../src/log.ts';
import { freePort } from './processes.ts';

export interface DatabaseServer {
  readonly kind: 'DATABASE_URL' | 'embedded';
  readonly version: string;
  /** A migrated, empty database cloned from the benchmark's template; returns its URL. */
  createDatabase(suffix: string): Promise<string>;
  dropDatabase(url: string): Promise<void>;
  /** Drops every database this run created; stops the embedded server. */
  stop(): Promise<void>;
}

export async function startDatabaseServer(tempDir: string, logger: Logger): Promise<DatabaseServer> {
  let serverUrl = process.env.DATABASE_URL;
  let stopEmbedded: (() => Promise<void>) | undefined;
  if (!serverUrl) {
    await makeReachable(tempDir);
    const embedded = await startEmbeddedPostgres({
      dataDir: path.join(tempDir, 'pgdata'), port: await freePort(), logger, ephemeral: true,
    });
    serverUrl = embedded.url;
    stopEmbedded = () => embedded.stop();
  }
  const admin = serverUrl;
  const prefix = `tariff_bench_${process.pid}`;
  const template = `${prefix}_template`;
  const created = new Set<string>();
  const urlOf = (name: string) => {
    const url = new URL(admin);
    url.pathname = `/${name}`;
    return url.toString();
  };

  try {
    const version = await adminQuery(admin, 'show server_version');
    await adminQuery(admin, `create database ${template}`);
    created.add(template);
    await migrate(urlOf(template), logger);
    return {
      kind: stopEmbedded ? 'embedded' : 'DATABASE_URL',
      version,
      async createDatabase(suffix) {
        const name = `${prefix}_${suffix}`;
        await adminQuery(admin, `create database ${name} template ${template}`);
        created.add(name);
        return urlOf(name);
      },
      async dropDatabase(url) {
        const name = new URL(url).pathname.slice(1);
        await adminQuery(admin, `drop database if exists ${name} with (force)`);
        created.delete(name);
      },
      async stop() {
        if (stopEmbedded) {
          await stopEmbedded();
          return;
        }
        for (const name of created) await adminQuery(admin, `drop database if exists ${name} with (force)`);
        created.clear();
      },
    };
  } catch (err) {
    await stopEmbedded?.();
    throw err;
  }
}

/** Runs one statement on its own connection; returns the first column of the first row as text. */
async function adminQuery(url: string, sql: string): Promise<string> {
  const client = createClient(url, 'tariff-bench-admin');
  await client.connect();
  try {
    const { rows } = await client.query<Record<string, unknown>>(sql);
    const first = rows[0];
    return first ? String(Object.values(first)[0]) : '';
  } finally {
    await client.end();
  }
}
