// What the webhook tests share: webhook settings for tests (local http
// receivers allowed, fast retries), real HTTP receivers on 127.0.0.1 whose
// answers a test scripts, the receiver of docs/webhooks.md run as a process, and
// admin API calls.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../support/env.ts';
import { until } from '../support/poll.ts';
import { TEST_ADMIN_TOKEN } from '../support/stack.ts';

export const TEST_WEBHOOK_KEY = 'a'.repeat(64);

/** Receivers on 127.0.0.1 over http, retries after ~50 ms, a 3 s cap on each attempt. */
export const WEBHOOK_TEST_ENV: Record<string, string> = {
  WEBHOOK_ALLOW_HTTP: 'true',
  WEBHOOK_ALLOW_PRIVATE: 'true',
  WEBHOOK_SECRET_KEY: TEST_WEBHOOK_KEY,
  WEBHOOK_RETRY_BASE_MS: '50',
  WEBHOOK_RETRY_MAX_DELAY_MS: '400',
  WEBHOOK_CONNECT_TIMEOUT_MS: '1000',
  WEBHOOK_RESPONSE_TIMEOUT_MS: '2000',
  WEBHOOK_TOTAL_TIMEOUT_MS: '3000',
  WEBHOOK_MAX_CONSECUTIVE_FAILURES: '6',
  // Cron patterns that never match (30 February): only what the tests do runs.
  SYNC_SCHEDULE: '0 0 30 2 *',
  FX_SCHEDULE: '0 0 30 2 *',
};

export interface Received {
  headers: IncomingHttpHeaders;
  body: string;
  event: { id: string; type: string; created_at: string; catalog_version: number | null; data: any };
  at: number;
  /** The status this receiver answered (undefined while hanging). */
  answered?: number;
}

export type Answer = { status: number; headers?: Record<string, string> } | 'hang';

export interface Receiver {
  url: string;
  received: Received[];
  /** How to answer the n-th request (0-based); default 204. */
  answer(fn: (n: number) => Answer): void;
  /** Answers every hanging request with `status` now. */
  release(status?: number): void;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const received: Received[] = [];
  const hanging: Array<{ res: ServerResponse; entry: Received }> = [];
  let decide: (n: number) => Answer = () => ({ status: 204 });
  const server = createServer(async (req, res) => {
    const body = Buffer.concat(await req.toArray()).toString('utf8');
    const entry: Received = { headers: req.headers, body, event: JSON.parse(body) as Received['event'], at: Date.now() };
    const answer = decide(received.length);
    received.push(entry);
    if (answer === 'hang') {
      hanging.push({ res, entry });
      return;
    }
    entry.answered = answer.status;
    res.writeHead(answer.status, answer.headers).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    received,
    answer(fn) { decide = fn; },
    release(status = 204) {
      for (const { res, entry } of hanging.splice(0)) {
        entry.answered = status;
        if (!res.destroyed) res.writeHead(status).end();
      }
    },
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** The v1 signatures of a Tariff-Signature header that `secret` produced. */
export function signedWith(secret: string, header: string | string[] | undefined, body: string): boolean {
  const fields = String(header).split(',').map((f) => f.split('='));
  const t = fields.find(([k]) => k === 't')?.[1];
  const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  return fields.some(([k, v]) => k === 'v1' && v === expected);
}

/** The receiver code block of docs/webhooks.md, as written there. */
export function readmeReceiverCode(): string {
  const readme = readFileSync(path.join(REPO_ROOT, 'docs', 'webhooks.md'), 'utf8');
  const match = /<!-- webhook-receiver:begin -->\s*```js\n([\s\S]*?)```\s*<!-- webhook-receiver:end -->/.exec(readme);
  if (!match) throw new Error('docs/webhooks.md has no webhook receiver block');
  return match[1]!;
}

export interface ReadmeReceiver {
  url: string;
  /** Events the receiver accepted (it prints each as a JSON line). */
  events: Array<Received['event']>;
  stop(): Promise<void>;
}

/** Runs the README's receiver, unchanged, as a process of its own. */
export async function startReadmeReceiver(secret: string, port: number): Promise<ReadmeReceiver> {
  const dir = await mkdtemp(path.join(tmpdir(), 'tariff-receiver-'));
  const file = path.join(dir, 'receiver.mjs');
  await writeFile(file, readmeReceiverCode());
  const child: ChildProcess = spawn(process.execPath, [file], {
    env: { ...process.env, TARIFF_WEBHOOK_SECRET: secret, PORT: String(port) }, stdio: ['ignore', 'pipe', 'inherit'],
  });
  const events: Array<Received['event']> = [];
  let buffered = '';
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => {
    buffered += chunk;
    for (let end = buffered.indexOf('\n'); end >= 0; end = buffered.indexOf('\n')) {
      events.push(JSON.parse(buffered.slice(0, end)) as Received['event']);
      buffered = buffered.slice(end + 1);
    }
  });
  const url = `http://127.0.0.1:${port}/`;
  // Up when it answers (an unsigned request is a 400).
  await until('the README receiver to start', () => fetch(url, { method: 'POST', body: '{}' }).then((r) => r.status === 400, () => false),
    { deadlineMs: 10_000 });
  return {
    url, events,
    async stop() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface AdminResponse<T = any> { status: number; body: T }

export async function admin<T = any>(baseUrl: string, method: string, path: string, body?: unknown, token = TEST_ADMIN_TOKEN): Promise<AdminResponse<T>> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as T };
}

