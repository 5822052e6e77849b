// Re-syncs of OpenRouter: the same data changes nothing; an edited copy yields
// exactly its changes in price_history and their counts in pricing_sync_log.
import {
  catalogVersion, history, lastSyncLog, openRouterModel, price, pricesChecksum, serveEdited, startSyncStack,
  storedPrice, sync, syncLog, type OpenRouterPayload, type SyncStack,
} from './helpers.ts';

const REMOVED = ['anthropic/claude-opus-4.7-fast', 'baidu/cobuddy:free', 'inclusionai/ling-2.6-flash', 'openrouter/auto'];

/** The fixture with 3 prices changed, 2 models added and 4 removed (4 of 332 priced: under the 20% guard). */
function editedCopy(payload: OpenRouterPayload): void {
  openRouterModel(payload, 'openai/gpt-4').pricing.prompt = '0.000025';
  openRouterModel(payload, 'x-ai/grok-4').pricing.completion = '0.000018';
  delete openRouterModel(payload, 'deepseek/deepseek-v4-pro').pricing.input_cache_read;
  const template = openRouterModel(payload, 'openai/gpt-4');
  payload.data = payload.data.filter((model) => !REMOVED.includes(model.id));
  payload.data.push(
    { ...template, id: 'tariff-test/new-model', name: 'New Model', pricing: { prompt: '0.0000012', completion: '0.0000048' } },
    { ...template, id: 'tariff-test/new-model:free', name: 'New Model (free)', pricing: { prompt: '0', completion: '0' } },
  );
}

let stack: SyncStack;

beforeAll(async () => {
  stack = await startSyncStack({ PROVIDERS_IN_USE: 'openrouter' });
  await sync(stack, 'openrouter');
});

afterAll(async () => {
  await stack.release();
});

describe('re-syncing OpenRouter', () => {
  test('the same data again writes no history row, keeps the catalog version, and logs 364 unchanged', async () => {
    const before = { history: (await history(stack.pool)).length, version: await catalogVersion(stack.pool), sum: await pricesChecksum(stack.pool) };

    const result = await sync(stack, 'openrouter');

    expect(result).toMatchObject({ status: 'success', counts: { fetched: 364, added: 0, updated: 0, unchanged: 364, removed: 0 } });
    expect((await history(stack.pool)).length).toBe(before.history);
    expect(await catalogVersion(stack.pool)).toBe(before.version);
    expect(await pricesChecksum(stack.pool)).toBe(before.sum);
    expect(await lastSyncLog(stack.pool, 'openrouter')).toMatchObject({
      status: 'success', models_fetched: 364, models_added: 0, models_updated: 0, models_unchanged: 364, models_removed: 0,
    });
  });

  test('a copy with 3 prices changed, 2 models added and 4 removed yields exactly those history rows and counts', async () => {
    const version = await catalogVersion(stack.pool);
    serveEdited(stack.upstream, 'openrouter', editedCopy);

    const result = await sync(stack, 'openrouter');

    expect(result.status).toBe('success');
    const log = await lastSyncLog(stack.pool, 'openrouter');
    expect(log).toMatchObject({
      status: 'success', models_fetched: 362, models_added: 2, models_updated: 3, models_unchanged: 357, models_removed: 4,
      models_skipped: 0, error_message: null,
    });
    const rows = await history(stack.pool, { syncLogId: Number(log.id) });
    const byModel = [...rows].sort((a, b) => a.model_id.localeCompare(b.model_id));
    // Subset match: the prices also carry the dimensions beyond the fields named here.
    expect(byModel.map(({ model_id, change, old_price, new_price, changed_by }) => ({ model_id, change, old_price, new_price, changed_by }))).toMatchObject([
      { model_id: 'anthropic/claude-opus-4.7-fast', change: 'removed', changed_by: 'api_sync:openrouter',
        old_price: price({ input: '30', output: '150', cache_read: '3', cache_write: '37.5' }), new_price: null },
      { model_id: 'baidu/cobuddy:free', change: 'removed', changed_by: 'api_sync:openrouter',
        old_price: price({ state: 'free', input: '0', output: '0' }), new_price: null },
      { model_id: 'deepseek/deepseek-v4-pro', change: 'updated', changed_by: 'api_sync:openrouter',
        old_price: price({ input: '0.435', output: '0.87', cache_read: '0.003625' }),
        // OpenRouter no longer lists the cache read price; another source's price for OpenRouter's model fills it
        new_price: { ...price({ input: '0.435', output: '0.87', cache_read: '0.003625' }), filled_from: { cache_read_tokens: expect.any(String) } } },
      { model_id: 'inclusionai/ling-2.6-flash', change: 'removed', changed_by: 'api_sync:openrouter',
        old_price: price({ input: '0.01', output: '0.03', cache_read: '0.002' }), new_price: null },
      { model_id: 'openai/gpt-4', change: 'updated', changed_by: 'api_sync:openrouter',
        old_price: price({ input: '30', output: '60' }), new_price: price({ input: '25', output: '60' }) },
      { model_id: 'openrouter/auto', change: 'removed', changed_by: 'api_sync:openrouter',
        old_price: price({ state: 'dynamic' }), new_price: null },
      { model_id: 'tariff-test/new-model', change: 'added', changed_by: 'api_sync:openrouter',
        old_price: null, new_price: price({ input: '1.2', output: '4.8' }) },
      { model_id: 'tariff-test/new-model:free', change: 'added', changed_by: 'api_sync:openrouter',
        old_price: null, new_price: price({ state: 'free', input: '0', output: '0' }) },
      { model_id: 'x-ai/grok-4', change: 'updated', changed_by: 'api_sync:openrouter',
        old_price: price({ input: '3', output: '15', cache_read: '0.75' }), new_price: price({ input: '3', output: '18', cache_read: '0.75' }) },
    ]);
    expect(await catalogVersion(stack.pool)).toBe(version + 1);
    expect(await storedPrice(stack.pool, 'openrouter', 'openai/gpt-4')).toMatchObject({ input: '25', removed_at: null });
    const removed = await storedPrice(stack.pool, 'openrouter', 'baidu/cobuddy:free');
    expect(removed.removed_at).toBeInstanceOf(Date);
    expect(removed).toMatchObject(price({ state: 'free', input: '0', output: '0' }));
  });

  test('the same changed copy synced again, as a job retried after its commit, changes nothing the second time', async () => {
    serveEdited(stack.upstream, 'openrouter', editedCopy);
    await sync(stack, 'openrouter', { job_id: 'crashed-job-1', attempt: 1 });
    const before = { sum: await pricesChecksum(stack.pool), version: await catalogVersion(stack.pool) };

    const again = await sync(stack, 'openrouter', { job_id: 'crashed-job-1', attempt: 2 });

    expect(again).toMatchObject({ status: 'success', counts: { added: 0, updated: 0, removed: 0, unchanged: 362 } });
    expect(await pricesChecksum(stack.pool)).toBe(before.sum);
    expect(await catalogVersion(stack.pool)).toBe(before.version);
    const attempts = (await syncLog(stack.pool, 'openrouter')).filter((row) => row.job_id === 'crashed-job-1');
    expect(attempts.map(({ attempt, status }) => ({ attempt, status }))).toEqual([
      { attempt: 1, status: 'success' }, { attempt: 2, status: 'success' },
    ]);
  });

  test('a retried job closes the in_progress row its dead attempt left as failed (abandoned)', async () => {
    const { rows } = await stack.pool.query<{ id: string }>(`
      insert into pricing_sync_log (kind, provider, source, status, triggered_by, job_id, attempt)
      values ('prices', 'openrouter', 'openrouter', 'in_progress', 'api', 'dead-job-7', 1) returning id`);

    await sync(stack, 'openrouter', { triggered_by: 'api', job_id: 'dead-job-7', attempt: 2 });

    const attempts = (await syncLog(stack.pool, 'openrouter')).filter((row) => row.job_id === 'dead-job-7');
    expect(attempts.map(({ id, attempt, status, error_message }) => ({ id, attempt, status, error_message }))).toEqual([
      { id: rows[0]!.id, attempt: 1, status: 'failed', error_message: 'abandoned: the worker stopped before this attempt finished' },
      { id: expect.any(String), attempt: 2, status: 'success', error_message: null },
    ]);
    expect(attempts[0]?.completed_at).toBeInstanceOf(Date);
  });

  test('the original list again restores the removed models and reverts the changed prices', async () => {
    stack.upstream.setBody('openrouter', null);

    const result = await sync(stack, 'openrouter');

    expect(result).toMatchObject({ status: 'success', counts: { fetched: 364, added: 4, updated: 3, removed: 2, unchanged: 357 } });
    const log = await lastSyncLog(stack.pool, 'openrouter');
    const rows = await history(stack.pool, { syncLogId: Number(log.id) });
    expect(rows.filter((row) => row.change === 'restored').map((row) => row.model_id).sort()).toEqual(REMOVED);
    expect(rows.filter((row) => row.change === 'removed').map((row) => row.model_id).sort())
      .toEqual(['tariff-test/new-model', 'tariff-test/new-model:free']);
    expect(rows.find((row) => row.model_id === 'openai/gpt-4')).toMatchObject({
      change: 'updated', old_price: price({ input: '25', output: '60' }), new_price: price({ input: '30', output: '60' }),
    });
    expect(await storedPrice(stack.pool, 'openrouter', 'baidu/cobuddy:free')).toMatchObject({ removed_at: null, state: 'free' });
  });
});
