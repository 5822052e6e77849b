// Once per `npm test`: a real PostgreSQL (DATABASE_URL, or an embedded server
// in a temporary directory) and a migrated template database that each test
// file clones, so files run in parallel on databases of their own.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { makeReachable, startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/db/embedded.ts';
import { migrate } from '../../src/db/migrate.ts';
import { createClient } from '../../src/db/pool.ts';
import { databaseUrl, freePort, testLogger } from './env.ts';

declare global {
  var tariffTestServer: EmbeddedPostgres | undefined;
}

export default async function globalSetup(): Promise<void> {
  const logger = testLogger();
  let serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const root = await mkdtemp(path.join(tmpdir(), 'tariff-test-'));
    await makeReachable(root);
    globalThis.tariffTestServer = await startEmbeddedPostgres({
      dataDir: path.join(root, 'pgdata'), port: await freePort(), logger, ephemeral: true,
    });
    serverUrl = globalThis.tariffTestServer.url;
  }
  const template = `tariff_template_${process.pid}`;
  const admin = createClient(serverUrl, 'tariff-test-setup');
  await admin.connect();
  try {
    await admin.query(`drop database if exists ${template}`);
    await admin.query(`create database ${template}`);
  } finally {
    await admin.end();
  }
  await migrate(databaseUrl(serverUrl, template), logger);
  // Workers inherit the parent's environment.
  process.env.TARIFF_TEST_SERVER_URL = serverUrl;
  process.env.TARIFF_TEST_TEMPLATE = template;
}
