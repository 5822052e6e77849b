// tariff's processes, as parts that start and stop: database preparation, API
// instances and workers. `main.ts` composes them; tests and benchmarks start
// several of each against one database.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EventEmitter } from 'node:events';
import type { Express } from 'express';
import { makeWorkerUtils, type WorkerEvents } from 'graphile-worker';
import { createApp, createHandler } from './api/app.ts';
import { ChangeStream } from './api/change_stream.ts';
import { leanPath } from './api/lean.ts';
import { createMetrics } from './api/metrics.ts';
import { CatalogCache } from './cache/catalog.ts';
import { DiscrepancyCache } from './cache/discrepancies.ts';
import { CatalogListener } from './cache/listener.ts';
import type { Config } from './config.ts';
import { createPool, type Pool } from './db/pool.ts';
import type { Logger } from './log.ts';
import type { DiscrepancyReport } from './discrepancy/report.ts';
import { retry } from './retry.ts';
import type { WorkerLiveness } from './worker/liveness.ts';
import type { SupervisedRunner } from './worker/supervise.ts';
import type { WebhookRunner } from './worker/webhook_runner.ts';
import { taskList, type WorkerTasks } from './jobs/payloads.ts';
import { workerLogger } from './db/graphile_logger.ts';

// Worker-only code (migration runner, sources, FX client, graphile-worker's
// runner) is imported where it is used, so API processes never load it.

/**
 * Migrations (or, with RUN_MIGRATIONS=false, waiting for whoever runs them), the
 * providers in use, and the first-start snapshot: what a writer does before serving.
 */
export async function prepareDatabase(url: string, config: Config, logger: Logger): Promise<void> {
  const { migrate, waitForSchema } = await import('./db/migrate.ts');
  const { registerProviders } = await import('./store/providers.ts');
  const { checkProvidersKnown, loadSnapshotIfEmpty, readSnapshot } = await import('./store/snapshot.ts');
  const { saveSnapshotReport } = await import('./discrepancy/snapshot.ts');
  const { enqueuePriceChanges } = await import('./webhooks/outbox.ts');
  const snapshot = await readSnapshot();
  checkProvidersKnown(config.providers, snapshot);
  if (config.RUN_MIGRATIONS) await migrate(url, logger, { reader: config.DB_READER_ROLE, writer: config.DB_WRITER_ROLE });
  else await waitForSchema(url, logger);
  const pool = createPool({ connectionString: url, max: 2, applicationName: 'tariff-setup', logger });
  try {
    await registerProviders(pool, config.providers);
    await loadSnapshotIfEmpty(pool, enqueuePriceChanges, config.providers, logger, snapshot, async (client, data) => {
      if (data.discrepancy_report) await saveSnapshotReport(client, data.discrepancy_report as unknown as DiscrepancyReport, config.providers);
    });
  } finally {
    await pool.end();
  }
}

export interface ApiInstance {
  readonly port: number;
  readonly baseUrl: string;
  readonly catalog: CatalogCache;
  readonly listener: CatalogListener;
  readonly discrepancies: DiscrepancyCache;
  readonly changes: ChangeStream;
  /** The Express app behind the lean path (its routes are what the OpenAPI document must describe). */
  readonly app: Express;
  stop(): Promise<void>;
}

export interface ApiOptions {
  /** Read connection (API_DATABASE_URL's role). */
  url: string;
  /** Write connection for /admin (DATABASE_URL's role); defaults to url. null: none, /admin answers 503. */
  writerUrl?: string | null;
  config: Config;
  logger: Logger;
  /** Overrides config.PORT (0 picks a free port). */
  port?: number;
}

export async function startApi({ url, writerUrl = url, config, logger, port = config.PORT }: ApiOptions): Promise<ApiInstance> {
  const log = logger.child({ component: 'api' });
  const pool = createPool({ connectionString: url, max: 10, applicationName: 'tariff-api', logger: log });
  const writer = writerUrl === null ? undefined
    : writerUrl === url ? pool : createPool({ connectionString: writerUrl, max: 2, applicationName: 'tariff-api-admin', logger: log });
  const jobs = writer ? await makeWorkerUtils({ pgPool: writer, logger: workerLogger(log) }) : undefined;
  const catalog = new CatalogCache(pool, log);
  // Before the first load, so the change log starts at it.
  const changes = new ChangeStream({
    catalog, pool, logger: log, heartbeatMs: config.CHANGES_HEARTBEAT_MS, maxBufferBytes: config.CHANGES_MAX_BUFFER_BYTES,
  });
  const loading = loadUntilReady(catalog, log);
  const discrepancies = new DiscrepancyCache(pool, log);
  const metrics = createMetrics(catalog, pool, discrepancies, changes);
  const listener = new CatalogListener({
    connectionString: url, catalog, discrepancies, logger: log, checkIntervalMs: config.CATALOG_CHECK_INTERVAL_MS,
    onReload: (reason) => metrics.reloads.inc({ reason }),
  });
  listener.start();

  const deps = { pool, metrics, catalog, listener, logger: log, admin: { config, writer, jobs }, discrepancies, changes };
  const app = createApp(deps);
  const handler = createHandler(app, leanPath(deps));
  const server = await listen(createServer(handler), port, config.HOST);
  const address = server.address() as AddressInfo;
  const backstop = setInterval(() => {
    catalog.refreshIfBehind().catch((err) => log.warn({ err }, 'catalog version check failed'));
    discrepancies.refreshIfBehind().catch((err) => log.warn({ err }, 'discrepancy report check failed'));
  }, config.CATALOG_CHECK_INTERVAL_MS);
  backstop.unref();
  let stopping: Promise<void> | undefined;
  discrepancies.refreshIfBehind().catch((err) => log.warn({ err }, 'discrepancy report not loadable yet'));
  log.info({ host: config.HOST, port: address.port }, 'API listening');

  return {
    port: address.port,
    baseUrl: `http://${config.HOST === '0.0.0.0' ? '127.0.0.1' : config.HOST}:${address.port}`,
    catalog,
    listener,
    discrepancies,
    changes,
    app,
    // Idempotent: a test may stop an instance itself before its stack releases it.
    stop() {
      return (stopping ??= (async () => {
        clearInterval(backstop);
        loading.cancel();
        // Streams never finish on their own: end them, or closing the server waits for its deadline.
        changes.close();
        await closeServer(server, config.SHUTDOWN_TIMEOUT_MS);
        await listener.stop();
        await jobs?.release();
        await pool.end();
        if (writer && writer !== pool) await writer.end();
        log.info('API stopped');
      })());
    },
  };
}

export interface WorkerInstance {
  readonly runner: SupervisedRunner;
  readonly webhooks: WebhookRunner;
  readonly pool: Pool;
  readonly liveness: WorkerLiveness;
  stop(): Promise<void>;
}

export interface WorkerOptions {
  url: string;
  config: Config;
  logger: Logger;
  /** The tasks to run (tasks/index.ts's TASKS). */
  tasks: WorkerTasks;
}

export async function startWorker({ url, config, logger, tasks }: WorkerOptions): Promise<WorkerInstance> {
  const { WorkerLiveness } = await import('./worker/liveness.ts');
  const { startRunner } = await import('./worker/runner.ts');
  const { keepRunning } = await import('./worker/supervise.ts');
  const { buildCronItems } = await import('./worker/schedule.ts');
  const { startWebhookRunner } = await import('./worker/webhook_runner.ts');
  const log = logger.child({ component: 'worker' });
  const pool = createPool({ connectionString: url, max: config.WORKER_CONCURRENCY + 4, applicationName: 'tariff-worker', logger: log });
  const utils = await makeWorkerUtils({ pgPool: pool, logger: workerLogger(log) });
  // Beats at least as often as the recovery checks; a heartbeat outlives six missed beats and a reconnect.
  const heartbeatMs = Math.min(5_000, config.WORKER_RECOVERY_INTERVAL_MS);
  const liveness = new WorkerLiveness({
    pool, connectionString: url, utils, logger: log, heartbeatMs, heartbeatTtlMs: Math.max(6 * heartbeatMs, 5_000),
    tasks: [...Object.keys(tasks.prices), ...Object.keys(tasks.webhooks)],
  });
  const events: WorkerEvents = new EventEmitter();
  await liveness.start(events, config.WORKER_RECOVERY_INTERVAL_MS);
  await liveness.recover();
  const runner = await keepRunning(() => startRunner({
    pool,
    events,
    logger: log,
    concurrency: config.WORKER_CONCURRENCY,
    taskList: taskList(tasks.prices, { pool, config, logger: log }),
    cronItems: buildCronItems(config),
  }), log);
  const webhooks = await startWebhookRunner({ url, config, logger: log, events, tasks: tasks.webhooks });
  log.info({ concurrency: config.WORKER_CONCURRENCY, providers: config.providers.map((p) => p.provider) }, 'worker started');
  return {
    runner,
    webhooks,
    pool,
    liveness,
    async stop() {
      // Lets running jobs finish (up to graphile-worker's abort timeout), then releases their locks.
      await runner.stop();
      await webhooks.stop();
      await liveness.stop();
      await utils.release();
      await pool.end();
      log.info('worker stopped');
    },
  };
}

/** First load, retried with backoff: a separately started API may come up before the worker has migrated. */
function loadUntilReady(catalog: CatalogCache, log: Logger): { cancel(): void } {
  const abort = new AbortController();
  retry(() => catalog.reload(), {
    backoff: { minMs: 250, maxMs: 10_000 },
    signal: abort.signal,
    onRetry: (err, attempt, delayMs) => log.warn({ err, attempt, retryInMs: delayMs }, 'catalog not loadable yet'),
  }).catch(() => undefined);
  return { cancel: () => abort.abort() };
}

function listen(server: Server, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    server.keepAliveTimeout = 65_000;
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}

/** Stops accepting, lets in-flight requests finish, then closes what is left at the deadline. */
async function closeServer(server: Server, timeoutMs: number): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const deadline = setTimeout(() => server.closeAllConnections(), timeoutMs);
  await closed;
  clearTimeout(deadline);
}
