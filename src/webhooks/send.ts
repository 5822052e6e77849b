// One HTTP attempt of a webhook delivery, with undici: bounded connect,
// response and total times, no redirects followed, at most MAX_RESPONSE_BYTES
// of the answer read (then dropped: only the status is kept), and the
// connection made only to addresses checked by checkedLookup.
import { isIP } from 'node:net';
import { Agent, request } from 'undici';
import { parseRetryAfter } from '../sources/fetch.ts';
import { checkedLookup, ForbiddenAddressError, isForbiddenAddress } from './address.ts';

const MAX_RESPONSE_BYTES = 16 * 1024;

export interface SendLimits {
  connectTimeoutMs: number;
  responseTimeoutMs: number;
  totalTimeoutMs: number;
  allowPrivate: boolean;
}

export type SendResult =
  | { ok: true; status: number; latencyMs: number }
  | { ok: false; status: number | null; latencyMs: number; error: string; retryAfterSeconds?: number; forbidden?: boolean };

export async function sendWebhook(url: string, headers: Record<string, string>, body: string, limits: SendLimits): Promise<SendResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const target = new URL(url);
  const host = target.hostname.replace(/^\[(.*)\]$/, '$1');
  // A literal address is connected to without a lookup: it is checked here instead.
  if (!limits.allowPrivate && isIP(host) && isForbiddenAddress(host)) {
    return { ok: false, status: null, latencyMs: 0, forbidden: true, error: `${host} is a private, loopback, link-local or metadata address` };
  }
  const agent = new Agent({
    connect: { timeout: limits.connectTimeoutMs, lookup: checkedLookup(limits.allowPrivate) },
    headersTimeout: limits.responseTimeoutMs,
    bodyTimeout: limits.responseTimeoutMs,
    // One connection per attempt: no socket is reused past the address check of another attempt.
    pipelining: 0,
  });
  const deadline = AbortSignal.timeout(limits.totalTimeoutMs);
  try {
    const response = await request(target, {
      dispatcher: agent,
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json', 'user-agent': 'tariff-webhooks/1' },
      body,
      signal: deadline,
    });
    await drain(response.body);
    const status = response.statusCode;
    if (status >= 200 && status <= 299) return { ok: true, status, latencyMs: elapsed() };
    const retryAfterSeconds = parseRetryAfter(response.headers['retry-after']);
    return {
      ok: false, status, latencyMs: elapsed(), error: `answered ${status}`,
      ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
    };
  } catch (err) {
    return { ok: false, status: null, latencyMs: elapsed(), ...describe(err, deadline.aborted, limits.totalTimeoutMs) };
  } finally {
    await agent.destroy().catch(() => undefined);
  }
}

/** Reads up to MAX_RESPONSE_BYTES and drops the rest with the connection. */
async function drain(body: AsyncIterable<Buffer> & { destroy(): unknown }): Promise<void> {
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > MAX_RESPONSE_BYTES) break;
  }
  body.destroy();
}

function describe(err: unknown, timedOut: boolean, totalMs: number): { error: string; forbidden?: boolean } {
  for (let cause: unknown = err; cause instanceof Error; cause = cause.cause) {
    if (cause instanceof ForbiddenAddressError) return { error: cause.message, forbidden: true };
  }
  if (timedOut) return { error: `took longer than ${totalMs} ms` };
  const e = err as { code?: string; message?: string };
  const code = e.code ?? '';
  if (code === 'UND_ERR_CONNECT_TIMEOUT') return { error: 'connect timeout' };
  if (code === 'UND_ERR_HEADERS_TIMEOUT') return { error: 'no response in time' };
  if (code === 'UND_ERR_BODY_TIMEOUT') return { error: 'response body stalled' };
  return { error: `${code ? `${code}: ` : ''}${(e.message ?? String(err)).slice(0, 300)}` };
}
