import { createLogger } from '../../src/log.ts';

// Shared with the scripts (soak, benchmarks, the image check): one copy each.
export { REPO_ROOT, UPSTREAM_FIXTURES } from '../../scripts/support/paths.ts';
export { databaseUrl } from '../../scripts/support/database.ts';
export { freePort } from '../../scripts/support/ports.ts';

/** Silent unless TEST_LOG_LEVEL asks otherwise. */
export function testLogger() {
  return createLogger(process.env.TEST_LOG_LEVEL ?? 'silent', 'tariff-test');
}
