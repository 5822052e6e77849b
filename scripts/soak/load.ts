// Open-model load: requests leave on a fixed timetable (rate per second,
// whatever the answers do), round-robin over the instances, over keep-alive
// connections. Latency is measured from each request's scheduled send time,
// so a slow answer that delays later sends is counted against them too
// (no coordinated omission). The first part of the timetable is warm-up:
// its errors count, its latencies do not.
import { seededRandom } from '../support/random.ts';
import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';

export const ROUTES = ['model', 'quote', 'provider', 'catalog'] as const;
export type RouteName = (typeof ROUTES)[number];
export const ROUTE_LABELS: Record<RouteName, string> = {
  model: 'GET /costs/:provider/:model',
  quote: 'POST /costs/quote',
  provider: 'GET /costs?provider=anthropic',
  catalog: 'GET /costs',
};
const MIX: ReadonlyArray<readonly [RouteName, number]> = [['model', 0.6], ['quote', 0.25], ['provider', 0.1], ['catalog', 0.05]];

const TICK_MS = 2;
const REQUEST_TIMEOUT_MS = 10_000;
const CONNECTIONS_PER_INSTANCE = 32;
const KEPT_ERROR_SAMPLES = 10;

export interface LoadTarget { name: string; baseUrl: string }

/** What the requests ask for: model paths for GET /costs/:provider/:model, JSON bodies for quotes. */
export interface Workload { modelPaths: string[]; quoteBodies: string[] }

export interface RouteStats { sent: number; ok: number; bytes: number; latenciesMs: number[] }

export interface LoadResults {
  /** Requests of the measured window (after warm-up). */
  planned: number;
  sent: number;
  completed: number;
  /** From the measured window's first scheduled send to the last answer. */
  elapsedMs: number;
  warmup: { sent: number; completed: number; errors: number };
  routes: Record<RouteName, RouteStats>;
  perTarget: { name: string; sent: number; lastVersion: number }[];
  errors: Record<string, number>;
  errorSamples: string[];
  /** How late each request left against its timetable slot (a busy load generator shows here). */
  sendLagMs: number[];
}

interface TargetState {
  name: string;
  sent: number;
  lastVersion: number;
  /** The highest version answered so far, and when that answer arrived. */
  seen: { version: number; at: number };
}

export class LoadGenerator {
  private readonly pools: Pool[];
  private readonly random = seededRandom(0x50a4);
  private readonly routes = Object.fromEntries(ROUTES.map((r) => [r, { sent: 0, ok: 0, bytes: 0, latenciesMs: [] }])) as unknown as Record<RouteName, RouteStats>;
  private readonly perTarget: TargetState[];
  private readonly errors = new Map<string, number>();
  private readonly errorSamples: string[] = [];
  private readonly sendLagMs: number[] = [];
  private t0 = 0;
  private measureFrom = 0;
  private firstMeasured = 0;
  private lastAnswer = 0;
  private planned = 0;
  private issued = 0;
  private completed = 0;
  private readonly warmup = { completed: 0, errors: 0 };
  private inFlight = 0;
  private timer: NodeJS.Timeout | undefined;
  private idle: (() => void) | undefined;

  private readonly targets: readonly LoadTarget[];
  private readonly rate: number;
  private readonly workload: Workload;

  constructor(targets: readonly LoadTarget[], rate: number, workload: Workload) {
    this.targets = targets;
    this.rate = rate;
    this.workload = workload;
    if (workload.modelPaths.length === 0 || workload.quoteBodies.length === 0) throw new Error('the workload has no models to ask for');
    this.pools = targets.map((t) => new Pool(t.baseUrl, {
      connections: CONNECTIONS_PER_INSTANCE, pipelining: 1, keepAliveTimeout: 60_000,
      headersTimeout: REQUEST_TIMEOUT_MS, bodyTimeout: REQUEST_TIMEOUT_MS,
    }));
    this.perTarget = targets.map((t) => ({ name: t.name, sent: 0, lastVersion: 0, seen: { version: 0, at: -Infinity } }));
  }

  get sent(): number { return this.issued; }
  get errorCount(): number { return [...this.errors.values()].reduce((a, b) => a + b, 0); }

  /** Sends for warmupMs + durationMs; requests scheduled in the first warmupMs are warm-up. */
  start(warmupMs: number, durationMs: number): void {
    this.t0 = performance.now();
    this.measureFrom = this.t0 + warmupMs;
    this.firstMeasured = Math.ceil((warmupMs * this.rate) / 1000);
    this.planned = Math.floor(((warmupMs + durationMs) * this.rate) / 1000);
    this.timer = setInterval(() => this.tick(), TICK_MS);
    this.tick();
  }

  /** Stops sending (the timetable's end, or an interrupt); answers still on the way are awaited by drain(). */
  stopSending(): void {
    clearInterval(this.timer);
    this.planned = this.issued;
  }

  /** Resolves when every sent request has its answer or error, or after timeoutMs. */
  async drain(timeoutMs: number): Promise<void> {
    if (this.inFlight > 0) {
      await Promise.race([
        new Promise<void>((resolve) => { this.idle = resolve; }),
        new Promise((resolve) => setTimeout(resolve, timeoutMs).unref()),
      ]);
    }
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all(this.pools.map((p) => p.destroy()));
  }

  results(): LoadResults {
    const warmupSent = Math.min(this.issued, this.firstMeasured);
    return {
      planned: Math.max(0, this.planned - this.firstMeasured),
      sent: this.issued - warmupSent,
      completed: this.completed - this.warmup.completed,
      elapsedMs: Math.max(0, (this.lastAnswer || performance.now()) - this.measureFrom),
      warmup: { sent: warmupSent, completed: this.warmup.completed, errors: this.warmup.errors },
      routes: this.routes,
      perTarget: this.perTarget.map(({ name, sent, lastVersion }) => ({ name, sent, lastVersion })),
      errors: Object.fromEntries(this.errors),
      errorSamples: this.errorSamples,
      sendLagMs: this.sendLagMs,
    };
  }

  private tick(): void {
    const due = Math.min(this.planned, Math.floor(((performance.now() - this.t0) * this.rate) / 1000) + 1);
    while (this.issued < due) {
      const index = this.issued++;
      void this.send(index, this.t0 + (index * 1000) / this.rate);
    }
    if (this.issued >= this.planned) clearInterval(this.timer);
  }

  private async send(index: number, scheduled: number): Promise<void> {
    const targetIndex = index % this.targets.length;
    const target = this.perTarget[targetIndex]!;
    const route = this.pickRoute();
    const measured = index >= this.firstMeasured;
    // Warm-up requests go to a scratch record: they count as errors, not as latencies.
    const stats = measured ? this.routes[route] : { sent: 0, ok: 0, bytes: 0, latenciesMs: [] as number[] };
    const sentAt = performance.now();
    if (measured) this.sendLagMs.push(sentAt - scheduled);
    stats.sent += 1;
    target.sent += 1;
    this.inFlight += 1;
    try {
      const res = await this.pools[targetIndex]!.request(this.requestFor(route));
      let bytes = 0;
      for await (const chunk of res.body) bytes += (chunk as Buffer).length;
      const done = performance.now();
      stats.latenciesMs.push(done - scheduled);
      stats.bytes += bytes;
      if (res.statusCode < 200 || (res.statusCode >= 300 && res.statusCode !== 304)) {
        this.fail(`http_${res.statusCode}`, `${target.name} ${ROUTE_LABELS[route]}: HTTP ${res.statusCode}`, measured);
        return;
      }
      if (route !== 'quote' && !this.versionHolds(target, res.headers['x-catalog-version'], sentAt, done, route, measured)) return;
      stats.ok += 1;
    } catch (err) {
      stats.latenciesMs.push(performance.now() - scheduled);
      const code = (err as { code?: unknown }).code;
      const kind = code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' ? 'timeout' : `network_${typeof code === 'string' ? code : 'error'}`;
      this.fail(kind, `${target.name} ${ROUTE_LABELS[route]}: ${err instanceof Error ? err.message : String(err)}`, measured);
    } finally {
      this.completed += 1;
      if (!measured) this.warmup.completed += 1;
      this.inFlight -= 1;
      this.lastAnswer = performance.now();
      if (this.inFlight === 0 && this.issued >= this.planned) this.idle?.();
    }
  }

  /**
   * Every catalog answer names its version, and an instance never goes back: an
   * answer to a request sent after an older answer showed version v is at least v.
   */
  private versionHolds(target: TargetState, header: string | string[] | undefined, sentAt: number, done: number, route: RouteName, measured: boolean): boolean {
    const version = Number(header);
    if (typeof header !== 'string' || !Number.isInteger(version) || version <= 0) {
      this.fail('missing_catalog_version', `${target.name} ${ROUTE_LABELS[route]}: X-Catalog-Version is ${JSON.stringify(header)}`, measured);
      return false;
    }
    if (version > target.seen.version) {
      target.seen = { version, at: done };
    } else if (version < target.seen.version && sentAt > target.seen.at) {
      this.fail('catalog_version_went_back', `${target.name} ${ROUTE_LABELS[route]}: served version ${version} after serving ${target.seen.version}`, measured);
      return false;
    }
    target.lastVersion = Math.max(target.lastVersion, version);
    return true;
  }

  private requestFor(route: RouteName) {
    const pick = <T>(items: readonly T[]): T => items[Math.floor(this.random() * items.length)]!;
    switch (route) {
      case 'model': return { method: 'GET' as const, path: pick(this.workload.modelPaths) };
      case 'quote': return {
        method: 'POST' as const, path: '/costs/quote', headers: { 'content-type': 'application/json' }, body: pick(this.workload.quoteBodies),
      };
      case 'provider': return { method: 'GET' as const, path: '/costs?provider=anthropic' };
      case 'catalog': return { method: 'GET' as const, path: '/costs' };
    }
  }

  private pickRoute(): RouteName {
    let roll = this.random();
    for (const [route, share] of MIX) {
      if (roll < share) return route;
      roll -= share;
    }
    return 'model';
  }

  private fail(kind: string, sample: string, measured: boolean): void {
    this.errors.set(kind, (this.errors.get(kind) ?? 0) + 1);
    if (!measured) this.warmup.errors += 1;
    if (this.errorSamples.length < KEPT_ERROR_SAMPLES) this.errorSamples.push(sample);
  }
}

