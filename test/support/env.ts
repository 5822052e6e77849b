import { createLogger } from '../../src/log.ts';

export { databaseUrl, freePort, REPO_ROOT, UPSTREAM_FIXTURES } from '../../harness/env.ts';

/** Silent unless TEST_LOG_LEVEL asks otherwise. */
export function testLogger() {
  return createLogger(process.env.TEST_LOG_LEVEL ?? 'silent', 'tariff-test');
}
