// Scheduled syncs skip a provider synced less than MODEL_COST_STALENESS_SECONDS
// ago; syncs asked for by a person (or forced) always run.
import { testConfig } from '../support/stack.ts';
import { history, lastSyncLog, startSyncStack, sync, syncLog, type SyncStack } from './helpers.ts';

let stack: SyncStack;

beforeAll(async () => {
  stack = await startSyncStack({ PROVIDERS_IN_USE: 'openrouter' });
});

afterAll(async () => {
  await stack.release();
});

describe('staleness of scheduled syncs', () => {
  test('a scheduled sync of a never-synced provider runs, and its history says scheduler', async () => {
    const result = await sync(stack, 'openrouter', { triggered_by: 'scheduler' });

    expect(result.status).toBe('success');
    const log = await lastSyncLog(stack.pool, 'openrouter');
    expect(log).toMatchObject({ status: 'success', triggered_by: 'scheduler' });
    const rows = await history(stack.pool, { syncLogId: Number(log.id) });
    expect(rows).toHaveLength(364);
    expect(new Set(rows.map((row) => row.changed_by))).toEqual(new Set(['scheduler']));
  });

  test('a scheduled sync right after a successful one is skipped and writes no sync log row', async () => {
    const rowsBefore = (await syncLog(stack.pool)).length;
    const hitsBefore = stack.upstream.hits('openrouter');

    const result = await sync(stack, 'openrouter', { triggered_by: 'scheduler' });

    expect(result).toEqual({ status: 'skipped', reason: expect.stringMatching(/under MODEL_COST_STALENESS_SECONDS \(14400\)$/) });
    expect((await syncLog(stack.pool)).length).toBe(rowsBefore);
    expect(stack.upstream.hits('openrouter')).toBe(hitsBefore);
  });

  test('a manual sync right after a successful one runs', async () => {
    const result = await sync(stack, 'openrouter', { triggered_by: 'manual' });

    expect(result.status).toBe('success');
    expect(await lastSyncLog(stack.pool, 'openrouter')).toMatchObject({ status: 'success', triggered_by: 'manual' });
  });

  test('an API-triggered sync right after a successful one runs', async () => {
    const result = await sync(stack, 'openrouter', { triggered_by: 'api' });

    expect(result.status).toBe('success');
    expect(await lastSyncLog(stack.pool, 'openrouter')).toMatchObject({ status: 'success', triggered_by: 'api' });
  });

  test('a forced scheduled sync right after a successful one runs', async () => {
    const result = await sync(stack, 'openrouter', { triggered_by: 'scheduler', force: true });

    expect(result.status).toBe('success');
    expect(await lastSyncLog(stack.pool, 'openrouter')).toMatchObject({ status: 'success', triggered_by: 'scheduler', forced: true });
  });

  test('a scheduled sync runs once the last success is older than MODEL_COST_STALENESS_SECONDS', async () => {
    const config = testConfig(stack.db.url, stack.upstream, { PROVIDERS_IN_USE: 'openrouter', MODEL_COST_STALENESS_SECONDS: '0' });

    const result = await sync({ ...stack, config }, 'openrouter', { triggered_by: 'scheduler' });

    expect(result.status).toBe('success');
  });

  test('only a successful applied sync counts as fresh: after failures and dry runs alone, a scheduled sync runs', async () => {
    const other = await startSyncStack({ PROVIDERS_IN_USE: 'openrouter' });
    try {
      await sync(other, 'openrouter', { dry_run: true });
      other.upstream.setFault('openrouter', { kind: 'status', status: 503 });
      await expect(sync(other, 'openrouter')).rejects.toThrow(/answered 503/);
      other.upstream.setFault('openrouter', null);

      const result = await sync(other, 'openrouter', { triggered_by: 'scheduler' });

      expect(result.status).toBe('success');
    } finally {
      await other.release();
    }
  });
});
