// Wiring for tests: a config pointing at a test database and local upstreams.
import { loadConfig, type Config } from '../../src/config.ts';
import { sourceUrlEnv, type UpstreamServer } from '../../scripts/support/upstream.ts';

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789';

/** A config for tests: short timeouts, local upstreams, the given database. */
export function testConfig(databaseUrl: string, upstream?: UpstreamServer, env: Record<string, string> = {}): Config {
  return loadConfig({
    DATABASE_URL: databaseUrl,
    PORT: '0',
    ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    LOG_LEVEL: 'silent',
    UPSTREAM_CONNECT_TIMEOUT_MS: '2000',
    UPSTREAM_HEADERS_TIMEOUT_MS: '1500',
    UPSTREAM_BODY_TIMEOUT_MS: '1500',
    UPSTREAM_TOTAL_TIMEOUT_MS: '10000',
    CATALOG_CHECK_INTERVAL_MS: '60000',
    SHUTDOWN_TIMEOUT_MS: '5000',
    ...(upstream ? sourceUrlEnv(upstream) : {}),
    ...env,
  });
}
