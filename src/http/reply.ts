// The HTTP concerns every request shares, whichever path answers it (the lean
// path of the hot routes or Express): the request id, the JSON request body
// (content type, charset, content coding, size limit, strict parse), writing a
// response with the headers every response carries, and the request's metrics
// and log line.
// Each exists once, here; both paths call these functions.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable, Transform } from 'node:stream';
import zlib from 'node:zlib';
import type { Logger } from '../log.ts';
import { AppError, errorResponse } from './errors.ts';
import { withExactResponses } from '@tariff/pricing';

/** Where each request's latency goes (the API's metrics). */
export interface RequestObserver {
  /** Records one request's latency, by route pattern (never by raw path, which would explode cardinality). */
  observe(method: string, route: string, status: number, seconds: number): void;
}

export const BODY_LIMIT_BYTES = 1024 * 1024;

/** A whole response, as a handler answers it; writeReply puts it on the wire. */
export interface Reply {
  status: number;
  headers?: Readonly<Record<string, string>> | undefined;
  /**
   * Serialised JSON unless `type` says otherwise; none for 204 and 304. In
   * parts, a body is written as they are held (GET /costs: each provider's
   * fragment, never copied into one buffer beside them).
   */
  body?: string | Buffer | readonly Buffer[] | undefined;
  type?: string | undefined;
  /**
   * The body is a string its maker built of ASCII characters only, so its
   * length is its byte length (and writeReply need not measure it). Only for
   * bodies ASCII by construction: a wrong claim would send corrupt bytes.
   */
  ascii?: boolean | undefined;
}

export const JSON_TYPE = 'application/json; charset=utf-8';

/** Headers every response carries, whichever path answered it. */
const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
  'Cross-Origin-Resource-Policy': 'same-site',
};

/**
 * What the dashboard's HTML pages change of the headers above: they load their
 * own scripts and styles (never inline ones, never another origin's).
 */
export const DASHBOARD_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    + "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
};

/** A JSON reply of a value. */
export function jsonReply(status: number, value: unknown, headers?: Record<string, string>): Reply {
  return { status, headers, body: JSON.stringify(value) };
}

/**
 * Writes a reply: the one place a response's headers are set. Every response
 * carries the security headers and its request id. One writeHead with every
 * header: far cheaper than a setHeader call each.
 *
 * A string body whose UTF-8 length is its length is all ASCII, and is written
 * one byte per character: the same bytes as its UTF-8, copied rather than
 * encoded again character by character (V8's UTF-8 encoding of a quote's
 * answer was a tenth of the quote's time under load). A body its maker says is
 * ASCII (`ascii`) is not measured either: measuring flattens the string a
 * second time, which under load cost a quote as much again.
 */
export function writeReply(res: ServerResponse, id: string, reply: Reply): void {
  const headers: Record<string, string | number> = { ...SECURITY_HEADERS, 'X-Request-Id': id, ...reply.headers };
  const body = reply.body;
  if (body === undefined) {
    res.writeHead(reply.status, headers);
    res.end();
    return;
  }
  headers['Content-Type'] = reply.type ?? JSON_TYPE;
  if (isParts(body)) {
    headers['Content-Length'] = body.reduce((sum, part) => sum + part.length, 0);
    res.writeHead(reply.status, headers);
    // Corked: the parts go out in one writev, which end() sends.
    res.cork();
    for (const part of body) res.write(part);
    res.end();
    return;
  }
  const length = reply.ascii && typeof body === 'string' ? body.length : Buffer.byteLength(body);
  headers['Content-Length'] = length;
  res.writeHead(reply.status, headers);
  if (typeof body === 'string' && length === body.length) res.end(body, 'latin1');
  else res.end(body);
}

const isParts = (body: string | Buffer | readonly Buffer[]): body is readonly Buffer[] => Array.isArray(body);

/**
 * Starts a streamed response (GET /costs/changes): its head, with the headers
 * every response carries, written now; the body follows as the stream's writer sends it.
 */
export function writeStreamHead(res: ServerResponse, id: string, status: number, headers: Readonly<Record<string, string>>): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'X-Request-Id': id, ...headers });
  res.flushHeaders();
}

/** The reply to an error, on every path. A 5xx is logged with what the caller never sees (message, stack). */
export function errorReply(err: unknown, logger: Logger, reqId: string): Reply {
  const { status, body, headers } = errorResponse(err);
  if (status === 500) logger.error({ err, reqId }, 'request failed');
  else if (status === 503) logger.warn({ err, reqId }, 'request needed the unreachable database');
  return { status, headers, body: JSON.stringify(body) };
}

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** A caller's X-Request-Id when it looks like an id, else a new one. */
export function requestId(req: IncomingMessage): string {
  const incoming = req.headers['x-request-id'];
  return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

/**
 * After each response, on every path: its latency in the histogram (by route
 * pattern) and the request log line, debug or warn for a 5xx. Never the body,
 * nor the query string, which may carry what callers would not want logged.
 */
export function recordRequest(metrics: RequestObserver, logger: Logger, req: IncomingMessage, route: string, reqId: string, status: number, started: number): void {
  const ms = performance.now() - started;
  metrics.observe(req.method ?? 'GET', route, status, ms / 1000);
  const level = status >= 500 ? 'warn' : 'debug';
  if (!logger.isLevelEnabled(level)) return;
  const url = req.url ?? '';
  const mark = url.indexOf('?');
  const path = mark < 0 ? url : url.slice(0, mark);
  logger[level]({ reqId, method: req.method, path, status, ms: Math.round(ms * 10) / 10 }, 'request');
}

/** Whether the request carries a body (RFC 9112 §6.3: chunked, or a non-zero Content-Length). */
export function hasBody(req: IncomingMessage): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length']) > 0;
}

export interface ContentType {
  /** type/subtype, lower-cased. */
  type: string;
  /** The charset parameter, lower-cased, when given. */
  charset: string | undefined;
}

// RFC 6838 §4.2 names, as the type/subtype of a Content-Type.
const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/;

/** A Content-Type header's media type and charset; undefined when it has no valid media type. */
export function parseContentType(header: string | undefined): ContentType | undefined {
  if (!header) return undefined;
  const semicolon = header.indexOf(';');
  const type = (semicolon < 0 ? header : header.slice(0, semicolon)).trim().toLowerCase();
  if (!MEDIA_TYPE.test(type)) return undefined;
  return { type, charset: semicolon < 0 ? undefined : parameter(header, semicolon, 'charset')?.toLowerCase() };
}

/** application/json, or a structured +json type (application/problem+json). */
export function isJsonContentType(header: string | undefined): boolean {
  const type = parseContentType(header)?.type;
  return type !== undefined && isJsonType(type);
}

function isJsonType(type: string): boolean {
  return type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json'));
}

/** The first value of a parameter (RFC 9110 §5.6.6: token or quoted-string); an unterminated quote counts as absent. */
function parameter(header: string, from: number, name: string): string | undefined {
  let i = from;
  while (i < header.length) {
    const eq = header.indexOf('=', i + 1);
    if (eq < 0) return undefined;
    const key = header.slice(i + 1, eq).trim().toLowerCase();
    let j = eq + 1;
    while (header[j] === ' ' || header[j] === '\t') j++;
    let value: string | undefined;
    if (header[j] === '"') {
      value = '';
      for (j++; j < header.length && header[j] !== '"'; j++) value += header[j] === '\\' ? header[++j] ?? '' : header[j];
      if (j >= header.length) value = undefined;
      j = nextSemicolon(header, j);
    } else {
      const end = nextSemicolon(header, j);
      value = header.slice(j, end).trim();
      j = end;
    }
    if (key === name && value !== undefined) return value;
    i = j;
  }
  return undefined;
}

function nextSemicolon(header: string, from: number): number {
  const at = header.indexOf(';', from);
  return at < 0 ? header.length : at;
}

const notJson = () => new AppError(415, 'unsupported_media_type', 'content-type: request bodies must be application/json');
const tooLarge = () => new AppError(413, 'body_too_large', 'request body is larger than the limit');
const invalidJson = () => new AppError(400, 'invalid_json', 'body: request body is not valid JSON');
const NO_BODY = Promise.resolve(undefined);

const DECOMPRESSORS: ReadonlyMap<string, () => Transform> = new Map<string, () => Transform>([
  ['gzip', () => zlib.createGunzip()],
  ['deflate', () => zlib.createInflate()],
  ['br', () => zlib.createBrotliDecompress()],
  ['zstd', () => zlib.createZstdDecompress()],
]);

/**
 * The request's JSON body; undefined when it has none. Refuses (AppError) a
 * body that is not JSON, or in a charset or content coding it cannot decode
 * (415); one larger than `limit` bytes, as sent or decompressed (413); one that
 * is not strict JSON (400).
 */
export function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  if (!hasBody(req)) return NO_BODY;
  return new Promise((resolve, reject) => onJsonBody(req, limit, (err, body) => (err ? reject(err) : resolve(body))));
}

/**
 * readJsonBody's callback form, which readJsonBody wraps: `done` is called
 * once, with the refusal or the body. The lean path answers from here, with no
 * promise between a body's last byte and its answer.
 */
export function onJsonBody(req: IncomingMessage, limit: number, done: (err: unknown, body?: unknown) => void): void {
  if (!hasBody(req)) return done(undefined, undefined);
  const contentType = parseContentType(req.headers['content-type']);
  if (!contentType || !isJsonType(contentType.type)) return done(notJson());
  const charset = contentType.charset ?? 'utf-8';
  const decode = decoderFor(charset);
  if (!decode) return done(new AppError(415, 'charset_unsupported', `body: unsupported charset "${charset.toUpperCase()}"`));
  const coding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
  if (coding === 'identity' && Number(req.headers['content-length']) > limit) {
    req.resume();
    return done(tooLarge());
  }
  const decompress = DECOMPRESSORS.get(coding);
  if (coding !== 'identity' && !decompress) {
    return done(new AppError(415, 'encoding_unsupported', `body: unsupported content encoding "${coding}"`));
  }
  const decoder = decompress?.();
  const stream: Readable = decoder ? req.pipe(decoder) : req;
  const chunks: Buffer[] = [];
  let size = 0;
  let settled = false;
  const fail = (err: AppError) => {
    if (settled) return;
    settled = true;
    if (decoder) {
      req.unpipe(decoder);
      decoder.destroy();
    }
    // Read off the rest, so the connection can carry the answer and the next request.
    req.resume();
    done(err);
  };
  stream.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > limit) fail(tooLarge());
    else if (!settled) chunks.push(chunk);
  });
  stream.on('end', () => {
    if (settled) return;
    settled = true;
    let body;
    try {
      body = size === 0 ? undefined : parseJsonBody(decode(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size)));
    } catch (err) {
      return done(err);
    }
    done(undefined, body);
  });
  stream.on('error', (err) => fail(new AppError(400, 'invalid_body', `body: ${err.message}`)));
  if (decoder) req.on('error', (err) => fail(new AppError(400, 'invalid_body', `body: ${err.message}`)));
}

/** JSON is Unicode (RFC 8259 §8.1): UTF-8, or UTF-16 when a client says so. A leading byte order mark is dropped. */
function decoderFor(charset: string): ((bytes: Buffer) => string) | undefined {
  if (charset === 'utf-8') return decodeUtf8;
  if (charset === 'utf-16' || charset === 'utf-16le' || charset === 'utf-16be') {
    const decoder = new TextDecoder(charset);
    return (bytes) => decoder.decode(bytes);
  }
  return undefined;
}

function decodeUtf8(bytes: Buffer): string {
  const text = bytes.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Strict JSON: only an object or an array (after RFC 8259 whitespace) is a request body. A quote's `response` keeps its numbers' source text. */
export function parseJsonBody(text: string): unknown {
  let i = 0;
  while (isJsonWhitespace(text.charCodeAt(i))) i++;
  const first = text.charCodeAt(i);
  if (first !== 0x7b && first !== 0x5b) throw invalidJson();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    throw invalidJson();
  }
  return withExactResponses(text, body);
}

function isJsonWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}
