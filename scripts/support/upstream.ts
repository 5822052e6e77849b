// A real HTTP server on 127.0.0.1 standing in for the price upstreams. It
// serves the real snapshots from ../shared/fixtures/upstream, or an edited
// copy, or a fault, per route. The tests, the soak and the image check use it.
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { SOURCES } from '../../src/sources/registry.ts';
import { UPSTREAM_FIXTURES } from './paths.ts';

export const ROUTES = {
  models_dev: { path: '/models-dev/api.json', file: 'models-dev-api.json' },
  openrouter: { path: '/openrouter/api/v1/models', file: 'openrouter-models.json' },
  litellm: { path: '/litellm/model_prices_and_context_window.json', file: 'litellm-model_prices.json' },
  genai_prices: { path: '/genai-prices/prices/new_data/v2/data.json', file: 'genai-prices-v2-data.json' },
} as const;
export type RouteName = keyof typeof ROUTES;

/** Every registered source's URL variable pointed at this upstream: each source has a route here. */
export function sourceUrlEnv(upstream: Pick<UpstreamServer, 'urlFor'>): Record<string, string> {
  return Object.fromEntries(SOURCES.map((source) => {
    if (!Object.hasOwn(ROUTES, source.name)) throw new Error(`the test upstream has no route for source ${source.name}`);
    return [source.url.env, upstream.urlFor(source.name as RouteName)];
  }));
}

export type Fault =
  | { kind: 'status'; status: number; headers?: Record<string, string> }
  | { kind: 'hang' }
  /** Answers normally, after ms: a slow upstream. */
  | { kind: 'delay'; ms: number }
  | { kind: 'truncate'; bytes: number }
  | { kind: 'html' }
  /** Sends the body one small chunk every intervalMs. */
  | { kind: 'drip'; intervalMs: number }
  /** Redirects `hops` times (302 to the same path with ?hop=n) before serving the body. */
  | { kind: 'redirect'; hops: number };

const raw = new Map<RouteName, string>();
/** The real fixture text for a route, read once per process (per test file). */
export function fixtureText(route: RouteName): string {
  let text = raw.get(route);
  if (text === undefined) {
    text = readFileSync(path.join(UPSTREAM_FIXTURES, ROUTES[route].file), 'utf8');
    raw.set(route, text);
  }
  return text;
}

/** The fixture parsed with plain JSON.parse, for building edited copies. */
export function fixtureJson<T = unknown>(route: RouteName): T {
  return JSON.parse(fixtureText(route)) as T;
}

export interface UpstreamServer {
  url: string;
  urlFor(route: RouteName): string;
  /** Serve this body instead of the fixture (null: back to the fixture). */
  setBody(route: RouteName, body: string | null): void;
  /** Answer with a fault instead (null: back to normal). */
  setFault(route: RouteName, fault: Fault | null): void;
  /** Requests seen per route. */
  hits(route: RouteName): number;
  close(): Promise<void>;
}

export async function startUpstream(): Promise<UpstreamServer> {
  const bodies = new Map<RouteName, string>();
  const faults = new Map<RouteName, Fault>();
  const counts = new Map<RouteName, number>();
  const byPath = new Map<string, RouteName>(Object.entries(ROUTES).map(([name, route]) => [route.path, name as RouteName]));

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const requested = new URL(req.url ?? '/', 'http://x');
    const route = byPath.get(requested.pathname);
    if (!route) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
      return;
    }
    counts.set(route, (counts.get(route) ?? 0) + 1);
    const fault = faults.get(route);
    const body = bodies.get(route) ?? fixtureText(route);
    if (fault?.kind === 'hang') return; // accepts, never answers
    if (fault?.kind === 'status') {
      res.writeHead(fault.status, { 'content-type': 'application/json', ...fault.headers }).end('{"error":"upstream fault"}');
      return;
    }
    if (fault?.kind === 'html') {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>maintenance</body></html>');
      return;
    }
    if (fault?.kind === 'redirect') {
      const hop = Number(requested.searchParams.get('hop') ?? 0);
      if (hop < fault.hops) {
        res.writeHead(302, { location: `${requested.pathname}?hop=${hop + 1}` }).end();
        return;
      }
    }
    if (fault?.kind === 'drip') {
      res.writeHead(200, { 'content-type': 'application/json' });
      let offset = 0;
      const timer = setInterval(() => {
        if (res.destroyed || offset >= body.length) {
          clearInterval(timer);
          res.end();
          return;
        }
        res.write(body.slice(offset, offset + 16));
        offset += 16;
      }, fault.intervalMs);
      res.on('close', () => clearInterval(timer));
      return;
    }
    if (fault?.kind === 'truncate') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(body.slice(0, fault.bytes));
      return;
    }
    const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    const answer = () => {
      if (res.destroyed) return;
      res.writeHead(200, { 'content-type': 'application/json', ...(gzip ? { 'content-encoding': 'gzip' } : {}) });
      res.end(gzip ? gzipSync(body) : body);
    };
    if (fault?.kind === 'delay') {
      const timer = setTimeout(answer, fault.ms);
      res.on('close', () => clearTimeout(timer));
      return;
    }
    answer();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    urlFor: (route) => url + ROUTES[route].path,
    setBody: (route, body) => (body === null ? bodies.delete(route) : bodies.set(route, body)),
    setFault: (route, fault) => (fault === null ? faults.delete(route) : faults.set(route, fault)),
    hits: (route) => counts.get(route) ?? 0,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
