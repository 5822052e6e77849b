// Syncs that overlap (a manual sync while the scheduled one runs, two workers
// picking up the same provider) serialise per provider: each change is applied
// and recorded once.
import {
  catalogVersion, history, openRouterModel, serveEdited, startSyncStack, storedPrices, sync, type OpenRouterPayload, type SyncStack,
} from './helpers.ts';

let stack: SyncStack;

beforeAll(async () => {
  stack = await startSyncStack({ PROVIDERS_IN_USE: 'openrouter,anthropic' });
});

afterAll(async () => {
  await stack.release();
});

describe('overlapping syncs', () => {
  test('two first syncs of the same provider at once add each model once: one applies, the other finds nothing to do', async () => {
    const registered = await catalogVersion(stack.pool);
    const results = await Promise.all([sync(stack, 'openrouter'), sync(stack, 'openrouter')]);

    const counts = results.map((result) => (result.status === 'skipped' ? undefined : result.counts));
    expect(counts).toEqual(expect.arrayContaining([
      expect.objectContaining({ added: 364, unchanged: 0 }),
      expect.objectContaining({ added: 0, unchanged: 364 }),
    ]));
    expect(await history(stack.pool, { provider: 'openrouter' })).toHaveLength(364);
    expect(await catalogVersion(stack.pool)).toBe(registered + 1);
  });

  test('two syncs of the same changed copy at once record the change once', async () => {
    serveEdited<OpenRouterPayload>(stack.upstream, 'openrouter', (payload) => {
      openRouterModel(payload, 'openai/gpt-4').pricing.completion = '0.000065';
    });
    const before = (await history(stack.pool, { provider: 'openrouter' })).length;
    const version = await catalogVersion(stack.pool);

    await Promise.all([sync(stack, 'openrouter'), sync(stack, 'openrouter')]);

    const rows = (await history(stack.pool, { provider: 'openrouter' })).slice(before);
    expect(rows.map(({ model_id, change }) => ({ model_id, change }))).toEqual([{ model_id: 'openai/gpt-4', change: 'updated' }]);
    expect(await catalogVersion(stack.pool)).toBe(version + 1);
  });

  test('syncs of two providers at once both apply', async () => {
    const [anthropic, openrouter] = await Promise.all([sync(stack, 'anthropic'), sync(stack, 'openrouter')]);

    expect(anthropic).toMatchObject({ status: 'success', counts: { added: 25 } });
    expect(openrouter).toMatchObject({ status: 'success', counts: { unchanged: 364 } });
    expect((await storedPrices(stack.pool, 'anthropic')).size).toBe(25);
  });
});
