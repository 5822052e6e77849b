// Measurements 1 and 2: HTTP throughput and latency of tariff's read routes
// against a bare node:http server returning the same bytes with the same
// headers. The load generator is a process of its own (load.ts); both servers
// get the same settings, one after the other.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { BENCH_DIR, firstLine, jsonOutput, type Children } from './processes.ts';
import { mean, percentile } from './stats.ts';

export interface LoadSettings {
  connections: number;
  /** Before every measured run. */
  warmupSeconds: number;
  /** Measured per server and endpoint, split over two runs in mirrored order (tariff, bare, express, express, bare, tariff). */
  durationSeconds: number;
}

export interface Endpoint {
  name: string;
  method: 'GET' | 'POST';
  path: string;
  body?: string;
}

const runSchema = z.object({
  responses: z.number(),
  bytes: z.number(),
  errors: z.number(),
  timeouts: z.number(),
  non2xx: z.number(),
  durationSeconds: z.number(),
  latenciesUs: z.array(z.number()),
  errorSamples: z.array(z.string()),
});
type Run = z.output<typeof runSchema>;

export interface LoadResult {
  requestsPerSecond: number;
  bytesPerSecond: number;
  responses: number;
  latencyMs: { p50: number; p99: number; mean: number };
}

export interface EndpointComparison {
  endpoint: Endpoint;
  /** Response body size in bytes. */
  bytes: number;
  tariff: LoadResult;
  bare: LoadResult;
  /** A minimal Express 5 app returning the same bytes: how much of the gap the framework alone takes. */
  express: LoadResult;
}

/** Headers a server sets per connection or per response, not copied to the baseline. */
const PER_RESPONSE = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding', 'content-length']);

export async function measureHttp(children: Children, workDir: string, tariffUrl: string, endpoints: readonly Endpoint[], settings: LoadSettings): Promise<EndpointComparison[]> {
  const routes = [];
  const sizes = new Map<string, number>();
  for (const [i, endpoint] of endpoints.entries()) {
    const res = await fetch(tariffUrl + endpoint.path, requestInit(endpoint));
    const body = Buffer.from(await res.arrayBuffer());
    if (res.status !== 200) throw new Error(`${endpoint.method} ${endpoint.path} answered ${res.status}: ${body.toString('utf8', 0, 300)}`);
    const headers = Object.fromEntries([...res.headers].filter(([name]) => !PER_RESPONSE.has(name)));
    const bodyFile = path.join(workDir, `bare-body-${i}.json`);
    await writeFile(bodyFile, body);
    routes.push({ method: endpoint.method, path: endpoint.path, status: res.status, headers, bodyFile });
    sizes.set(endpoint.name, body.length);
  }
  const manifest = path.join(workDir, 'bare-manifest.json');
  await writeFile(manifest, JSON.stringify({ routes }));
  const bare = children.spawnNode('bare-http', [path.join(BENCH_DIR, 'bare-server.ts'), manifest], {}, { stdout: 'pipe' });
  const minimal = children.spawnNode('express-http', [path.join(BENCH_DIR, 'bare-server.ts'), manifest, '--express'], {}, { stdout: 'pipe' });
  try {
    const urls = {
      tariff: tariffUrl,
      bare: `http://127.0.0.1:${Number(await firstLine(bare))}`,
      express: `http://127.0.0.1:${Number(await firstLine(minimal))}`,
    };
    const results: EndpointComparison[] = [];
    for (const [i, endpoint] of endpoints.entries()) {
      // Mirrored order (tariff, bare, express, express, bare, tariff): a drift in machine
      // load during the runs touches every server alike.
      const runs: Record<keyof typeof urls, Run[]> = { tariff: [], bare: [], express: [] };
      for (const server of ['tariff', 'bare', 'express', 'express', 'bare', 'tariff'] as const) {
        runs[server].push(await load(children, `load-${i}-${server}-${runs[server].length + 1}`, urls[server], endpoint, settings));
      }
      results.push({ endpoint, bytes: sizes.get(endpoint.name)!, tariff: combine(runs.tariff), bare: combine(runs.bare), express: combine(runs.express) });
    }
    return results;
  } finally {
    await children.stop(bare);
    await children.stop(minimal);
  }
}

function requestInit(endpoint: Endpoint): RequestInit {
  return endpoint.method === 'POST'
    ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: endpoint.body ?? '{}' }
    : { method: 'GET' };
}

async function load(children: Children, name: string, baseUrl: string, endpoint: Endpoint, settings: LoadSettings): Promise<Run> {
  const options = {
    url: baseUrl + endpoint.path,
    method: endpoint.method,
    headers: endpoint.method === 'POST' ? { 'content-type': 'application/json' } : {},
    ...(endpoint.body === undefined ? {} : { body: endpoint.body }),
    connections: settings.connections,
    warmupSeconds: settings.warmupSeconds,
    durationSeconds: settings.durationSeconds / 2,
  };
  const child = children.spawnNode(name, [path.join(BENCH_DIR, 'load.ts'), JSON.stringify(options)], {}, { stdout: 'pipe' });
  const result = runSchema.parse(await jsonOutput(child));
  if (result.errors > 0 || result.non2xx > 0 || result.timeouts > 0) {
    throw new Error(`${name}: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx responses` +
      (result.errorSamples.length > 0 ? ` (${result.errorSamples.join('; ')})` : ''));
  }
  return result;
}

function combine(runs: readonly Run[]): LoadResult {
  const seconds = runs.reduce((n, r) => n + r.durationSeconds, 0);
  const latencies = runs.flatMap((r) => r.latenciesUs.map((us) => us / 1000));
  return {
    requestsPerSecond: runs.reduce((n, r) => n + r.responses, 0) / seconds,
    bytesPerSecond: runs.reduce((n, r) => n + r.bytes, 0) / seconds,
    responses: runs.reduce((n, r) => n + r.responses, 0),
    latencyMs: { p50: percentile(latencies, 50), p99: percentile(latencies, 99), mean: mean(latencies) },
  };
}
