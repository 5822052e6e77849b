// Conditional GETs: the ETag is the catalog version (and, for GET /costs,
// whose body holds each provider's last sync time, the count of syncs), so a
// caller holding the current one gets 304 without a body, and any price change
// makes it stale.
import { catalogVersion, costOf, request, servingInstance, type CostsBody, type ModelBody } from './helpers.ts';
import { until } from '../support/poll.ts';

const MODEL_PATH = '/costs/anthropic/claude-sonnet-4-5';

const serving = servingInstance();

const ifNoneMatch = (etag: string) => ({ headers: { 'if-none-match': etag } });

describe('ETags on the catalog', () => {
  test.each(['/costs', '/costs?provider=anthropic', MODEL_PATH])('GET %s with the ETag of a previous response is a 304 without a body, though fetch() also sends Cache-Control: no-cache', async (path) => {
    const first = await request(serving.api.baseUrl, path);
    const etag = first.headers.get('etag');
    const { version, synced } = serving.api.catalog.current;
    expect(etag).toBe(path === MODEL_PATH ? `"catalog-${version}"` : `"catalog-${version}.${synced}"`);

    const again = await request(serving.api.baseUrl, path, ifNoneMatch(etag ?? ''));

    expect(again.status).toBe(304);
    expect(again.body).toBeNull();
    expect(again.headers.get('etag')).toBe(etag);
  });

  test('an If-None-Match list naming the current ETag, weak or strong, is a 304', async () => {
    const etag = serving.api.catalog.current.costsEtag;

    expect((await request(serving.api.baseUrl, '/costs', ifNoneMatch(`"catalog-0", W/${etag}`))).status).toBe(304);
    expect((await request(serving.api.baseUrl, MODEL_PATH, ifNoneMatch('*'))).status).toBe(304);
  });

  test('GET /costs with an ETag of another version is a 200 with the whole body', async () => {
    const res = await request<CostsBody>(serving.api.baseUrl, '/costs', ifNoneMatch('"catalog-0"'));

    expect(res.status).toBe(200);
    expect(res.body.catalog_version).toBe(serving.api.catalog.current.version);
  });

  test('after a price change, the old ETag gets a 200 with the new price and a new ETag, which then gets 304', async () => {
    const old = (await request(serving.api.baseUrl, MODEL_PATH)).headers.get('etag') ?? '';
    const oldCosts = (await request(serving.api.baseUrl, '/costs')).headers.get('etag') ?? '';
    expect(oldCosts).toBe(serving.api.catalog.current.costsEtag);

    await serving.stack.syncModelsDev('anthropic', (payload) => {
      costOf(payload, 'anthropic', 'claude-sonnet-4-5').input = 3.3;
    });
    const version = await catalogVersion(serving.stack.pool);
    await until('the instance to load the new version', async () => (serving.api.catalog.current.version === version ? true : undefined));

    const model = await request<ModelBody>(serving.api.baseUrl, MODEL_PATH, ifNoneMatch(old));
    expect(model.status).toBe(200);
    expect(model.body).toMatchObject({ catalog_version: version, input_cost_per_1m_tokens: '3.3' });
    const fresh = model.headers.get('etag');
    expect(fresh).toBe(`"catalog-${version}"`);
    expect(fresh).not.toBe(old);

    const costs = await request<CostsBody>(serving.api.baseUrl, '/costs', ifNoneMatch(oldCosts));
    expect(costs.status).toBe(200);
    const freshCosts = costs.headers.get('etag');
    expect(freshCosts).toBe(serving.api.catalog.current.costsEtag);
    expect(freshCosts).not.toBe(oldCosts);
    expect(costs.body.providers.anthropic?.models.find((m) => m.model_id === 'claude-sonnet-4-5'))
      .toMatchObject({ input_cost_per_1m_tokens: '3.3' });

    expect((await request(serving.api.baseUrl, MODEL_PATH, ifNoneMatch(fresh ?? ''))).status).toBe(304);
    expect((await request(serving.api.baseUrl, '/costs', ifNoneMatch(freshCosts ?? ''))).status).toBe(304);
  });
});
