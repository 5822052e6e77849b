// The HTTP functions both request paths share (src/api/http.ts): the request
// id, the content type, and the JSON body with its limit and strictness,
// exercised through a real node:http server.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { AppError } from '../../src/http/errors.ts';
import { isJsonContentType, parseContentType, readJsonBody, requestId, writeReply } from '../../src/http/reply.ts';

const LIMIT = 64;
let server: Server;
let url: string;

beforeAll(async () => {
  // Answers what readJsonBody made of the request: the parsed body, or the error it refused it with.
  server = createServer((req, res) => {
    readJsonBody(req, LIMIT).then(
      (body) => writeReply(res, requestId(req), { status: 200, body: JSON.stringify({ body: body ?? null }) }),
      (err: AppError) => writeReply(res, requestId(req), { status: err.status, body: JSON.stringify({ code: err.code, message: err.message }) }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

async function post(body: string | Buffer | undefined, headers: Record<string, string> = { 'content-type': 'application/json' }) {
  const res = await fetch(url, { method: 'POST', headers, ...(body === undefined ? {} : { body }) });
  return { status: res.status, json: (await res.json()) as { body?: unknown; code?: string; message?: string } };
}

describe('readJsonBody', () => {
  test('parses a JSON object or array', async () => {
    expect(await post('{"a":1}')).toEqual({ status: 200, json: { body: { a: 1 } } });
    expect(await post(' \r\n\t[1,2]')).toEqual({ status: 200, json: { body: [1, 2] } });
  });

  test('a request without a body has none, whatever its content type', async () => {
    expect(await post(undefined)).toEqual({ status: 200, json: { body: null } });
    expect(await post('', { 'content-type': 'text/plain' })).toEqual({ status: 200, json: { body: null } });
  });

  test.each(['42', '"text"', 'null', 'true', ' ', '{"a":', '{"a":1}x'])('refuses %j as invalid_json: only an object or array is a body', async (text) => {
    expect(await post(text)).toEqual({ status: 400, json: { code: 'invalid_json', message: 'body: request body is not valid JSON' } });
  });

  test('accepts a body of exactly the limit and refuses one byte more with 413, declared or streamed', async () => {
    const exactly = `{"a":"${'x'.repeat(LIMIT - 8)}"}`;
    expect(exactly).toHaveLength(LIMIT);
    expect((await post(exactly)).status).toBe(200);
    const over = `{"a":"${'x'.repeat(LIMIT - 7)}"}`;
    expect(await post(over)).toEqual({ status: 413, json: { code: 'body_too_large', message: 'request body is larger than the limit' } });
    const chunked = new Blob([over]).stream();
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: chunked, duplex: 'half' } as RequestInit);
    expect(res.status).toBe(413);
  });

  test('decompresses gzip, deflate and br, and applies the limit to the decompressed size', async () => {
    const body = '{"a":1}';
    for (const [coding, bytes] of [['gzip', gzipSync(body)], ['deflate', deflateSync(body)], ['br', brotliCompressSync(body)]] as const) {
      expect(await post(bytes, { 'content-type': 'application/json', 'content-encoding': coding })).toEqual({ status: 200, json: { body: { a: 1 } } });
    }
    const bomb = gzipSync(`{"a":"${' '.repeat(10 * LIMIT)}"}`);
    expect(bomb.length).toBeLessThan(LIMIT);
    expect((await post(bomb, { 'content-type': 'application/json', 'content-encoding': 'gzip' })).status).toBe(413);
  });

  test('refuses an unknown content coding and undecodable compressed bytes', async () => {
    expect(await post('{}', { 'content-type': 'application/json', 'content-encoding': 'x-zip' }))
      .toEqual({ status: 415, json: { code: 'encoding_unsupported', message: 'body: unsupported content encoding "x-zip"' } });
    expect(await post('{}', { 'content-type': 'application/json', 'content-encoding': 'gzip' })).toMatchObject({ status: 400, json: { code: 'invalid_body' } });
  });

  test('refuses a body that is not JSON with 415, naming the content-type header', async () => {
    for (const type of ['text/plain', 'application/jsonx', 'json', 'application/x-www-form-urlencoded']) {
      expect(await post('{}', { 'content-type': type }))
        .toEqual({ status: 415, json: { code: 'unsupported_media_type', message: 'content-type: request bodies must be application/json' } });
    }
  });

  test('reads UTF-8 (a byte order mark dropped) and UTF-16 when declared; refuses other charsets', async () => {
    expect(await post('\ufeff{"a":"é"}')).toEqual({ status: 200, json: { body: { a: 'é' } } });
    const utf16 = Buffer.from('{"a":"é"}', 'utf16le');
    expect(await post(utf16, { 'content-type': 'application/json; charset=utf-16le' })).toEqual({ status: 200, json: { body: { a: 'é' } } });
    expect(await post('{}', { 'content-type': 'application/json; charset=latin1' }))
      .toEqual({ status: 415, json: { code: 'charset_unsupported', message: 'body: unsupported charset "LATIN1"' } });
  });
});

describe('content types', () => {
  test.each([
    ['application/json', true], ['Application/JSON; charset=utf-8', true], ['application/problem+json', true],
    ['application/json ; charset="utf-8"', true], ['application/jsonx', false], ['text/json', false], ['application/+json', false],
    ['json', false], ['', false], [undefined, false],
  ])('%j is JSON: %s', (header, json) => {
    expect(isJsonContentType(header)).toBe(json);
  });

  test('the charset parameter is read as a token or a quoted string, in any letter case, first one wins', () => {
    expect(parseContentType('application/json;charset=UTF-8')).toEqual({ type: 'application/json', charset: 'utf-8' });
    expect(parseContentType('application/json; foo=bar; Charset="utf-16"; charset=latin1')).toEqual({ type: 'application/json', charset: 'utf-16' });
    expect(parseContentType('application/json; charset="utf-8')).toEqual({ type: 'application/json', charset: undefined });
  });
});

describe('requestId', () => {
  const req = (id?: string) => ({ headers: id === undefined ? {} : { 'x-request-id': id } }) as IncomingMessage;

  test('echoes a caller\'s id that looks like one', () => {
    expect(requestId(req('abc-123'))).toBe('abc-123');
    expect(requestId(req('trace:1.2_3'))).toBe('trace:1.2_3');
  });

  test.each(['', 'r'.repeat(129), '../../etc/passwd', "' or 1=1 --", 'a b'])('replaces %j with a new id (a random UUID)', (id) => {
    expect(requestId(req(id))).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  test('a new id for every request without one, never repeated', () => {
    const ids = Array.from({ length: 10_000 }, () => requestId(req()));
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('writeReply', () => {
  test('every response carries the security headers, its request id, type and length', async () => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': 'r-1' }, body: '{}' });
    expect(Object.fromEntries([...res.headers].filter(([name]) => !['date', 'connection', 'keep-alive'].includes(name)))).toEqual({
      'content-length': String('{"body":{}}'.length),
      'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
      'content-type': 'application/json; charset=utf-8',
      'cross-origin-resource-policy': 'same-site',
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
      'x-frame-options': 'DENY',
      'x-request-id': 'r-1',
    });
  });

  // An all-ASCII body is written one byte per character, any other as UTF-8: the
  // bytes on the wire are the body's UTF-8 either way, and Content-Length counts them.
  test.each([
    ['ASCII, up to U+007F', 'plain text ~\u007f'],
    ['U+0080 and U+00FF, one byte in Latin-1 but two in UTF-8', '\u0080 \u00ff caf\u00e9'],
    ['BMP characters', '\u20ac \u4e2d\u6587'],
    ['a character outside the BMP (a surrogate pair)', 'price \ud83d\ude00'],
  ])('%s: the body is sent as UTF-8 with its byte length', async (_name, text) => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }) });
    const bytes = Buffer.from(await res.arrayBuffer());
    const expected = Buffer.from(JSON.stringify({ body: { text } }), 'utf8');
    expect(bytes.equals(expected)).toBe(true);
    expect(res.headers.get('content-length')).toBe(String(expected.length));
  });
});
