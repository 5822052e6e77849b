import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { fetchUpstream, UpstreamError, type UpstreamLimits } from '../../src/sources/fetch.ts';
import { parseExactJson } from '../../src/sources/json.ts';
import { parseOpenRouter } from '../../src/sources/openrouter.ts';
import { OPENROUTER, fixtureText } from './fixtures.ts';

const body = fixtureText(OPENROUTER);
const gzipped = gzipSync(body);
const brotli = brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 5 } });
const LIMITS: UpstreamLimits = {
  connectTimeoutMs: 1_000, headersTimeoutMs: 2_000, bodyTimeoutMs: 2_000, totalTimeoutMs: 10_000, maxBytes: 1024 * 1024,
};

const json = { 'content-type': 'application/json; charset=utf-8' };
const requests: Array<{ path: string; headers: IncomingHttpHeaders }> = [];
const timers = new Set<NodeJS.Timeout>();

/** A fake upstream: each path is one behaviour of a real or broken one. */
const routes: Record<string, (res: ServerResponse) => void> = {
  '/gzip': (res) => res.writeHead(200, { ...json, 'content-encoding': 'gzip' }).end(gzipped),
  '/br': (res) => res.writeHead(200, { ...json, 'content-encoding': 'br' }).end(brotli),
  '/plain': (res) => res.writeHead(200, json).end(body),
  '/moved': (res) => res.writeHead(302, { location: '/gzip' }).end(),
  '/hop/1': (res) => res.writeHead(302, { location: '/hop/2' }).end(),
  '/hop/2': (res) => res.writeHead(302, { location: '/hop/3' }).end(),
  '/hop/3': (res) => res.writeHead(302, { location: '/hop/4' }).end(),
  '/hop/4': (res) => res.writeHead(302, { location: '/gzip' }).end(),
  '/broken': (res) => res.writeHead(500, { 'content-type': 'text/plain' }).end('upstream stack trace with secrets'),
  '/busy': (res) => res.writeHead(429, { 'retry-after': '7' }).end(),
  '/unavailable': (res) =>
    res.writeHead(503, { 'retry-after': new Date(Date.now() + 120_000).toUTCString() }).end(),
  '/login': (res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!DOCTYPE html><p>sign in</p>'),
  '/announced-huge': (res) => res.writeHead(200, { ...json, 'content-length': String(Buffer.byteLength(body)) }).end(body),
  '/truncated': (res) => res.writeHead(200, json).end(body.slice(0, 100_000)),
  '/silent': () => {},
  '/drip': (res) => {
    res.writeHead(200, json);
    res.write('{"data": [');
    // undici's body timer has a resolution of about half a second, so drip well below it.
    const timer = setInterval(() => res.write(' '), 2_000);
    timers.add(timer);
    res.on('close', () => clearInterval(timer));
  },
  '/trickle': (res) => {
    res.writeHead(200, json);
    const timer = setInterval(() => res.write(' '), 50);
    timers.add(timer);
    res.on('close', () => clearInterval(timer));
  },
};

let server: Server;
let origin: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://upstream');
    requests.push({ path: url.pathname, headers: req.headers });
    const route = routes[url.pathname];
    if (route) route(res);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const timer of timers) clearInterval(timer);
  server.closeAllConnections();
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
});

/** The UpstreamError a fetch fails with; any other outcome fails the test. */
async function failure(path: string, limits: Partial<UpstreamLimits> = {}): Promise<UpstreamError> {
  try {
    await fetchUpstream(`${origin}${path}`, { ...LIMITS, ...limits });
  } catch (error) {
    if (error instanceof UpstreamError) return error;
    throw error;
  }
  throw new Error(`${path} was expected to fail`);
}

describe('fetchUpstream against local HTTP servers', () => {
  test('a gzipped OpenRouter list arrives decompressed and parses to its 364 models', async () => {
    const text = await fetchUpstream(`${origin}/gzip`, LIMITS);

    expect(text).toBe(body);
    expect(parseOpenRouter(parseExactJson(text)).records).toHaveLength(364);
    expect(requests.at(-1)?.headers).toMatchObject({ accept: 'application/json', 'accept-encoding': 'gzip, br' });
  });

  test('brotli and uncompressed bodies arrive as sent', async () => {
    expect(await fetchUpstream(`${origin}/br`, LIMITS)).toBe(body);
    expect(await fetchUpstream(`${origin}/plain`, LIMITS)).toBe(body);
  });

  test('caller headers are sent along', async () => {
    await fetchUpstream(`${origin}/plain`, { ...LIMITS, headers: { 'user-agent': 'tariff-test' } });
    expect(requests.at(-1)?.headers['user-agent']).toBe('tariff-test');
  });

  test('a 302 to another path is followed', async () => {
    expect(await fetchUpstream(`${origin}/moved`, LIMITS)).toBe(body);
  });

  test('a fourth redirect in a row is not followed', async () => {
    const error = await failure('/hop/1');
    expect(error.status).toBe(302);
    expect(error.message).toBe(`GET ${origin}/hop/1 → ${origin}/hop/4 answered 302`);
  });

  test('a 500 is an UpstreamError with the status, naming the URL but not its query or the body', async () => {
    const error = await failure('/broken?api_key=s3cret');

    expect(error.status).toBe(500);
    expect(error.message).toBe(`GET ${origin}/broken answered 500`);
    expect(error.message).not.toMatch(/s3cret|stack trace/);
  });

  test('a 429 with Retry-After: 7 says to come back in 7 seconds', async () => {
    const error = await failure('/busy');
    expect(error.status).toBe(429);
    expect(error.retryAfterSeconds).toBe(7);
  });

  test('a Retry-After HTTP date becomes the seconds until then', async () => {
    const error = await failure('/unavailable');
    expect(error.status).toBe(503);
    expect(error.retryAfterSeconds).toBeGreaterThan(100);
    expect(error.retryAfterSeconds).toBeLessThanOrEqual(120);
  });

  test('an HTML page answered with 200 is rejected, not parsed', async () => {
    expect((await failure('/login')).message).toBe(`GET ${origin}/login answered HTML, not JSON`);
  });

  test('a server that accepts and never answers is given up on after the headers timeout', async () => {
    const error = await failure('/silent', { headersTimeoutMs: 200 });
    expect(error.message).toMatch(/^GET .*\/silent failed: .*headers timeout/i);
    expect(error.status).toBeUndefined();
  });

  test('a body that drips slower than the body timeout is given up on', async () => {
    const error = await failure('/drip', { bodyTimeoutMs: 200 });
    expect(error.message).toMatch(/^GET .*\/drip failed: .*body timeout/i);
  });

  test('a body that keeps trickling is cut off by the total timeout', async () => {
    const error = await failure('/trickle', { bodyTimeoutMs: 1_000, totalTimeoutMs: 300 });
    expect(error.message).toBe(`GET ${origin}/trickle failed: took longer than 300 ms`);
  });

  test('the caller can abort a request', async () => {
    const controller = new AbortController();
    const pending = failure('/trickle', { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    expect((await pending).message).toBe(`GET ${origin}/trickle failed: was aborted`);
  });

  test('a body over maxBytes after decompression is rejected while streaming', async () => {
    // The gzipped list is far smaller than the limit; decompressed, it is over it.
    expect(gzipped.length).toBeLessThan(100_000);
    expect((await failure('/gzip', { maxBytes: 100_000 })).message).toBe(`GET ${origin}/gzip body is over the 100000-byte limit`);
  });

  test('a content-length over maxBytes is rejected before the body is read', async () => {
    expect((await failure('/announced-huge', { maxBytes: 100_000 })).message)
      .toBe(`GET ${origin}/announced-huge announced ${Buffer.byteLength(body)} bytes, over the 100000-byte limit`);
  });

  test('a truncated JSON body is fetched whole but does not parse', async () => {
    const text = await fetchUpstream(`${origin}/truncated`, LIMITS);
    expect(text).toHaveLength(100_000);
    expect(() => parseExactJson(text)).toThrow(/^invalid JSON at position/);
  });
});
