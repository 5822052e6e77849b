// Measurements 1 and 2: HTTP throughput and latency of tariff's read routes
// against a bare node:http server returning the same bytes with the same
// headers. The load generator is a process of its own (load.ts); every server
// gets the same settings, in alternating rounds. With two CPUs or more, the
// server under test runs pinned to one CPU and the load generator to another
// (taskset), so neither takes the other's CPU time.
import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { BENCH_DIR, firstLine, jsonOutput, type Child, type Children } from './processes.ts';
import { mean, percentile } from './stats.ts';
import { START_API } from './tariff.ts';

export interface LoadSettings {
  connections: number;
  /** Before every measured run. */
  warmupSeconds: number;
  /** Measured per server and endpoint, split over `rounds` runs in alternating order (tariff, bare, express, then express, bare, tariff, …). */
  durationSeconds: number;
  rounds: number;
}

/** The CPUs the server under test and the load generator run on, when the machine has two. */
export const PINNED = { server: 0, load: 1 } as const;

/** Pins a process and all its threads to CPUs (a taskset list such as "0" or "0-1"); false when taskset is not available. */
export function pin(pid: number, cpu: number | string): boolean {
  try {
    execFileSync('taskset', ['--all-tasks', '--cpu-list', '--pid', String(cpu), String(pid)], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

export interface HttpMeasurement {
  comparisons: EndpointComparison[];
  /** Whether every server and load generator ran pinned to its CPU (PINNED). */
  pinned: boolean;
}

export interface Endpoint {
  name: string;
  method: 'GET' | 'POST';
  path: string;
  body?: string;
}

const runSchema = z.object({
  responses: z.number(),
  /** Answered during the warm-up before the measured run. */
  warmupResponses: z.number(),
  bytes: z.number(),
  errors: z.number(),
  timeouts: z.number(),
  non2xx: z.number(),
  durationSeconds: z.number(),
  latenciesUs: z.array(z.number()),
  errorSamples: z.array(z.string()),
});
export type Run = z.output<typeof runSchema>;

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

export async function measureHttp(children: Children, workDir: string, tariff: { url: string; pid: number }, endpoints: readonly Endpoint[], settings: LoadSettings): Promise<HttpMeasurement> {
  const tariffUrl = tariff.url;
  const { manifest, sizes } = await recordAnswers(tariffUrl, endpoints, workDir);
  const bare = await startBaseline(children, manifest, 'bare');
  const minimal = await startBaseline(children, manifest, 'express');
  try {
    const urls = { tariff: tariffUrl, bare: bare.url, express: minimal.url };
    let pinned = cpus().length >= 2;
    for (const pid of [tariff.pid, bare.child.pid, minimal.child.pid]) if (pinned) pinned = pin(pid, PINNED.server);
    const results: EndpointComparison[] = [];
    for (const [i, endpoint] of endpoints.entries()) {
      // Alternating order (tariff, bare, express, then express, bare, tariff, …): a drift in
      // machine load during the runs touches every server alike.
      const runs: Record<keyof typeof urls, Run[]> = { tariff: [], bare: [], express: [] };
      for (let round = 0; round < settings.rounds; round++) {
        const order = ['tariff', 'bare', 'express'] as const;
        for (const server of round % 2 === 0 ? order : [...order].reverse()) {
          const name = `load-${i}-${server}-${runs[server].length + 1}`;
          runs[server].push(await load(children, name, urls[server], endpoint, settings, pinned));
        }
      }
      results.push({ endpoint, bytes: sizes.get(endpoint.name)!, tariff: combine(runs.tariff), bare: combine(runs.bare), express: combine(runs.express) });
    }
    // The tariff instance serves the next measurements too: on every CPU again.
    if (pinned) pin(tariff.pid, `0-${cpus().length - 1}`);
    return { comparisons: results, pinned };
  } finally {
    await children.stop(bare.child);
    await children.stop(minimal.child);
  }
}

/**
 * tariff's answer to each endpoint, recorded once (bytes and headers) into a
 * manifest the baseline servers answer from.
 */
export async function recordAnswers(tariffUrl: string, endpoints: readonly Endpoint[], workDir: string): Promise<{ manifest: string; sizes: Map<string, number> }> {
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
  return { manifest, sizes };
}

/** A baseline server (bare-server.ts) answering a manifest's recorded bytes, with tariff's node flags: like for like. */
export async function startBaseline(children: Children, manifest: string, kind: 'bare' | 'express'): Promise<{ child: Child; url: string }> {
  const flags = kind === 'express' ? [manifest, '--express'] : [manifest];
  const child = children.spawnNode(`${kind}-http`, [...START_API.nodeFlags, path.join(BENCH_DIR, 'bare-server.ts'), ...flags], START_API.env, { stdout: 'pipe' });
  return { child, url: `http://127.0.0.1:${Number(await firstLine(child))}` };
}

function requestInit(endpoint: Endpoint): RequestInit {
  return endpoint.method === 'POST'
    ? { method: 'POST', headers: { 'content-type': 'application/json' }, body: endpoint.body ?? '{}' }
    : { method: 'GET' };
}

export async function load(children: Children, name: string, baseUrl: string, endpoint: Endpoint, settings: LoadSettings, pinned: boolean): Promise<Run> {
  const options = {
    url: baseUrl + endpoint.path,
    method: endpoint.method,
    headers: endpoint.method === 'POST' ? { 'content-type': 'application/json' } : {},
    ...(endpoint.body === undefined ? {} : { body: endpoint.body }),
    connections: settings.connections,
    warmupSeconds: settings.warmupSeconds,
    durationSeconds: settings.durationSeconds / settings.rounds,
  };
  const child = children.spawnNode(name, [path.join(BENCH_DIR, 'load.ts'), JSON.stringify(options)], {}, { stdout: 'pipe' });
  // Pinned before it has loaded its code, long before its first request.
  if (pinned && !pin(child.pid, PINNED.load)) throw new Error(`${name}: could not pin the load generator to CPU ${PINNED.load}`);
  const result = runSchema.parse(await jsonOutput(child));
  if (result.errors > 0 || result.non2xx > 0 || result.timeouts > 0) {
    throw new Error(`${name}: ${result.errors} errors, ${result.timeouts} timeouts, ${result.non2xx} non-2xx responses` +
      (result.errorSamples.length > 0 ? ` (${result.errorSamples.join('; ')})` : ''));
  }
  return result;
}

export function combine(runs: readonly Run[]): LoadResult {
  const seconds = runs.reduce((n, r) => n + r.durationSeconds, 0);
  const latencies = runs.flatMap((r) => r.latenciesUs.map((us) => us / 1000));
  return {
    requestsPerSecond: runs.reduce((n, r) => n + r.responses, 0) / seconds,
    bytesPerSecond: runs.reduce((n, r) => n + r.bytes, 0) / seconds,
    responses: runs.reduce((n, r) => n + r.responses, 0),
    latencyMs: { p50: percentile(latencies, 50), p99: percentile(latencies, 99), mean: mean(latencies) },
  };
}
