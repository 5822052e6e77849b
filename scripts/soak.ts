// Soak test: steady reads against two API processes while syncs commit every
// few seconds, for a set duration. Reports errors (must be zero), latency
// percentiles, sync-to-serve propagation and memory over time (must be flat).
// Not part of `npm test`.
//
//   npm run soak -- [--duration 60s] [--warmup 30s] [--rate 200] [--sync-every 3s] [--report FILE]
//
// It starts everything itself and removes it at the end, Ctrl-C included:
// PostgreSQL (a fresh database on DATABASE_URL's server, or an embedded server
// in a temporary directory), a local upstream serving ../shared/fixtures/upstream,
// two `node src/main.ts api` child processes, and the sync driver on a worker
// thread of this process. Exit code 0 only with zero errors and flat memory.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { ConfigError, loadConfig } from '../src/config.ts';
import { prepareDatabase } from '../src/service.ts';
import { freePort } from './support/ports.ts';
import { UPSTREAM_FIXTURES } from './support/paths.ts';
import { ROUTES } from './support/upstream.ts';
import { createSoakDatabase } from './soak/database.ts';
import { startApiProcess, type ApiProcess } from './soak/instances.ts';
import { LoadGenerator, type LoadTarget } from './soak/load.ts';
import { judgeMemory, MemorySampler } from './soak/memory.ts';
import { formatDuration, parseOptions, USAGE, UsageError, type SoakOptions } from './soak/options.ts';
import { latencyTable, percentiles, round, formatReport, type SoakReport } from './soak/report.ts';
import { SYNCED_PROVIDER, SyncThread } from './soak/syncs.ts';
import { pickWorkload } from './soak/workload.ts';

const INSTANCES = 2;
const DRAIN_TIMEOUT_MS = 15_000;
const API_SHUTDOWN_TIMEOUT_MS = 10_000;
const PROGRESS_EVERY_MS = 10_000;

class Interrupted extends Error {
  override name = 'Interrupted';
}

let options: SoakOptions;
try {
  const parsed = parseOptions(process.argv.slice(2));
  if (!parsed) {
    process.stdout.write(USAGE);
    process.exit(0);
  }
  options = parsed;
} catch (err) {
  if (!(err instanceof UsageError)) throw err;
  process.stderr.write(`soak: ${err.message}\n\n${USAGE}`);
  process.exit(2);
}

const missing = Object.values(ROUTES).map((r) => path.join(UPSTREAM_FIXTURES, r.file)).filter((file) => !existsSync(file));
if (missing.length > 0) {
  process.stderr.write(`soak: the upstream fixtures are missing (${missing.join(', ')}).\n`
    + `The soak serves the real upstream payloads from ${UPSTREAM_FIXTURES} (../shared/fixtures/upstream beside the repository); check that directory out there.\n`);
  process.exit(1);
}

// Logs go to stderr, so stdout carries only the report.
const logger = pino({ name: 'tariff-soak', level: process.env.SOAK_LOG_LEVEL ?? 'warn' }, pino.destination(2));
const progress = (message: string) => process.stderr.write(`soak: ${message}\n`);

const interrupt = new AbortController();
const children: ApiProcess[] = [];
let signals = 0;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    signals += 1;
    if (signals === 1) {
      progress(`${signal}: stopping early and cleaning up (send it again to kill the API processes at once)`);
      interrupt.abort();
    } else {
      for (const child of children) child.kill();
    }
  });
}
const checkpoint = () => {
  if (interrupt.signal.aborted) throw new Interrupted('interrupted');
};

const cleanups: { what: string; run: () => Promise<unknown> }[] = [];
let report: SoakReport | undefined;
let failure: unknown;
try {
  report = await soak(options);
} catch (err) {
  failure = err;
} finally {
  for (const { what, run } of cleanups.reverse()) {
    await run().catch((err: unknown) => {
      progress(`cleanup of ${what} failed: ${err instanceof Error ? err.message : String(err)}`);
      failure ??= err;
    });
  }
}

if (report) {
  process.stdout.write(`${formatReport(report)}\n`);
  if (options.reportFile) {
    await writeFile(options.reportFile, `${JSON.stringify(report, null, 2)}\n`);
    progress(`JSON report written to ${options.reportFile}`);
  }
}
if (failure && !(failure instanceof Interrupted)) {
  const cause = failure instanceof Error && failure.cause instanceof Error ? ` (${failure.cause.message})` : '';
  progress(`failed: ${failure instanceof Error ? failure.message : String(failure)}${cause}`);
}
process.exit(report?.interrupted || failure instanceof Interrupted ? 130 : failure ? 1 : report?.pass ? 0 : 1);

async function soak(opts: SoakOptions): Promise<SoakReport> {
  const startedAt = new Date();
  progress(process.env.DATABASE_URL ? 'creating a fresh database on DATABASE_URL\'s server…' : 'starting an embedded PostgreSQL…');
  const db = await createSoakDatabase(process.env.DATABASE_URL?.trim() || undefined, logger);
  cleanups.push({ what: 'PostgreSQL', run: () => db.release() });
  checkpoint();

  const env: Record<string, string | undefined> = {
    ...process.env,
    DATABASE_URL: db.url,
    API_DATABASE_URL: '',
    HOST: '127.0.0.1',
    LOG_LEVEL: process.env.SOAK_API_LOG_LEVEL ?? 'warn',
    ADMIN_TOKEN: randomBytes(24).toString('hex'),
    SHUTDOWN_TIMEOUT_MS: String(API_SHUTDOWN_TIMEOUT_MS),
  };
  let config;
  try {
    config = loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) throw new Error(`the environment does not make a valid tariff configuration: ${err.message}`);
    throw err;
  }
  if (!config.providers.some((p) => p.provider === SYNCED_PROVIDER && p.source === 'models_dev')) {
    throw new Error(`PROVIDERS_IN_USE must include ${SYNCED_PROVIDER}, synced from models.dev: the soak's syncs change its prices`);
  }

  progress('migrating and loading the bundled snapshot…');
  await prepareDatabase(db.url, config, logger);
  checkpoint();

  for (let i = 1; i <= INSTANCES; i += 1) {
    const api = startApiProcess(`api-${i}`, await freePort(), env, (line) => process.stderr.write(`${line}\n`));
    children.push(api);
    cleanups.push({ what: api.name, run: () => api.stop(API_SHUTDOWN_TIMEOUT_MS + 5_000) });
  }
  progress(`starting ${INSTANCES} API processes (${children.map((c) => `${c.name} pid ${c.pid}`).join(', ')})…`);
  await Promise.race([Promise.all(children.map((c) => c.waitUntilReady())), aborted()]);
  checkpoint();

  const targets: LoadTarget[] = children.map((c) => ({ name: c.name, baseUrl: c.baseUrl }));
  const workload = await pickWorkload(targets[0]!.baseUrl, config.providers.map((p) => p.provider));
  const load = new LoadGenerator(targets, opts.rate, workload);
  cleanups.push({ what: 'the load generator', run: () => load.close() });
  const syncs = await SyncThread.start({
    databaseUrl: db.url, env, logLevel: logger.level, targets, everyMs: opts.syncEveryMs,
  });
  cleanups.push({ what: 'the sync thread', run: () => syncs.terminate() });
  const sampler = new MemorySampler(children, opts.sampleEveryMs);

  progress(`running ${opts.warmupMs > 0 ? `${formatDuration(opts.warmupMs)} of warm-up, then ` : ''}${formatDuration(opts.durationMs)} measured, `
    + `at ${opts.rate} req/s, an ${SYNCED_PROVIDER} sync every ${formatDuration(opts.syncEveryMs)}…`);
  const started = performance.now();
  const t0 = started + opts.warmupMs;
  load.start(opts.warmupMs, opts.durationMs);
  syncs.begin(started);
  sampler.start(t0);
  const ticker = setInterval(() => {
    const elapsed = Math.round((performance.now() - t0) / 1000) * 1000;
    const phase = elapsed < 0 ? `warm-up ${formatDuration(opts.warmupMs + elapsed)} of ${formatDuration(opts.warmupMs)}` : `${formatDuration(elapsed)} of ${formatDuration(opts.durationMs)}`;
    progress(`${phase}: ${load.sent} requests, ${load.errorCount + syncs.errorCount} errors, ${syncs.syncs} syncs`);
  }, PROGRESS_EVERY_MS);
  const died = Promise.race(children.map((c) => c.exited.then(() => c)));
  const ended = await Promise.race([
    sleep(opts.warmupMs + opts.durationMs, 'done' as const, { signal: interrupt.signal }).catch(() => 'interrupted' as const),
    died,
  ]);
  clearInterval(ticker);
  load.stopSending();
  await sampler.stop();
  await load.drain(DRAIN_TIMEOUT_MS);
  const synced = await syncs.stop();
  const loadResults = load.results();

  const instances: SoakReport['instances'] = {};
  const errorsByKind: Record<string, number> = { ...loadResults.errors };
  const errorSamples = [...loadResults.errorSamples, ...synced.errorSamples];
  const count = (kind: string, n: number) => { if (n > 0) errorsByKind[kind] = (errorsByKind[kind] ?? 0) + n; };
  for (const [kind, n] of Object.entries(synced.errors)) count(kind, n);
  count('unanswered', loadResults.sent + loadResults.warmup.sent - loadResults.completed - loadResults.warmup.completed);
  for (const child of children) {
    const metrics = await child.metrics().catch(() => undefined);
    instances[child.name] = {
      catalog_reloads: metrics?.reloads ?? {},
      log_lines: { warn: child.logs.warn, error: child.logs.error, other: child.logs.other, first: child.logs.lines },
    };
    count('api_error_log', child.logs.error);
    if (child.exit) {
      count('api_exited', 1);
      errorSamples.push(`${child.name} exited during the run (code ${child.exit.code}, signal ${child.exit.signal})`);
    }
  }
  const errorTotal = Object.values(errorsByKind).reduce((a, b) => a + b, 0);
  const verdict = judgeMemory(children.map((c) => c.name), sampler.samples, opts.sampleEveryMs);
  const interrupted = ended === 'interrupted';
  const propagation = synced.records.map((r) => r.bothMs).filter((v): v is number => v !== undefined);

  return {
    pass: errorTotal === 0 && verdict.flat && !interrupted,
    interrupted,
    run: {
      started_at: startedAt.toISOString(),
      duration_ms: opts.durationMs,
      warmup_ms: opts.warmupMs,
      rate: opts.rate,
      sync_every_ms: opts.syncEveryMs,
      sample_every_ms: opts.sampleEveryMs,
      database: db.where,
      instances: children.map((c) => ({ name: c.name, pid: c.pid, url: c.baseUrl })),
      models_in_workload: workload.models,
    },
    requests: {
      planned: Math.floor((opts.durationMs * opts.rate) / 1000),
      sent: loadResults.sent,
      answered: loadResults.completed,
      elapsed_ms: round(loadResults.elapsedMs, 1),
      warmup: loadResults.warmup,
      per_instance: loadResults.perTarget,
      achieved_rate: loadResults.elapsedMs > 0 ? round((loadResults.completed * 1000) / loadResults.elapsedMs, 2) : 0,
      send_lag_ms: percentiles(loadResults.sendLagMs),
    },
    errors: { total: errorTotal, by_kind: errorsByKind, samples: errorSamples.slice(0, 20) },
    latency_ms: latencyTable(loadResults),
    syncs: {
      provider: SYNCED_PROVIDER,
      nudged_models: syncs.nudged,
      applied: synced.records.length,
      during_warmup: synced.records.filter((r) => r.atMs < opts.warmupMs).length,
      sync_ms: percentiles(synced.records.map((r) => r.syncMs)),
      propagation_ms: percentiles(propagation),
      propagation_p50_by_instance: Object.fromEntries(targets.map((t, i) => [
        t.name, percentiles(synced.records.map((r) => r.instancesMs[i]).filter((v): v is number => v !== undefined)).p50,
      ])),
      rounds: synced.records,
    },
    instances,
    memory: { sample_every_ms: opts.sampleEveryMs, samples: sampler.samples, verdict },
  };
}

/** Never resolves; rejects on the first Ctrl-C, so a long wait can be given up. */
function aborted(): Promise<never> {
  return new Promise((_, reject) => {
    const fail = () => reject(new Interrupted('interrupted'));
    if (interrupt.signal.aborted) fail();
    else interrupt.signal.addEventListener('abort', fail, { once: true });
  });
}
