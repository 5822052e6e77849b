// The sync driver. Every few seconds it edits the models.dev payload the local
// upstream serves (a few anthropic prices up or down 4%, alternately, so the
// ×10 guard never trips) and runs an unforced, applied sync of anthropic
// through syncProvider, as a worker's job would; after each commit it measures
// how long until both instances answer with the new catalog version.
//
// It runs on a thread of its own (sync-thread.ts): fetching, parsing and
// diffing a 4 MB payload would otherwise stall the load generator's timetable
// and show up as API latency.
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { Pool as HttpPool } from 'undici';
import type { Config } from '../../src/config.ts';
import type { Pool } from '../../src/db/pool.ts';
import type { Logger } from '../../src/log.ts';
import { syncProvider } from '../../src/sync/provider.ts';
import { fixtureJson, type UpstreamServer } from '../support/upstream.ts';
import type { LoadTarget } from './load.ts';

export const SYNCED_PROVIDER = 'anthropic';
const NUDGED_MODELS = 4;
const NUDGE = 0.04;
const PROPAGATION_DEADLINE_MS = 10_000;
const PROBE_EVERY_MS = 2;
const KEPT_ERROR_SAMPLES = 10;

type Cost = Record<string, unknown>;
type ModelsDevPayload = Record<string, { models: Record<string, { cost?: Cost }> }>;

export interface SyncRecord {
  /** Since the load started. */
  atMs: number;
  syncMs: number;
  version: number;
  updated: number;
  /** Commit → first answer with the new version, per instance; undefined when it never came. */
  instancesMs: (number | undefined)[];
  /** Commit → both instances serve it. */
  bothMs: number | undefined;
}

export interface SyncDeps {
  pool: Pool;
  config: Config;
  logger: Logger;
  upstream: UpstreamServer;
  targets: readonly LoadTarget[];
  everyMs: number;
  /** Called after each round, for progress. */
  onRound?: () => void;
}

export class SyncDriver {
  readonly records: SyncRecord[] = [];
  readonly errors = new Map<string, number>();
  readonly errorSamples: string[] = [];
  /** The anthropic models whose input and output prices each sync moves. */
  readonly nudged: string[];
  private readonly payload = fixtureJson<ModelsDevPayload>('models_dev');
  private readonly base = new Map<string, { input: number; output: number }>();
  private readonly probes: HttpPool[];
  private readonly probePath: string;
  private readonly wake = new AbortController();
  private readonly deps: SyncDeps;
  private running: Promise<void> | undefined;
  private t0 = 0;

  constructor(deps: SyncDeps) {
    this.deps = deps;
    const models = this.payload[SYNCED_PROVIDER]?.models ?? {};
    this.nudged = Object.keys(models).sort()
      .filter((id) => typeof models[id]?.cost?.input === 'number' && typeof models[id]?.cost?.output === 'number' && Number(models[id]?.cost?.input) > 0)
      .slice(0, NUDGED_MODELS);
    if (this.nudged.length === 0) throw new Error(`the models.dev fixture has no priced ${SYNCED_PROVIDER} models to change`);
    for (const id of this.nudged) {
      const cost = models[id]!.cost!;
      this.base.set(id, { input: Number(cost.input), output: Number(cost.output) });
    }
    this.probePath = `/costs/${SYNCED_PROVIDER}/${encodeURIComponent(this.nudged[0]!)}`;
    this.probes = deps.targets.map((t) => new HttpPool(t.baseUrl, { connections: 1, headersTimeout: 5_000, bodyTimeout: 5_000 }));
  }

  get errorCount(): number { return [...this.errors.values()].reduce((a, b) => a + b, 0); }

  /** Syncs on a fixed timetable from t0 (performance.now()): at t0 + every, t0 + 2·every, …; a slot a slow sync overran is skipped. */
  start(t0: number): void {
    this.t0 = t0;
    this.running = this.loop();
  }

  /** Lets a sync under way finish (with its propagation measurement), then stops. */
  async stop(): Promise<void> {
    this.wake.abort();
    await this.running;
    await Promise.all(this.probes.map((p) => p.destroy()));
  }

  private async loop(): Promise<void> {
    const { everyMs } = this.deps;
    for (let round = 1, slot = 1; !this.wake.signal.aborted; round += 1) {
      const wait = this.t0 + slot * everyMs - performance.now();
      if (wait > 0) await sleep(wait, undefined, { signal: this.wake.signal }).catch(() => undefined);
      if (this.wake.signal.aborted) return;
      await this.syncOnce(round);
      this.deps.onRound?.();
      slot = Math.max(slot + 1, Math.floor((performance.now() - this.t0) / everyMs) + 1);
    }
  }

  private async syncOnce(round: number): Promise<void> {
    const { pool, config, logger, upstream } = this.deps;
    const factor = round % 2 === 1 ? 1 + NUDGE : 1 - NUDGE;
    for (const [id, base] of this.base) {
      const cost = this.payload[SYNCED_PROVIDER]!.models[id]!.cost!;
      cost.input = Number((base.input * factor).toFixed(6));
      cost.output = Number((base.output * factor).toFixed(6));
    }
    upstream.setBody('models_dev', JSON.stringify(this.payload));

    const started = performance.now();
    try {
      const result = await syncProvider({ pool, config, logger }, {
        provider: SYNCED_PROVIDER, dry_run: false, force: false, triggered_by: 'manual', job_id: null, attempt: null,
      });
      const committed = performance.now();
      if (result.status !== 'success') {
        this.fail(`sync_${result.status}`, `sync ${round}: ${result.status} (${result.reason})`);
        return;
      }
      if (result.counts.updated === 0) {
        this.fail('sync_changed_nothing', `sync ${round}: no price changed`);
        return;
      }
      const { rows } = await pool.query<{ version: string }>('select version from catalog_version');
      const version = Number(rows[0]?.version);
      const instancesMs = await Promise.all(this.probes.map((probe, i) => this.servedAfter(probe, i, version, committed)));
      const both = instancesMs.every((ms) => ms !== undefined) ? Math.max(...(instancesMs as number[])) : undefined;
      this.records.push({
        atMs: started - this.t0, syncMs: committed - started, version, updated: result.counts.updated, instancesMs, bothMs: both,
      });
    } catch (err) {
      this.fail('sync_failed', `sync ${round}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** Polls one instance until it answers with `version` or later; ms since the commit. */
  private async servedAfter(probe: HttpPool, index: number, version: number, committed: number): Promise<number | undefined> {
    const name = this.deps.targets[index]!.name;
    for (;;) {
      let served: number;
      try {
        const res = await probe.request({ method: 'GET', path: this.probePath });
        await res.body.dump();
        served = Number(res.headers['x-catalog-version']);
      } catch (err) {
        this.fail('propagation_probe_failed', `${name} GET ${this.probePath}: ${err instanceof Error ? err.message : String(err)}`);
        return undefined;
      }
      const now = performance.now();
      if (served >= version) return now - committed;
      if (now - committed > PROPAGATION_DEADLINE_MS) {
        this.fail('propagation_timeout', `${name} still served version ${served} ${PROPAGATION_DEADLINE_MS} ms after version ${version} committed`);
        return undefined;
      }
      await sleep(PROBE_EVERY_MS);
    }
  }

  private fail(kind: string, sample: string): void {
    this.errors.set(kind, (this.errors.get(kind) ?? 0) + 1);
    if (this.errorSamples.length < KEPT_ERROR_SAMPLES) this.errorSamples.push(sample);
  }
}

/** What the thread is started with (structured-cloned). */
export interface SyncThreadData {
  databaseUrl: string;
  /** The environment the configuration is read from; the upstream URLs are the thread's own. */
  env: Record<string, string | undefined>;
  logLevel: string;
  targets: LoadTarget[];
  everyMs: number;
}

export interface SyncOutcome {
  records: SyncRecord[];
  errors: Record<string, number>;
  errorSamples: string[];
}

export type ToThread = { type: 'start'; t0: number } | { type: 'stop' };
export type FromThread =
  | { type: 'ready'; nudged: string[] }
  | { type: 'round'; syncs: number; errors: number }
  | ({ type: 'done' } & SyncOutcome);

/** The main thread's handle on the sync thread. */
export class SyncThread {
  nudged: string[] = [];
  syncs = 0;
  errorCount = 0;
  private readonly worker: Worker;
  private readonly outcome: Promise<SyncOutcome>;

  private constructor(worker: Worker, outcome: Promise<SyncOutcome>) {
    this.worker = worker;
    this.outcome = outcome;
  }

  /** Starts the thread (its upstream server, pool and payload); resolves once it is ready. */
  static start(data: SyncThreadData): Promise<SyncThread> {
    const worker = new Worker(new URL('./sync-thread.ts', import.meta.url), { workerData: data });
    let ready: (nudged: string[]) => void;
    let finished: (outcome: SyncOutcome) => void;
    const started = new Promise<string[]>((resolve) => { ready = resolve; });
    const outcome = new Promise<SyncOutcome>((resolve) => { finished = resolve; });
    let thread: SyncThread | undefined;
    worker.on('message', (message: FromThread) => {
      if (message.type === 'ready') ready(message.nudged);
      else if (message.type === 'round' && thread) {
        thread.syncs = message.syncs;
        thread.errorCount = message.errors;
      } else if (message.type === 'done') finished({ records: message.records, errors: message.errors, errorSamples: message.errorSamples });
    });
    let failure: Error | undefined;
    worker.on('error', (err) => { failure = err; });
    const exited = new Promise<never>((_, reject) => worker.once('exit', (code) => {
      const why = failure?.message ?? `exit code ${code}`;
      finished({ records: [], errors: { sync_thread_failed: 1 }, errorSamples: [`the sync thread stopped: ${why}`] });
      reject(new Error(`the sync thread stopped before it was ready: ${why}`, { cause: failure }));
    }));
    exited.catch(() => undefined);
    return Promise.race([started, exited]).then((nudged) => {
      thread = new SyncThread(worker, outcome);
      thread.nudged = nudged;
      return thread;
    });
  }

  /** Starts the timetable at t0, on this thread's performance.now() clock. */
  begin(t0: number): void {
    this.post({ type: 'start', t0: performance.timeOrigin + t0 });
  }

  /** Lets a sync under way finish, then collects the results. */
  async stop(): Promise<SyncOutcome> {
    this.post({ type: 'stop' });
    return this.outcome;
  }

  async terminate(): Promise<void> {
    await this.worker.terminate();
  }

  private post(message: ToThread): void {
    this.worker.postMessage(message);
  }
}
