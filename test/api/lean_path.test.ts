// The hot routes have a lean path that skips Express (src/api/lean.ts). It must
// take the requests it claims (its counter proves it answered, not Express),
// and answer them exactly as Express does: same status, headers and body.
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { createApp, createHandler, type AppDeps } from '../../src/api/app.ts';
import { leanPath, type LeanPath } from '../../src/api/lean.ts';
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
let lean: LeanPath;
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
  lean = leanPath(deps);
  combined = createServer(createHandler(createApp(deps), lean));
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

interface Case {
  name: string;
  path: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

const JSON_TYPE = { 'content-type': 'application/json' };
const quote = (body: unknown, headers: Record<string, string> = JSON_TYPE): Omit<Case, 'name'> =>
  ({ path: '/costs/quote', method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });
const usage = { input_tokens: 1000, output_tokens: 500, cache_read_tokens: 2000 };
const item = { provider: 'anthropic', model: 'claude-sonnet-4-5', usage };

/** Requests the lean path claims: it must answer every one itself. */
const taken: Case[] = [
  { name: 'a model by its exact id', path: '/costs/anthropic/claude-sonnet-4-5' },
  { name: 'an OpenRouter id with slashes and a colon', path: '/costs/openrouter/deepseek/deepseek-v4-flash:free' },
  { name: 'a percent-encoded id', path: '/costs/openrouter/openai%2Fgpt-4o' },
  { name: 'an alias', path: '/costs/openai/openai/gpt-4o' },
  { name: 'a dated id resolved to its base model', path: '/costs/openai/gpt-4o-2099-01-01' },
  { name: 'an unknown model (404 with suggestions)', path: '/costs/anthropic/claude-sonet-4-5' },
  { name: 'an unknown provider', path: '/costs/nosuch/model' },
  { name: 'a malformed provider', path: '/costs/No%20Such/model' },
  { name: 'a currency without a rate (422)', path: '/costs/anthropic/claude-sonnet-4-5?currency=ZAR' },
  { name: 'a malformed currency', path: '/costs/anthropic/claude-sonnet-4-5?currency=zar' },
  { name: 'an unknown query parameter', path: '/costs/anthropic/claude-sonnet-4-5?colour=red' },
  { name: 'a repeated query parameter', path: '/costs/anthropic/claude-sonnet-4-5?currency=USD&currency=USD' },
  { name: 'prices at a past time', path: '/costs/anthropic/claude-sonnet-4-5?at=2020-01-01T00:00:00Z' },
  { name: 'a stale If-None-Match', path: '/costs/anthropic/claude-sonnet-4-5', headers: { 'if-none-match': '"catalog-1"' } },
  { name: 'a request id echoed', path: '/costs/anthropic/claude-sonnet-4-5', headers: { 'x-request-id': 'abc-123' } },
  { name: 'a quote', ...quote(item) },
  { name: 'a quote with a charset', ...quote(item, { 'content-type': 'application/json; charset=UTF-8' }) },
  { name: 'a quote as a +json type', ...quote(item, { 'content-type': 'application/vnd.tariff+json' }) },
  { name: 'a gzip-compressed quote', ...quote(item, { ...JSON_TYPE, 'content-encoding': 'gzip' }), body: gzipSync(JSON.stringify(item)) },
  { name: 'a quote after a byte order mark', ...quote(`\ufeff${JSON.stringify(item)}`) },
  { name: 'a quote at a past time', ...quote({ ...item, at: '2020-01-01T00:00:00Z' }) },
  { name: 'a batch quote with a per-item error', ...quote([item, { provider: 'openrouter', model: 'openrouter/auto', usage }]) },
  { name: 'a quote of a dynamic model (422)', ...quote({ provider: 'openrouter', model: 'openrouter/auto', usage }) },
  { name: 'a quote with a negative token count', ...quote({ ...item, usage: { ...usage, input_tokens: -1 } }) },
  { name: 'a quote of an unknown model', ...quote({ ...item, model: 'nope' }) },
  { name: 'a quote with an unknown key', ...quote({ ...item, colour: 'red' }) },
  { name: 'invalid JSON', ...quote('{"provider": [') },
  { name: 'a JSON primitive', ...quote('42') },
  { name: 'only whitespace', ...quote(' \n') },
  { name: 'an empty body', ...quote('') },
  { name: 'a body that is not JSON (415)', ...quote('provider=openai', { 'content-type': 'text/plain' }) },
  { name: 'a body with no content type (415)', ...quote(item, {}) },
  { name: 'an unsupported charset (415)', ...quote(item, { 'content-type': 'application/json; charset=latin1' }) },
  { name: 'an unknown content coding (415)', ...quote(item, { ...JSON_TYPE, 'content-encoding': 'x-unknown' }) },
  { name: 'a body over the limit', ...quote(`{"x":"${'a'.repeat(1_100_000)}"}`) },
  { name: 'a batch over 1,000 items', ...quote(Array.from({ length: 1001 }, () => item)) },
];

/** Requests of the same routes that the lean path leaves to Express. */
const declined: Case[] = [
  { name: 'a HEAD', path: '/costs/anthropic/claude-sonnet-4-5', method: 'HEAD' },
  { name: 'a trailing slash', path: '/costs/anthropic/claude-sonnet-4-5/' },
  { name: 'an undecodable segment', path: '/costs/anthropic/%E0%A4%A' },
  { name: 'a quote with a query string', ...quote(item), path: '/costs/quote?x=1' },
];

/** What came over the wire, but for the headers that differ per response. */
function answer(server: Server, { path, method, headers, body }: Case): Promise<{ status: number; headers: string[]; body: Buffer }> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: method ?? (body === undefined ? 'GET' : 'POST'), headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const raw = res.rawHeaders;
        const kept = raw.flatMap((name, i) => (i % 2 === 0 && !PER_RESPONSE.has(name.toLowerCase()) ? [`${name}: ${raw[i + 1]}`] : []));
        resolve({ status: res.statusCode ?? 0, headers: kept, body: Buffer.concat(chunks) });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

const PER_RESPONSE = new Set(['date', 'x-request-id', 'connection', 'keep-alive']);

describe('the lean path for hot routes', () => {
  test.each(taken)('answers $name itself, byte for byte as Express does', async (testCase) => {
    const viaExpress = await answer(expressOnly, testCase);
    const before = lean.taken;
    const viaLean = await answer(combined, testCase);
    expect(lean.taken - before).toBe(1);
    expect(viaLean.status).toBe(viaExpress.status);
    expect(viaLean.headers).toEqual(viaExpress.headers);
    expect(viaLean.body.equals(viaExpress.body)).toBe(true);
  });

  test.each(declined)('leaves $name to Express', async (testCase) => {
    const viaExpress = await answer(expressOnly, testCase);
    const before = lean.taken;
    const viaCombined = await answer(combined, testCase);
    expect(lean.taken - before).toBe(0);
    expect(viaCombined.status).toBe(viaExpress.status);
    expect(viaCombined.headers).toEqual(viaExpress.headers);
  });

  test('answers a matching If-None-Match itself with the same 304 as Express', async () => {
    const etag = (await fetch(`${base(expressOnly)}/costs/anthropic/claude-sonnet-4-5`)).headers.get('etag')!;
    const testCase = { name: '304', path: '/costs/anthropic/claude-sonnet-4-5', headers: { 'if-none-match': etag } };
    const viaExpress = await answer(expressOnly, testCase);
    const before = lean.taken;
    expect(viaExpress.status).toBe(304);
    expect(await answer(combined, testCase)).toEqual(viaExpress);
    expect(lean.taken - before).toBe(1);
  });

  test('a quote whose price names a model in non-ASCII comes as ASCII JSON with its byte length, the name intact', async () => {
    // models.dev names this model with an en dash (U+2013).
    const testCase = { name: 'non-ASCII', ...quote({ provider: 'nano-gpt', model: 'gemini-2.5-flash-preview-09-2025-thinking', usage }) };
    for (const server of [combined, expressOnly]) {
      const { status, headers, body } = await answer(server, testCase);
      expect(status).toBe(200);
      expect(headers).toContain(`Content-Length: ${body.length}`);
      expect(body.every((byte) => byte < 0x80)).toBe(true);
      expect(JSON.parse(body.toString('utf8')).price.name).toBe('Gemini 2.5 Flash Preview (09/2025) \u2013 Thinking');
    }
  });

  test('a caller\'s request id is echoed on both paths, and a new one made when it is not an id', async () => {
    const init = { headers: { 'x-request-id': 'abc-123' } };
    expect((await fetch(`${base(combined)}/costs/anthropic/claude-sonnet-4-5`, init)).headers.get('x-request-id')).toBe('abc-123');
    expect((await fetch(`${base(expressOnly)}/costs/anthropic/claude-sonnet-4-5`, init)).headers.get('x-request-id')).toBe('abc-123');
    const odd = { headers: { 'x-request-id': '../etc/passwd' } };
    expect((await fetch(`${base(combined)}/costs/anthropic/claude-sonnet-4-5`, odd)).headers.get('x-request-id')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
