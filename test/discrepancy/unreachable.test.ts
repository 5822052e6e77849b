// A discrepancy check that cannot fetch some sources says, per source, why.
import { checkDiscrepancies, SourcesUnavailableError } from '../../src/discrepancy/run.ts';
import { readLatestReport } from '../../src/discrepancy/store.ts';
import { testLogger } from '../support/env.ts';
import { startSyncStack, type SyncStack } from '../sync/helpers.ts';

let stack: SyncStack;

beforeAll(async () => {
  stack = await startSyncStack({ PROVIDERS_IN_USE: 'anthropic' });
});

afterAll(async () => {
  await stack?.release();
});

test('when models.dev answers 503 and OpenRouter answers HTML, the error names both sources with their causes and stores nothing', async () => {
  stack.upstream.setFault('models_dev', { kind: 'status', status: 503 });
  stack.upstream.setFault('openrouter', { kind: 'html' });
  const error: unknown = await checkDiscrepancies({ pool: stack.pool, config: stack.config, logger: testLogger() }).then(() => null, (err: unknown) => err);
  expect(error).toBeInstanceOf(SourcesUnavailableError);
  const { failures } = error as SourcesUnavailableError;
  expect(failures.map((f) => f.source)).toEqual(['models.dev', 'OpenRouter']);
  expect(failures[0]!.cause).toMatch(/answered 503/);
  expect(failures[1]!.cause).toMatch(/answered HTML/);
  expect((error as Error).message).toContain('2 of 4 sources could not be fetched');
  expect(await readLatestReport(stack.pool)).toBeNull();
});
