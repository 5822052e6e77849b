// The soak's results: one JSON-able object (written by --report) and its text
// form for stdout.
import { formatDuration } from './options.ts';
import { ROUTE_LABELS, ROUTES, type LoadResults } from './load.ts';
import type { MemorySample, MemoryVerdict } from './memory.ts';
import type { SyncRecord } from './syncs.ts';

const MAX_TABLE_ROWS = 14;
const MAX_WARMUP_ROWS = 4;
const SHORT_RUN_MS = 60_000;

export interface Percentiles { count: number; p50: number; p90: number; p99: number; max: number }

export interface SoakReport {
  pass: boolean;
  interrupted: boolean;
  run: {
    started_at: string;
    duration_ms: number;
    warmup_ms: number;
    rate: number;
    sync_every_ms: number;
    sample_every_ms: number;
    database: string;
    instances: { name: string; pid: number; url: string }[];
    models_in_workload: number;
  };
  /** The measured window; warm-up apart. */
  requests: {
    planned: number; sent: number; answered: number; elapsed_ms: number; achieved_rate: number; send_lag_ms: Percentiles;
    warmup: { sent: number; completed: number; errors: number };
    /** Requests sent to each instance (warm-up included) and the highest catalog version it answered with. */
    per_instance: { name: string; sent: number; lastVersion: number }[];
  };
  /** Warm-up included. */
  errors: { total: number; by_kind: Record<string, number>; samples: string[] };
  latency_ms: Record<string, Percentiles & { ok: number; mb_received: number }>;
  syncs: {
    provider: string;
    nudged_models: string[];
    applied: number;
    during_warmup: number;
    sync_ms: Percentiles;
    propagation_ms: Percentiles;
    propagation_p50_by_instance: Record<string, number>;
    rounds: SyncRecord[];
  };
  instances: Record<string, { catalog_reloads: Record<string, number>; log_lines: { warn: number; error: number; other: number; first: string[] } }>;
  memory: { sample_every_ms: number; samples: MemorySample[]; verdict: MemoryVerdict };
}

export function percentiles(values: readonly number[]): Percentiles {
  if (values.length === 0) return { count: 0, p50: NaN, p90: NaN, p99: NaN, max: NaN };
  const sorted = Float64Array.from(values).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
  return { count: sorted.length, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: sorted[sorted.length - 1]! };
}

export function latencyTable(load: LoadResults): SoakReport['latency_ms'] {
  const table: SoakReport['latency_ms'] = {};
  for (const route of ROUTES) {
    const stats = load.routes[route];
    table[ROUTE_LABELS[route]] = { ...percentiles(stats.latenciesMs), ok: stats.ok, mb_received: round(stats.bytes / 1024 / 1024, 1) };
  }
  const all = ROUTES.flatMap((r) => load.routes[r].latenciesMs);
  const bytes = ROUTES.reduce((sum, r) => sum + load.routes[r].bytes, 0);
  table.all = { ...percentiles(all), ok: ROUTES.reduce((sum, r) => sum + load.routes[r].ok, 0), mb_received: round(bytes / 1024 / 1024, 1) };
  return table;
}

export function formatReport(report: SoakReport): string {
  const { run, requests, errors, syncs, memory } = report;
  const names = run.instances.map((i) => i.name);
  const lines: string[] = [];
  const add = (...more: string[]) => lines.push(...more);

  add('', `tariff soak report${report.interrupted ? ' (INTERRUPTED: partial run)' : ''}`, '');
  add(`  run          ${formatDuration(run.duration_ms)} measured${run.warmup_ms > 0 ? ` after ${formatDuration(run.warmup_ms)} of warm-up` : ''}, at ${run.rate} req/s over ${run.instances.length} API processes, an ${syncs.provider} sync every ${formatDuration(run.sync_every_ms)}`);
  add(`  instances    ${run.instances.map((i) => `${i.name} pid ${i.pid} ${i.url}`).join(', ')}`);
  add(`  database     ${run.database}`);
  add(`  workload     60% GET /costs/:provider/:model, 25% POST /costs/quote, 10% GET /costs?provider=anthropic, 5% GET /costs; ${run.models_in_workload} priced models`);
  add(`  requests     ${requests.planned} planned, ${requests.sent} sent, ${requests.answered} answered in ${(requests.elapsed_ms / 1000).toFixed(1)} s: ${requests.achieved_rate.toFixed(1)} req/s achieved`
    + `${requests.warmup.sent > 0 ? ` (and ${requests.warmup.sent} in warm-up)` : ''}`);
  add(`  send lag     p50 ${ms(requests.send_lag_ms.p50)}, p99 ${ms(requests.send_lag_ms.p99)}, max ${ms(requests.send_lag_ms.max)} ms (how late the load generator sent against its timetable)`);
  add(`  errors       ${errors.total} ${errors.total === 0 ? '(ok: must be 0)' : '(FAIL: must be 0)'}, warm-up and syncs included`);
  for (const [kind, count] of Object.entries(errors.by_kind)) add(`                 ${kind}: ${count}`);
  for (const sample of errors.samples) add(`                 e.g. ${sample}`);

  add('', '  latency, ms from the scheduled send time');
  const header = ['route', 'count', 'ok', 'p50', 'p90', 'p99', 'max', 'MB recv'];
  const rows = Object.entries(report.latency_ms).map(([label, p]) =>
    [label, String(p.count), String(p.ok), ms(p.p50), ms(p.p90), ms(p.p99), ms(p.max), String(p.mb_received)]);
  add(...table(header, rows).map((l) => `    ${l}`));

  add('', `  syncs        ${syncs.applied} applied, ${syncs.during_warmup} of them in warm-up (unforced; ${syncs.nudged_models.join(', ')} moved ±4% in turn)`);
  add(`               sync time p50 ${ms(syncs.sync_ms.p50)} ms, max ${ms(syncs.sync_ms.max)} ms`);
  add(`  propagation  commit → both instances answer with the new X-Catalog-Version: p50 ${ms(syncs.propagation_ms.p50)} ms, p99 ${ms(syncs.propagation_ms.p99)} ms, max ${ms(syncs.propagation_ms.max)} ms (${syncs.propagation_ms.count} syncs)`);
  add(`               per instance p50: ${Object.entries(syncs.propagation_p50_by_instance).map(([n, v]) => `${n} ${ms(v)} ms`).join(', ')}`);
  add(`  reloads      ${Object.entries(report.instances).map(([n, i]) => `${n} ${Object.entries(i.catalog_reloads).map(([r, c]) => `${r} ${c}`).join(', ') || 'none'}`).join('; ')} (from /metrics)`);
  add(`  API logs     ${Object.entries(report.instances).map(([n, i]) => `${n} warn ${i.log_lines.warn}, error ${i.log_lines.error}, other ${i.log_lines.other}`).join('; ')}`);

  add('', `  memory, MB (RSS from /proc, V8 heap used from /metrics), every ${formatDuration(memory.sample_every_ms)}; negative t is warm-up`);
  const memHeader = ['t', ...names.flatMap((n) => [`${n} RSS`, `${n} heap`])];
  const warmup = memory.samples.filter((s) => s.atMs < -memory.sample_every_ms / 2);
  const measured = memory.samples.slice(warmup.length);
  const shown = [...thin(warmup, MAX_WARMUP_ROWS), ...thin(measured, MAX_TABLE_ROWS)];
  const memRows = shown.map((s) => [`${Math.round(s.atMs / 1000)}s`, ...names.flatMap((_, i) => [mb(s.rssMb[i]), mb(s.heapMb[i])])]);
  add(...table(memHeader, memRows).map((l) => `    ${l}`));
  if (shown.length < memory.samples.length) add(`    (${shown.length} of ${memory.samples.length} samples shown; all are in --report)`);
  add(`  rule         ${memory.verdict.rule}`);
  for (const p of memory.verdict.processes) {
    add(`  ${p.name.padEnd(12)} middle third ${mb(p.middleMb)} MB → last third ${mb(p.lastMb)} MB: ${sign(p.growthMb)} MB, ${sign(p.growthPercent)}%  ${p.flat ? 'flat' : 'NOT FLAT'}`);
  }

  add('', `  verdict      ${report.pass ? 'PASS' : 'FAIL'}: ${errors.total} errors, memory ${memory.verdict.flat ? 'flat' : 'NOT flat'}${report.interrupted ? ', interrupted' : ''}`);
  if (!memory.verdict.flat && run.duration_ms + run.warmup_ms < SHORT_RUN_MS) {
    add(`               (an API process's heap takes ~30 s of load to reach its working size; a run this short mostly measures that)`);
  }
  add('');
  return lines.join('\n');
}

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(header), ...rows.map(line)];
}

/** At most n items, evenly spread, first and last included. */
function thin<T>(items: readonly T[], n: number): T[] {
  if (items.length <= n) return [...items];
  return Array.from({ length: n }, (_, i) => items[Math.round((i * (items.length - 1)) / (n - 1))]!);
}

function ms(value: number): string {
  if (!Number.isFinite(value)) return '-';
  return value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : value.toFixed(0);
}

function mb(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value) ? '-' : value.toFixed(1);
}

function sign(value: number): string {
  if (!Number.isFinite(value)) return '-';
  return `${value >= 0 ? '+' : ''}${value.toFixed(1)}`;
}

export function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
