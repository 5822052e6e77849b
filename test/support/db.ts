// A database of this test file's own, cloned from the migrated template.
import { randomBytes } from 'node:crypto';
import { createClient } from '../../src/db/pool.ts';
import { databaseUrl } from './env.ts';

export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

function server(): { serverUrl: string; template: string } {
  const serverUrl = process.env.TARIFF_TEST_SERVER_URL;
  const template = process.env.TARIFF_TEST_TEMPLATE;
  if (!serverUrl || !template) throw new Error('test database server not set up (jest globalSetup did not run)');
  return { serverUrl, template };
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const { serverUrl, template } = server();
  const name = `tariff_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(serverUrl, `create database ${name} template ${template}`);
  return {
    url: databaseUrl(serverUrl, name),
    name,
    drop: () => adminQuery(serverUrl, `drop database if exists ${name} with (force)`),
  };
}

/** An empty database (no schema), for migration tests. */
export async function createEmptyDatabase(): Promise<TestDatabase> {
  const { serverUrl } = server();
  const name = `tariff_empty_${randomBytes(6).toString('hex')}`;
  await adminQuery(serverUrl, `create database ${name}`);
  return {
    url: databaseUrl(serverUrl, name),
    name,
    drop: () => adminQuery(serverUrl, `drop database if exists ${name} with (force)`),
  };
}

export async function adminQuery(serverUrl: string, sql: string): Promise<void> {
  const admin = createClient(serverUrl, 'tariff-test-admin');
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}
