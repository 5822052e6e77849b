// A stored discrepancy report reaches API instances by its NOTIFY: the
// catalog listener's connection also LISTENs on the report channel. The
// instance's backstop check is set far beyond the test's deadline, so only the
// notification can deliver the report in time.
import { checkDiscrepancies } from '../../src/discrepancy/run.ts';
import { startApi, type ApiInstance } from '../../src/service.ts';
import { testLogger } from '../support/env.ts';
import { until } from '../support/poll.ts';
import { testConfig } from '../support/stack.ts';
import { startSyncStack, sync, type SyncStack } from '../sync/helpers.ts';

const BACKSTOP_MS = 600_000;
const ENV = { PROVIDERS_IN_USE: 'anthropic', CATALOG_CHECK_INTERVAL_MS: String(BACKSTOP_MS) };

let stack: SyncStack;
let api: ApiInstance;
const logger = testLogger();

beforeAll(async () => {
  stack = await startSyncStack(ENV);
  await sync(stack, 'anthropic');
  api = await startApi({ url: stack.db.url, config: testConfig(stack.db.url, stack.upstream, ENV), logger, port: 0 });
});

afterAll(async () => {
  await api?.stop();
  await stack?.release();
});

test('each stored report is loaded by the API instance on its notification, long before the backstop check', async () => {
  await until('the listener to connect and the first load to finish', () => api.listener.connected && api.discrepancies.loaded);
  expect(api.discrepancies.current).toBeNull();

  for (let round = 0; round < 2; round += 1) {
    const { id } = await checkDiscrepancies({ pool: stack.pool, config: stack.config, logger });
    await until(`report ${id} to be served`, () => api.discrepancies.current?.id === id, { deadlineMs: 30_000 });
  }
});
