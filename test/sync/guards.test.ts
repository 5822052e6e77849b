// Bad upstream data never replaces good prices: every fault leaves the catalog
// byte-for-byte as it was, and the sync log says why.
import {
  catalogChecksum, catalogVersion, history, lastSyncLog, openRouterModel, price, serveEdited, startSyncStack,
  storedPrice, sync, type ModelsDevPayload, type OpenRouterPayload, type SyncStack,
} from './helpers.ts';

let stack: SyncStack;

beforeAll(async () => {
  stack = await startSyncStack({ PROVIDERS_IN_USE: 'openrouter,anthropic,google' });
  await sync(stack, 'openrouter');
  await sync(stack, 'anthropic');
  await sync(stack, 'google');
});

afterEach(() => {
  for (const route of ['openrouter', 'models_dev'] as const) {
    stack.upstream.setFault(route, null);
    stack.upstream.setBody(route, null);
  }
});

afterAll(async () => {
  await stack.release();
});

describe('a sync whose upstream fails', () => {
  test('when OpenRouter returns 500, the old prices stay and the sync log says failed', async () => {
    stack.upstream.setFault('openrouter', { kind: 'status', status: 500 });
    const before = await catalogChecksum(stack.pool);

    await expect(sync(stack, 'openrouter')).rejects.toThrow(/sync of openrouter failed: .*answered 500/);

    expect(await catalogChecksum(stack.pool)).toBe(before);
    expect(await lastSyncLog(stack.pool, 'openrouter')).toMatchObject({
      status: 'failed', error_message: expect.stringMatching(/\/openrouter\/api\/v1\/models answered 500$/),
    });
  });

  test('when OpenRouter never answers, the sync times out, the old prices stay and the log says failed', async () => {
    stack.upstream.setFault('openrouter', { kind: 'hang' });
    const before = await catalogChecksum(stack.pool);

    await expect(sync(stack, 'openrouter')).rejects.toThrow(/sync of openrouter failed/);

    expect(await catalogChecksum(stack.pool)).toBe(before);
    expect(await lastSyncLog(stack.pool, 'openrouter')).toMatchObject({
      status: 'failed', error_message: expect.stringMatching(/^GET http:\/\/127\.0\.0\.1:\d+\/openrouter\/api\/v1\/models failed: .*[Tt]imeout/),
    });
  });

  test('when models.dev sends truncated JSON, the old prices stay and the log says where the JSON breaks off', async () => {
    stack.upstream.setFault('models_dev', { kind: 'truncate', bytes: 100_000 });
    const before = await catalogChecksum(stack.pool);

    await expect(sync(stack, 'anthropic')).rejects.toThrow(/sync of anthropic failed: invalid JSON/);

    expect(await catalogChecksum(stack.pool)).toBe(before);
    expect(await lastSyncLog(stack.pool, 'anthropic')).toMatchObject({
      status: 'failed', error_message: expect.stringMatching(/^invalid JSON at position 100000 .*of 100000 characters$/),
    });
  });

  test('when models.dev answers an HTML maintenance page, the old prices stay and the log says so', async () => {
    stack.upstream.setFault('models_dev', { kind: 'html' });
    const before = await catalogChecksum(stack.pool);

    await expect(sync(stack, 'anthropic')).rejects.toThrow(/answered HTML, not JSON/);

    expect(await catalogChecksum(stack.pool)).toBe(before);
    expect(await lastSyncLog(stack.pool, 'anthropic')).toMatchObject({ status: 'failed', error_message: expect.stringMatching(/answered HTML, not JSON$/) });
  });
});

describe('a sync whose upstream sends implausible data', () => {
  test('when OpenRouter lists no models, the sync is rejected and the prices stay', async () => {
    stack.upstream.setBody('openrouter', '{"data":[]}');
    const before = await catalogChecksum(stack.pool);

    const result = await sync(stack, 'openrouter');

    expect(result).toMatchObject({ status: 'rejected', reason: 'upstream returned no models' });
    expect(await catalogChecksum(stack.pool)).toBe(before);
    expect(await lastSyncLog(stack.pool, 'openrouter')).toMatchObject({
      status: 'rejected', error_message: 'upstream returned no models', models_fetched: 0, models_removed: 364,
    });
  });

  test('when models.dev lists anthropic with no models, the sync is rejected and the prices stay', async () => {
    serveEdited<ModelsDevPayload>(stack.upstream, 'models_dev', (payload) => {
      payload.anthropic!.models = {};
    });
    const before = await catalogChecksum(stack.pool);

    const result = await sync(stack, 'anthropic');

    expect(result).toMatchObject({ status: 'rejected', reason: 'upstream returned no models' });
    expect(await catalogChecksum(stack.pool)).toBe(before);
  });

  test('a price ten times higher is rejected, naming the model and the move, and the prices stay', async () => {
    serveEdited<ModelsDevPayload>(stack.upstream, 'models_dev', (payload) => {
      payload.anthropic!.models['claude-sonnet-4-5']!.cost = { input: 30, output: 15, cache_read: 0.3, cache_write: 3.75 };
    });
    const before = await catalogChecksum(stack.pool);

    const result = await sync(stack, 'anthropic');

    const reason = '1 price(s) moved by ×10 or more, e.g. claude-sonnet-4-5 input 3 → 30';
    expect(result).toMatchObject({ status: 'rejected', reason });
    expect(await catalogChecksum(stack.pool)).toBe(before);
    const log = await lastSyncLog(stack.pool, 'anthropic');
    expect(log).toMatchObject({ status: 'rejected', forced: false, models_updated: 1, error_message: reason });
    expect(log.changes).toMatchObject({
      offending: [{ model_id: 'claude-sonnet-4-5', field: 'input', old: '3', new: '30', factor: 10 }],
      changes: [{ model_id: 'claude-sonnet-4-5', change: 'updated' }],
    });
  });

  test('a long-context tier price ten times higher is rejected like a base price', async () => {
    serveEdited<ModelsDevPayload>(stack.upstream, 'models_dev', (payload) => {
      const cost = payload.google!.models['gemini-2.5-pro']!.cost as { tiers: Array<{ input: number }> };
      cost.tiers[0]!.input = 25;
    });
    const before = await catalogChecksum(stack.pool);

    const result = await sync(stack, 'google');

    expect(result).toMatchObject({ status: 'rejected', reason: '1 price(s) moved by ×10 or more, e.g. gemini-2.5-pro tier>200000.input 2.5 → 25' });
    expect(await catalogChecksum(stack.pool)).toBe(before);
  });

  test('a price cut to a tenth is rejected too, also where 0.29 / 0.029 in floats is 9.999999999999998', async () => {
    serveEdited<OpenRouterPayload>(stack.upstream, 'openrouter', (payload) => {
      openRouterModel(payload, 'minimax/minimax-m2.1').pricing.prompt = '0.000000029';
    });
    const before = await catalogChecksum(stack.pool);

    const result = await sync(stack, 'openrouter');

    expect(result).toMatchObject({
      status: 'rejected', reason: '1 price(s) moved by ×10 or more, e.g. minimax/minimax-m2.1 input 0.29 → 0.029',
    });
    expect(await catalogChecksum(stack.pool)).toBe(before);
  });

  test('removing more than 20% of the priced models is rejected, listing them, and the prices stay', async () => {
    // One model more than 20% of OpenRouter's priced models disappears.
    const { rows: [stored] } = await stack.pool.query<{ n: number }>(
      `select count(*)::int as n from model_prices where provider = 'openrouter' and state = 'priced' and removed_at is null`);
    const priced = stored!.n;
    const removing = Math.floor(priced * 0.2) + 1;
    const gone = new Set<string>();
    serveEdited<OpenRouterPayload>(stack.upstream, 'openrouter', (payload) => {
      for (const model of payload.data) {
        if (gone.size < removing && model.pricing.prompt !== '0' && model.pricing.prompt !== '-1') gone.add(model.id);
      }
      payload.data = payload.data.filter((model) => !gone.has(model.id));
    });
    const before = await catalogChecksum(stack.pool);

    const result = await sync(stack, 'openrouter');

    const reason = `would remove ${removing} of ${priced} priced models (more than 20%)`;
    expect(result).toMatchObject({ status: 'rejected', reason });
    expect(await catalogChecksum(stack.pool)).toBe(before);
    const log = await lastSyncLog(stack.pool, 'openrouter');
    expect(log).toMatchObject({ status: 'rejected', models_removed: removing, error_message: reason });
    expect(log.changes).toMatchObject({ offending: expect.arrayContaining([{ model_id: [...gone][0], change: 'removed' }]) });
  });

  test('removing exactly 20% of the priced models (5 of anthropic\'s 25) is applied', async () => {
    serveEdited<ModelsDevPayload>(stack.upstream, 'models_dev', (payload) => {
      const models = payload.anthropic!.models;
      for (const id of Object.keys(models).slice(0, 5)) delete models[id];
    });

    const result = await sync(stack, 'anthropic');
    stack.upstream.setBody('models_dev', null);
    const restore = await sync(stack, 'anthropic');

    expect(result).toMatchObject({ status: 'success', counts: { removed: 5 } });
    expect(restore).toMatchObject({ status: 'success', counts: { added: 5 } });
  });

  test('when models.dev drops the cost of every anthropic model, the sync is rejected and the prices stay', async () => {
    serveEdited<ModelsDevPayload>(stack.upstream, 'models_dev', (payload) => {
      for (const model of Object.values(payload.anthropic!.models)) delete model.cost;
    });
    const before = await catalogChecksum(stack.pool);

    const result = await sync(stack, 'anthropic');

    expect(result).toMatchObject({ status: 'rejected', reason: 'would leave 25 of 25 priced models without a price (more than 20%)' });
    expect(await catalogChecksum(stack.pool)).toBe(before);
    expect((await lastSyncLog(stack.pool, 'anthropic')).changes).toMatchObject({
      offending: expect.arrayContaining([{ model_id: 'claude-sonnet-4-5', change: 'priced → unpriced' }]),
    });
  });

  test('removals and lost prices count together: 3 removed and 4 unpriced of 25 (28%) is rejected', async () => {
    serveEdited<ModelsDevPayload>(stack.upstream, 'models_dev', (payload) => {
      const models = payload.anthropic!.models;
      const ids = Object.keys(models);
      for (const id of ids.slice(0, 3)) delete models[id];
      for (const id of ids.slice(3, 7)) delete models[id]!.cost;
    });
    const before = await catalogChecksum(stack.pool);

    const result = await sync(stack, 'anthropic');

    expect(result).toMatchObject({
      status: 'rejected', reason: 'would remove 3 and leave 4 without a price, of 25 priced models (more than 20%)',
    });
    expect(await catalogChecksum(stack.pool)).toBe(before);
  });

  test('one model losing its price (1 of 25) is applied as an update to unpriced', async () => {
    serveEdited<ModelsDevPayload>(stack.upstream, 'models_dev', (payload) => {
      delete payload.anthropic!.models['claude-3-opus-20240229']!.cost;
    });

    const result = await sync(stack, 'anthropic');

    expect(result).toMatchObject({ status: 'success', counts: { updated: 1 } });
    expect(await storedPrice(stack.pool, 'anthropic', 'claude-3-opus-20240229')).toMatchObject(price({ state: 'unpriced' }));
    stack.upstream.setBody('models_dev', null);
    expect(await sync(stack, 'anthropic')).toMatchObject({ status: 'success', counts: { updated: 1 } });
  });
});

describe('force', () => {
  test('a forced sync applies the ×10 change a normal sync rejected, with its history row', async () => {
    serveEdited<ModelsDevPayload>(stack.upstream, 'models_dev', (payload) => {
      payload.anthropic!.models['claude-haiku-4-5']!.cost = { input: 10, output: 5, cache_read: 0.1, cache_write: 1.25 };
    });
    const rejected = await sync(stack, 'anthropic');
    const version = await catalogVersion(stack.pool);

    const forced = await sync(stack, 'anthropic', { force: true });

    expect(rejected.status).toBe('rejected');
    expect(forced).toMatchObject({ status: 'success', counts: { updated: 1 } });
    expect(await storedPrice(stack.pool, 'anthropic', 'claude-haiku-4-5')).toMatchObject(price({ input: '10', output: '5', cache_read: '0.1', cache_write: '1.25' }));
    const log = await lastSyncLog(stack.pool, 'anthropic');
    expect(log).toMatchObject({ status: 'success', forced: true, models_updated: 1 });
    expect(await history(stack.pool, { syncLogId: Number(log.id) })).toMatchObject([{
      model_id: 'claude-haiku-4-5', change: 'updated',
      old_price: price({ input: '1', output: '5', cache_read: '0.1', cache_write: '1.25' }),
      new_price: price({ input: '10', output: '5', cache_read: '0.1', cache_write: '1.25' }),
    }]);
    expect(await catalogVersion(stack.pool)).toBe(version + 1);
  });

  test('a forced sync applies a removal of more than 20%', async () => {
    serveEdited<ModelsDevPayload>(stack.upstream, 'models_dev', (payload) => {
      const models = payload.anthropic!.models;
      for (const id of Object.keys(models).slice(0, 10)) delete models[id];
    });

    const rejected = await sync(stack, 'anthropic');
    const forced = await sync(stack, 'anthropic', { force: true });

    expect(rejected).toMatchObject({ status: 'rejected', reason: 'would remove 10 of 25 priced models (more than 20%)' });
    expect(forced).toMatchObject({ status: 'success', counts: { removed: 10 } });
    expect((await storedPrice(stack.pool, 'anthropic', 'claude-3-5-haiku-20241022')).removed_at).toBeInstanceOf(Date);
  });
});

describe('a dry run', () => {
  test('changes no price and records the changes it would have made in its sync log row', async () => {
    serveEdited<OpenRouterPayload>(stack.upstream, 'openrouter', (payload) => {
      openRouterModel(payload, 'openai/gpt-4').pricing.completion = '0.00005';
      payload.data = payload.data.filter((model) => model.id !== 'x-ai/grok-4');
    });
    const before = await catalogChecksum(stack.pool);

    const result = await sync(stack, 'openrouter', { dry_run: true });

    expect(result).toMatchObject({ status: 'success', dry_run: true, counts: { updated: 1, removed: 1, added: 0 } });
    expect(await catalogChecksum(stack.pool)).toBe(before);
    const log = await lastSyncLog(stack.pool, 'openrouter');
    expect(log).toMatchObject({ status: 'success', dry_run: true, models_updated: 1, models_removed: 1 });
    // Subset match: the records also carry the dimensions beyond these fields (web search, inherited modalities).
    expect(log.changes).toMatchObject([
      { model_id: 'openai/gpt-4', change: 'updated', old_price: price({ input: '30', output: '60' }), new_price: price({ input: '30', output: '50' }) },
      { model_id: 'x-ai/grok-4', change: 'removed', old_price: price({ input: '3', output: '15', cache_read: '0.75' }), new_price: null },
    ]);
  });
});
