// The hot routes have a path that skips Express (src/api/fast.ts). Whatever it
// answers must be exactly what Express answers: same status, headers and body.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createApp, createHandler, type AppDeps } from '../../src/api/app.ts';
import { createMetrics } from '../../src/api/metrics.ts';
import { CatalogCache } from '../../src/cache/catalog.ts';
import { CatalogListener } from '../../src/cache/listener.ts';
import { createPool, type Pool } from '../../src/db/pool.ts';
import { prepareDatabase } from '../../src/service.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { testLogger } from '../support/env.ts';
import { testConfig } from '../support/stack.ts';

const logger = testLogger();
let db: TestDatabase;
let pool: Pool;
let expressOnly: Server;
let combined: Server;
const base = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

beforeAll(async () => {
  db = await createTestDatabase();
  const config = testConfig(db.url);
  await prepareDatabase(db.url, config, logger);
  pool = createPool({ connectionString: db.url, applicationName: 'fast-path-test', logger });
  const catalog = new CatalogCache(pool, logger);
  await catalog.reload();
  const deps: AppDeps = {
    pool, catalog, logger,
    metrics: createMetrics(catalog, pool),
    listener: new CatalogListener({ connectionString: db.url, catalog, logger }),
    admin: { config, writer: pool, jobs: undefined },
  };
  expressOnly = createServer(createApp(deps));
  combined = createServer(createHandler(deps));
  await Promise.all([expressOnly, combined].map((server) => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))));
});

afterAll(async () => {
  await Promise.all([expressOnly, combined].map((server) => new Promise((resolve) => {
    server.closeAllConnections();
    server.close(resolve);
  })));
  await pool.end();
  await db.drop();
});

interface Case { name: string; path: string; init?: RequestInit }

const json = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const usage = { input_tokens: 1000, output_tokens: 500, cache_read_tokens: 2000 };

const cases: Case[] = [
  { name: 'a model by its exact id', path: '/costs/anthropic/claude-sonnet-4-5' },
  { name: 'an OpenRouter id with slashes and a colon', path: '/costs/openrouter/deepseek/deepseek-v4-flash:free' },
  { name: 'a percent-encoded id', path: '/costs/openrouter/openai%2Fgpt-4o' },
  { name: 'an alias', path: '/costs/openai/openai/gpt-4o' },
  { name: 'a dated id resolved to its base model', path: '/costs/openai/gpt-4o-2099-01-01' },
  { name: 'an unknown model (404 with suggestions)', path: '/costs/anthropic/claude-sonet-4-5' },
  { name: 'an unknown provider', path: '/costs/nosuch/model' },
  { name: 'a currency without a rate (422)', path: '/costs/anthropic/claude-sonnet-4-5?currency=ZAR' },
  { name: 'a malformed currency', path: '/costs/anthropic/claude-sonnet-4-5?currency=zar' },
  { name: 'an unknown query parameter', path: '/costs/anthropic/claude-sonnet-4-5?colour=red' },
  { name: 'a stale If-None-Match', path: '/costs/anthropic/claude-sonnet-4-5', init: { headers: { 'if-none-match': '"catalog-1"' } } },
  { name: 'a request id echoed', path: '/costs/anthropic/claude-sonnet-4-5', init: { headers: { 'x-request-id': 'abc-123' } } },
  { name: 'a quote', path: '/costs/quote', init: json({ provider: 'anthropic', model: 'claude-sonnet-4-5', usage }) },
  { name: 'a batch quote with a per-item error', path: '/costs/quote', init: json([
    { provider: 'anthropic', model: 'claude-sonnet-4-5', usage }, { provider: 'openrouter', model: 'openrouter/auto', usage },
  ]) },
  { name: 'a quote of a dynamic model (422)', path: '/costs/quote', init: json({ provider: 'openrouter', model: 'openrouter/auto', usage }) },
  { name: 'a quote with a negative token count', path: '/costs/quote', init: json({ provider: 'anthropic', model: 'claude-sonnet-4-5', usage: { ...usage, input_tokens: -1 } }) },
  { name: 'a quote of an unknown model', path: '/costs/quote', init: json({ provider: 'anthropic', model: 'nope', usage }) },
  { name: 'invalid JSON', path: '/costs/quote', init: { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"provider": [' } },
  { name: 'a JSON primitive', path: '/costs/quote', init: { method: 'POST', headers: { 'content-type': 'application/json' }, body: '42' } },
  { name: 'an empty body', path: '/costs/quote', init: { method: 'POST', headers: { 'content-type': 'application/json' }, body: '' } },
  { name: 'a body over the limit', path: '/costs/quote', init: { method: 'POST', headers: { 'content-type': 'application/json' }, body: `{"x":"${'a'.repeat(1_100_000)}"}` } },
  { name: 'a batch over 1,000 items', path: '/costs/quote', init: json(Array.from({ length: 1001 }, () => ({ provider: 'anthropic', model: 'claude-sonnet-4-5', usage }))) },
];

async function answer(server: Server, { path, init }: Case) {
  const res = await fetch(base(server) + path, init);
  const headers = Object.fromEntries([...res.headers].filter(([name]) => !['date', 'x-request-id', 'connection', 'keep-alive'].includes(name)));
  return { status: res.status, headers, requestId: res.headers.get('x-request-id'), body: await res.text() };
}

describe('the fast path for hot routes', () => {
  test.each(cases)('answers $name exactly as Express does', async (testCase) => {
    const viaExpress = await answer(expressOnly, testCase);
    const viaFast = await answer(combined, testCase);
    expect(viaFast).toMatchObject({ status: viaExpress.status, headers: viaExpress.headers, body: viaExpress.body });
    expect(viaFast.requestId).toMatch(/^[\w.:-]{1,128}$/);
  });

  test('answers a matching If-None-Match with the same 304 as Express', async () => {
    const etag = (await fetch(`${base(expressOnly)}/costs/anthropic/claude-sonnet-4-5`)).headers.get('etag')!;
    const testCase = { name: '304', path: '/costs/anthropic/claude-sonnet-4-5', init: { headers: { 'if-none-match': etag } } };
    const viaExpress = await answer(expressOnly, testCase);
    expect(viaExpress.status).toBe(304);
    expect(await answer(combined, testCase)).toMatchObject({ status: 304, headers: viaExpress.headers, body: '' });
  });

  test('a caller\'s request id is echoed on both paths', async () => {
    const init = { headers: { 'x-request-id': 'abc-123' } };
    expect((await fetch(`${base(combined)}/costs/anthropic/claude-sonnet-4-5`, init)).headers.get('x-request-id')).toBe('abc-123');
    expect((await fetch(`${base(expressOnly)}/costs/anthropic/claude-sonnet-4-5`, init)).headers.get('x-request-id')).toBe('abc-123');
  });
});
