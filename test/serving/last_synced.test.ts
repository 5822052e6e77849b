// A successful sync that changes no price still moves the provider's
// last_synced_at: every instance serves the new time, and GET /costs (whose
// body holds it) changes its ETag, while the catalog version, and the ETag of
// the price routes, stay as they were.
import type { ApiInstance } from '../../src/service.ts';
import { catalogVersion, request, startServingStack, type CostsBody, type ServingStack } from './helpers.ts';
import { until } from '../support/poll.ts';

let stack: ServingStack;
let api: ApiInstance;

beforeAll(async () => {
  // A backstop that never runs during the test: only the notification can bring the new time.
  stack = await startServingStack({ CATALOG_CHECK_INTERVAL_MS: '600000' });
  api = await stack.startInstance();
});

afterAll(async () => {
  await stack.release();
});

async function syncedAt(): Promise<{ at: string | null; etag: string | null; version: string | null }> {
  const response = await request<CostsBody & { providers: Record<string, { last_synced_at: string | null }> }>(api.baseUrl, '/costs?provider=anthropic');
  return {
    at: response.body.providers.anthropic!.last_synced_at,
    etag: response.headers.get('etag'),
    version: response.headers.get('x-catalog-version'),
  };
}

test('two identical syncs: the second sync\'s time is served, under a new GET /costs ETag and the same catalog version', async () => {
  await stack.syncModelsDev('anthropic', () => undefined);
  const first = await until('the first sync time', async () => {
    const served = await syncedAt();
    return served.at !== null ? served : undefined;
  });
  const version = await catalogVersion(stack.pool);
  const model = await request(api.baseUrl, '/costs/anthropic/claude-sonnet-4-5');

  const result = await stack.syncModelsDev('anthropic', () => undefined);
  expect(result).toMatchObject({ status: 'success', counts: { added: 0, updated: 0, removed: 0 } });

  const second = await until('the second sync time', async () => {
    const served = await syncedAt();
    return served.at !== first.at ? served : undefined;
  });
  const { rows: [stored] } = await stack.pool.query<{ at: Date }>(`select last_synced_at as at from providers where id = 'anthropic'`);
  expect(second.at).toBe(stored!.at.toISOString());
  expect(Date.parse(second.at!)).toBeGreaterThan(Date.parse(first.at!));
  expect(await catalogVersion(stack.pool)).toBe(version);
  expect(second.version).toBe(first.version);
  expect(second.etag).not.toBe(first.etag);
  // The price routes' bodies did not change, and neither did their ETag.
  expect((await request(api.baseUrl, '/costs/anthropic/claude-sonnet-4-5')).headers.get('etag')).toBe(model.headers.get('etag'));
  // A client holding the first GET /costs ETag gets the new body, not a 304.
  const revalidated = await request(api.baseUrl, '/costs?provider=anthropic', { headers: { 'if-none-match': first.etag! } });
  expect(revalidated.status).toBe(200);
});
