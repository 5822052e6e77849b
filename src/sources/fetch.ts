// GET an upstream's JSON body as text, within hard limits: connect, headers,
// body-silence and total timeouts, a cap on the decompressed size, and at most
// MAX_REDIRECTS redirects. Errors name the URL without its query string and
// never quote the body.
import type { IncomingHttpHeaders } from 'node:http';
import { Writable, type Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { Agent, interceptors, request } from 'undici';

const MAX_REDIRECTS = 3;

export interface UpstreamLimits {
  connectTimeoutMs: number;
  /** Longest wait for the response headers. */
  headersTimeoutMs: number;
  /** Longest silence while the body streams. */
  bodyTimeoutMs: number;
  /** Longest the whole request may take, redirects and body included. */
  totalTimeoutMs: number;
  /** Largest body accepted, counted after decompression. */
  maxBytes: number;
  signal?: AbortSignal;
  headers?: Record<string, string>;
}

export class UpstreamError extends Error {
  override name = 'UpstreamError';
  /** The HTTP status, when the upstream answered one. */
  readonly status?: number;
  /** From Retry-After, when a 429 or 503 says when to come back. */
  readonly retryAfterSeconds?: number;

  constructor(message: string, details: { status?: number; retryAfterSeconds?: number; cause?: unknown } = {}) {
    const { status, retryAfterSeconds, cause } = details;
    super(message, cause === undefined ? undefined : { cause });
    if (status !== undefined) this.status = status;
    if (retryAfterSeconds !== undefined) this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** The body of a successful GET, decompressed and decoded as UTF-8. */
export async function fetchUpstream(url: string, limits: UpstreamLimits): Promise<string> {
  const target = new URL(url);
  let label = `GET ${withoutQuery(target)}`;
  const agent = new Agent({
    connect: { timeout: limits.connectTimeoutMs },
    headersTimeout: limits.headersTimeoutMs,
    bodyTimeout: limits.bodyTimeoutMs,
  });
  const deadline = AbortSignal.timeout(limits.totalTimeoutMs);
  const signal = limits.signal ? AbortSignal.any([deadline, limits.signal]) : deadline;
  try {
    const response = await request(target, {
      dispatcher: agent.compose(interceptors.redirect({ maxRedirections: MAX_REDIRECTS })),
      method: 'GET',
      headers: { ...limits.headers, accept: 'application/json', 'accept-encoding': 'gzip, br' },
      signal,
    });
    const answeredBy = finalUrl(response.context);
    if (answeredBy && withoutQuery(answeredBy) !== withoutQuery(target)) label += ` → ${withoutQuery(answeredBy)}`;
    let decoders: Transform[];
    try {
      checkResponse(label, response.statusCode, response.headers, limits.maxBytes);
      decoders = decodersFor(label, header(response.headers, 'content-encoding'));
    } catch (error) {
      // Nothing will read this body; undici reports destroying an unread body as an 'error' event.
      response.body.on('error', () => {}).destroy();
      throw error;
    }
    return await readLimited(label, [response.body, ...decoders], limits.maxBytes, signal);
  } catch (error) {
    if (error instanceof UpstreamError) throw error;
    const why = deadline.aborted ? `took longer than ${limits.totalTimeoutMs} ms`
      : limits.signal?.aborted ? 'was aborted'
      : error instanceof Error ? error.message : String(error);
    throw new UpstreamError(`${label} failed: ${why}`, { cause: error });
  } finally {
    await agent.destroy();
  }
}

function checkResponse(label: string, status: number, headers: IncomingHttpHeaders, maxBytes: number): void {
  if (status < 200 || status > 299) {
    const retryAfterSeconds = parseRetryAfter(header(headers, 'retry-after'));
    throw new UpstreamError(`${label} answered ${status}`, { status, ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }) });
  }
  if (/^\s*text\/html\b/i.test(header(headers, 'content-type') ?? '')) {
    throw new UpstreamError(`${label} answered HTML, not JSON`, { status });
  }
  const length = Number(header(headers, 'content-length'));
  if (length > maxBytes) {
    throw new UpstreamError(`${label} announced ${length} bytes, over the ${maxBytes}-byte limit`, { status });
  }
}

/** Decoders for a content-encoding list, in the order they must run (the last coding applied is undone first). */
function decodersFor(label: string, contentEncoding: string | undefined): Transform[] {
  const codings = (contentEncoding ?? '').split(',').map((coding) => coding.trim().toLowerCase());
  return codings.filter((coding) => coding !== '' && coding !== 'identity').reverse().map((coding) => {
    switch (coding) {
      case 'gzip':
      case 'x-gzip': return createGunzip();
      case 'br': return createBrotliDecompress();
      case 'deflate': return createInflate();
      default: throw new UpstreamError(`${label} answered content-encoding ${coding}, which tariff cannot decode`);
    }
  });
}

// Counts while streaming, so an oversized or decompression-bomb body is cut off
// at the limit instead of being buffered whole first.
async function readLimited(
  label: string,
  streams: NodeJS.ReadableStream[],
  maxBytes: number,
  signal: AbortSignal,
): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      if (size > maxBytes) return done(new UpstreamError(`${label} body is over the ${maxBytes}-byte limit`));
      chunks.push(chunk);
      done();
    },
  });
  await pipeline([...streams, sink], { signal });
  return Buffer.concat(chunks, size).toString('utf8');
}

/** Scheme, host and path: a query string may carry a key, so errors never show it. */
function withoutQuery(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

/** The URL that gave the final answer: undici's redirect interceptor records each hop in the context. */
function finalUrl(context: unknown): URL | undefined {
  const history = typeof context === 'object' && context !== null && 'history' in context ? context.history : undefined;
  const last: unknown = Array.isArray(history) ? history.at(-1) : undefined;
  return last instanceof URL ? last : undefined;
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Retry-After in seconds: it is either delay-seconds or an HTTP date such as
 * `Wed, 21 Oct 2026 07:28:00 GMT` (for upstream fetches and webhook deliveries alike).
 */
export function parseRetryAfter(header: string | string[] | undefined): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined) return undefined;
  if (/^\s*\d+\s*$/.test(value)) return Number(value);
  if (!/[a-z]{3}/i.test(value)) return undefined;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - Date.now()) / 1000));
}
