// An instance reloads only what changed (catalog_changes); whatever the mix of
// changes, the catalog it ends up with is exactly what a full load reads.
import { CatalogCache } from '../../src/cache/catalog.ts';
import { CatalogView, presentConverted, presentEntry } from '@tariff/pricing';
import { costsJson, type CatalogBodyOptions } from '../../src/serving/catalog_body.ts';
import { enqueuePriceChanges } from '../../src/webhooks/outbox.ts';
import { setOverride, clearOverride } from '../../src/store/overrides.ts';
import { costOf, logger, startServingStack, type ServingStack } from './helpers.ts';

let stack: ServingStack;

beforeAll(async () => {
  stack = await startServingStack({ PROVIDERS_IN_USE: 'anthropic,google' });
});

afterAll(async () => {
  await stack.release();
});

/** What a freshly started instance serves. */
async function fullLoad() {
  const fresh = new CatalogCache(stack.pool, logger);
  await fresh.reload();
  return fresh.current;
}

/** The GET /costs body of a view, parsed. */
const body = (view: CatalogView, options: CatalogBodyOptions = { rate: undefined, stale: false }) => JSON.parse(Buffer.concat(costsJson(view, options)).toString('utf8'));
const served = (cache: CatalogCache) => body(cache.current);

describe('incremental reloads', () => {
  test('after updates, additions, removals and overrides, the incrementally reloaded catalog equals a full load', async () => {
    const cache = new CatalogCache(stack.pool, logger);
    await cache.reload();
    const start = cache.current.version;

    await stack.syncModelsDev('anthropic', (payload) => {
      costOf(payload, 'anthropic', 'claude-sonnet-4-5').input = 3.3;
      delete payload.anthropic!.models['claude-3-haiku-20240307'];
      payload.anthropic!.models['claude-test-new'] = { ...payload.anthropic!.models['claude-opus-4-1']!, cost: { input: 1, output: 2 } };
    });
    await cache.reload();
    await setOverride(stack.pool, enqueuePriceChanges, 'google', 'gemini-2.5-pro', {
      reason: 'negotiated', state: 'priced', input: '1', output: '8', cache_read: null, cache_write: null, reasoning: null, request: null, tiers: [],
    });
    await setOverride(stack.pool, enqueuePriceChanges, 'openrouter', 'acme/private-model', {
      reason: 'private', state: 'priced', input: '1', output: '1', cache_read: null, cache_write: null, reasoning: null, request: null, tiers: [],
    });
    await cache.reload();
    await clearOverride(stack.pool, enqueuePriceChanges, 'openrouter', 'acme/private-model', 'done');
    await stack.syncModelsDev('google', (payload) => {
      costOf(payload, 'google', 'gemini-2.5-flash').output = 2.6;
    });
    await cache.reload();

    const full = await fullLoad();
    expect(cache.current.version).toBe(full.version);
    expect(cache.current.version).toBeGreaterThan(start + 4);
    expect(served(cache)).toEqual(body(full));
    expect(cache.current.byProvider.get('anthropic')?.get('claude-3-haiku-20240307')?.removed_at).toEqual(expect.any(String));
    expect(cache.current.byProvider.get('anthropic')?.get('claude-test-new')).toMatchObject({ input: '1', output: '2' });
    expect(cache.current.byProvider.get('google')?.get('gemini-2.5-pro')).toMatchObject({ input: '1', source: 'manual' });
    expect(cache.current.byProvider.get('openrouter')?.has('acme/private-model')).toBe(false);
  });

  test('an instance older than the changes the database keeps reloads everything', async () => {
    const cache = new CatalogCache(stack.pool, logger);
    await cache.reload();
    await stack.syncModelsDev('anthropic', (payload) => {
      costOf(payload, 'anthropic', 'claude-opus-4-1').output = 80;
    });
    // As if thousands of versions had passed and their changes were pruned.
    await stack.pool.query('update catalog_version set changes_since = version');
    await stack.pool.query('delete from catalog_changes');

    await cache.reload();

    expect(cache.current.byProvider.get('anthropic')?.get('claude-opus-4-1')).toMatchObject({ output: '80' });
    expect(served(cache)).toEqual(body(await fullLoad()));
  });
});

describe('the GET /costs body assembled from per-provider fragments', () => {
  const rate = { base: 'USD', quote: 'ZAR', rate: '18.25', market_time: '2026-01-01T00:00:00.000Z', source: 'yahoo_finance' };

  test('is the serialised body, with and without a currency and a provider, before and after a delta reuses fragments', async () => {
    const cache = new CatalogCache(stack.pool, logger);
    await cache.reload();
    const check = () => {
      // The same view with every provider's model map copied: no fragment is cached for the copies, so each is built anew.
      const view = cache.current;
      const fresh = new CatalogView({
        version: view.version, changed_at: view.changedAt, synced: view.synced, providers: [...view.providers], rates: [...view.rates.values()],
        byProvider: new Map([...view.byProvider].map(([provider, models]) => [provider, new Map(models)])),
      });
      for (const options of [
        { rate: undefined, stale: false }, { rate, stale: false }, { provider: 'google', rate: undefined, stale: true },
        { rate: undefined, stale: false, at: new Date('2026-01-01T00:00:00Z') },
      ]) {
        const text = Buffer.concat(costsJson(cache.current, options)).toString('utf8');
        const parsed = JSON.parse(text);
        // Exactly the text JSON.stringify gives for the value it holds, and the text fragments built anew give.
        expect(text).toBe(JSON.stringify(parsed));
        expect(text).toBe(Buffer.concat(costsJson(fresh, options)).toString('utf8'));
        expect(parsed).toMatchObject({ catalog_version: cache.current.version, stale: options.stale, ...(options.at ? { at: options.at.toISOString() } : {}) });
        const providers = [...cache.current.byProvider.keys()].filter((id) => options.provider === undefined || id === options.provider);
        expect(Object.keys(parsed.providers).sort()).toEqual(providers.sort());
        const models = [...cache.current.byProvider.get('google')!.values()].filter((entry) => entry.removed_at === null);
        expect(parsed.providers.google.models).toEqual(models.map((entry) =>
          (options.rate ? { ...presentEntry(entry), converted: presentConverted(entry, options.rate) } : presentEntry(entry))));
      }
    };
    check();
    check();
    const before = cache.current;
    await stack.syncModelsDev('anthropic', (payload) => {
      costOf(payload, 'anthropic', 'claude-sonnet-4-5').output = 16;
    });
    await cache.reload();
    // Providers the sync did not touch keep the very same model map (and so their fragments).
    expect(cache.current.byProvider.get('google')).toBe(before.byProvider.get('google'));
    expect(cache.current.byProvider.get('anthropic')).not.toBe(before.byProvider.get('anthropic'));
    check();
  });
});
