// The A/B comparison of two API builds: the working tree (A) against the code
// of a git ref (B), with the bare node:http server answering A's recorded
// bytes beside them. All three serve from one database, each pinned to the
// same CPU with the load generator on another (taskset), and take turns in
// short alternating runs (A, B, bare, then bare, B, A, …) for several rounds,
// so that a drift in the machine's load touches each side alike. Ratios are
// taken within each round, between runs seconds apart; their spread over the
// rounds says how much of a difference is the machine's.
//
// Beside req/s, each side's CPU time per request (the server process's
// utime + stime over a run and its warm-up, ÷ the responses it answered): on a
// machine whose other work takes CPU time from the pinned server, req/s moves
// with that work and CPU time per request much less.
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { load, pin, PINNED, recordAnswers, startBaseline, type Endpoint, type Run } from './http.ts';
import type { Children } from './processes.ts';
import { percentile } from './stats.ts';
import { startApiProcess } from './tariff.ts';

export interface AbSettings {
  connections: number;
  rounds: number;
  /** Before every measured run. */
  warmupSeconds: number;
  /** Each measured run. */
  runSeconds: number;
}

export interface AbSide {
  /** Over every run: responses ÷ seconds. */
  requestsPerSecond: number;
  /** req/s per round, in round order. */
  perRound: number[];
  /** Over every run: the server's CPU µs ÷ responses (warm-ups included). */
  cpuUsPerRequest: number;
  /** CPU µs per request, per round. */
  cpuPerRound: number[];
}

export interface AbComparison {
  endpoint: Endpoint;
  a: AbSide;
  b: AbSide;
  bare: AbSide;
}

type Side = 'a' | 'b' | 'bare';

export async function measureAb(options: {
  children: Children; workDir: string; databaseUrl: string; refRoot: string;
  endpoints: readonly Endpoint[]; settings: AbSettings; progress: (message: string) => void;
  /** Run with both API instances up, after the HTTP rounds (the in-process quote A/B connects its clients to them). */
  alsoWithApis?: (urls: { a: string; b: string }) => Promise<void>;
}): Promise<AbComparison[]> {
  const { children, settings } = options;
  const a = await startApiProcess(children, 'api-a', options.databaseUrl);
  const b = await startApiProcess(children, 'api-b', options.databaseUrl, options.refRoot);
  const { manifest } = await recordAnswers(a.baseUrl, options.endpoints, options.workDir);
  const bare = await startBaseline(children, manifest, 'bare');
  try {
    const pinned = cpus().length >= 2 && [a.child.pid, b.child.pid, bare.child.pid].every((pid) => pin(pid, PINNED.server));
    if (!pinned) options.progress('not pinned: taskset is missing or the machine has one CPU; the sides share every CPU with the load generator');
    const urls: Record<Side, string> = { a: a.baseUrl, b: b.baseUrl, bare: bare.url };
    const load_ = { connections: settings.connections, warmupSeconds: settings.warmupSeconds, durationSeconds: settings.runSeconds, rounds: 1 };
    const results: AbComparison[] = [];
    for (const [i, endpoint] of options.endpoints.entries()) {
      options.progress(`A/B ${endpoint.name}: ${settings.rounds} rounds × 3 sides × (${settings.warmupSeconds} s + ${settings.runSeconds} s)`);
      const runs: Record<Side, Measured[]> = { a: [], b: [], bare: [] };
      const pids: Record<Side, number> = { a: a.child.pid, b: b.child.pid, bare: bare.child.pid };
      for (let round = 0; round < settings.rounds; round++) {
        const order: Side[] = ['a', 'b', 'bare'];
        for (const side of round % 2 === 0 ? order : order.reverse()) {
          const before = await cpuSeconds(pids[side]);
          const run = await load(children, `ab-${i}-${side}-${round + 1}`, urls[side], endpoint, load_, pinned);
          runs[side].push({ ...run, cpuSeconds: (await cpuSeconds(pids[side])) - before });
        }
      }
      results.push({ endpoint, a: side(runs.a), b: side(runs.b), bare: side(runs.bare) });
    }
    await options.alsoWithApis?.({ a: a.baseUrl, b: b.baseUrl });
    return results;
  } finally {
    for (const child of [a.child, b.child, bare.child]) await children.stop(child);
  }
}

type Measured = Run & { cpuSeconds: number };

function side(runs: readonly Measured[]): AbSide {
  const seconds = runs.reduce((n, r) => n + r.durationSeconds, 0);
  const answered = (r: Measured) => r.responses + r.warmupResponses;
  return {
    requestsPerSecond: runs.reduce((n, r) => n + r.responses, 0) / seconds,
    perRound: runs.map((r) => r.responses / r.durationSeconds),
    cpuUsPerRequest: (runs.reduce((n, r) => n + r.cpuSeconds, 0) * 1e6) / runs.reduce((n, r) => n + answered(r), 0),
    cpuPerRound: runs.map((r) => (r.cpuSeconds * 1e6) / answered(r)),
  };
}

const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

/** A process's CPU time so far, every thread's (utime + stime, /proc/<pid>/stat). */
async function cpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may hold spaces: utime and stime are the 12th and 13th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/** The per-round ratios x ÷ y (of req/s, or of CPU per request): their median and range. */
export function ratioSpread(x: AbSide, y: AbSide, of: 'perRound' | 'cpuPerRound' = 'perRound'): { median: number; min: number; max: number } {
  const ratios = x[of].map((value, i) => value / y[of][i]!);
  return { median: percentile(ratios, 50), min: Math.min(...ratios), max: Math.max(...ratios) };
}

/** The comparison as a text table: each side's req/s, its ratio to bare, and A ÷ B, each with its per-round median and range. */
export function abTable(results: readonly AbComparison[], labels: { a: string; b: string }): string {
  const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
  const spread = (s: { median: number; min: number; max: number }) => `${s.median.toFixed(3)}× (${s.min.toFixed(3)}–${s.max.toFixed(3)})`;
  const lines = [
    `A = ${labels.a}; B = ${labels.b}. Ratios: median of the per-round ratios (range over the rounds).`,
    'req/s: higher is faster. CPU µs per request: lower is cheaper (an A ÷ B below 1 means A costs less).',
    '',
  ];
  for (const r of results) {
    lines.push(
      `${r.endpoint.name}`,
      `  A ${fmt(r.a.requestsPerSecond)} req/s, ÷ bare ${spread(ratioSpread(r.a, r.bare))}`,
      `  B ${fmt(r.b.requestsPerSecond)} req/s, ÷ bare ${spread(ratioSpread(r.b, r.bare))}`,
      `  bare ${fmt(r.bare.requestsPerSecond)} req/s`,
      `  A ÷ B req/s ${spread(ratioSpread(r.a, r.b))}`,
      `  CPU per request: A ${r.a.cpuUsPerRequest.toFixed(1)} µs, B ${r.b.cpuUsPerRequest.toFixed(1)} µs, bare ${r.bare.cpuUsPerRequest.toFixed(1)} µs; `
        + `A ÷ B ${spread(ratioSpread(r.a, r.b, 'cpuPerRound'))}, A ÷ bare ${spread(ratioSpread(r.a, r.bare, 'cpuPerRound'))}`,
      `  per round (req/s) A ${r.a.perRound.map(fmt).join(' ')}; B ${r.b.perRound.map(fmt).join(' ')}; bare ${r.bare.perRound.map(fmt).join(' ')}`,
    );
  }
  return lines.join('\n');
}
