import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLogger } from '../../src/log.ts';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export { UPSTREAM_FIXTURES } from '../../scripts/support/upstream.ts';
export { freePort } from '../../scripts/support/ports.ts';

/** Silent unless TEST_LOG_LEVEL asks otherwise. */
export function testLogger() {
  return createLogger(process.env.TEST_LOG_LEVEL ?? 'silent', 'tariff-test');
}

/** The same server, another database. */
export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}
