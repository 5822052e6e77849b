// Entry point. `node src/main.ts` runs the API and the worker in one process
// (on an embedded PostgreSQL when DATABASE_URL is unset); `… api` and
// `… worker` run one role each, for separate containers; `… migrate` applies
// the migrations (as the schema owner) and exits.
import { createServer } from 'node:net';
import { loadConfig, ConfigError, type Config } from './config.ts';
import { loadDotEnv } from './env_file.ts';
import { resolveDatabase } from './db/database.ts';
import { createLogger, type Logger } from './log.ts';
import { prepareDatabase, startApi, startWorker } from './service.ts';
// The composition root: the one module of src/ that knows the tasks in tasks/.
import { TASKS } from '../tasks/index.ts';

type Mode = 'all' | 'api' | 'worker' | 'migrate';
const MODES: readonly Mode[] = ['all', 'api', 'worker', 'migrate'];

interface Stoppable { stop(): Promise<void> }

async function main(): Promise<void> {
  const mode = (process.argv[2] ?? 'all') as Mode;
  if (!MODES.includes(mode)) {
    process.stderr.write(`usage: node src/main.ts [${MODES.join('|')}]\n`);
    process.exit(2);
  }

  let config: Config;
  try {
    loadDotEnv();
    config = loadConfig();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`tariff: ${err.message}\n`);
    process.exit(1);
  }
  if ((mode === 'all' || mode === 'api') && !(await portIsFree(config.PORT, config.HOST))) {
    process.stderr.write(`tariff: port ${config.PORT} on ${config.HOST} is already in use (is tariff already running?); stop that process or set PORT to a free port\n`);
    process.exit(1);
  }
  const logger = createLogger(config.LOG_LEVEL).child({ role: mode });
  if ((mode === 'worker' || mode === 'migrate') && !config.DATABASE_URL) {
    logger.fatal(`DATABASE_URL is required for the ${mode} (only the all-in-one start runs an embedded PostgreSQL)`);
    process.exit(1);
  }
  if (mode === 'api' && !config.DATABASE_URL && !config.API_DATABASE_URL) {
    logger.fatal('API_DATABASE_URL or DATABASE_URL is required for the API (only the all-in-one start runs an embedded PostgreSQL)');
    process.exit(1);
  }
  if (mode === 'migrate') {
    await runMigrate(config, logger);
    return;
  }
  if (!config.ADMIN_TOKEN && mode !== 'worker') logger.warn('ADMIN_TOKEN is not set: every /admin route refuses requests');

  // Stopped in reverse order: HTTP first, then jobs, then the database.
  const started: Stoppable[] = [];
  const shutdown = installShutdown(started, config, logger);
  try {
    if (mode === 'api') {
      // Reads and LISTEN use API_DATABASE_URL (a read-only role); /admin writes need DATABASE_URL.
      const url = config.API_DATABASE_URL ?? config.DATABASE_URL!;
      if (!config.DATABASE_URL) logger.warn('DATABASE_URL is not set: /admin routes answer 503 (no connection that may write)');
      started.push(await startApi({ url, writerUrl: config.DATABASE_URL ?? null, config, logger }));
    } else {
      const database = await resolveDatabase(config, logger);
      if (database.embedded) started.push(database.embedded);
      await prepareDatabase(database.url, config, logger);
      started.push(await startWorker({ url: database.url, config, logger, tasks: TASKS }));
      if (mode === 'all') {
        started.push(await startApi({ url: config.API_DATABASE_URL ?? database.url, writerUrl: database.url, config, logger }));
      }
    }
  } catch (err) {
    logger.fatal({ err }, 'startup failed');
    await shutdown('startup failure', 1);
  }
}

/** Whether the API's port can be bound, checked before anything starts (port 0 always can). */
function portIsFree(port: number, host: string): Promise<boolean> {
  if (port === 0) return Promise.resolve(true);
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (err: NodeJS.ErrnoException) => (err.code === 'EADDRINUSE' ? resolve(false) : reject(err)));
    probe.listen(port, host, () => probe.close(() => resolve(true)));
  });
}

/** `npm run migrate`: migrations, providers and the first-start snapshot, then exit. */
async function runMigrate(config: Config, logger: Logger): Promise<void> {
  try {
    await prepareDatabase(config.DATABASE_URL!, { ...config, RUN_MIGRATIONS: true }, logger);
    logger.info('database migrated');
    process.exit(0);
  } catch (err) {
    logger.fatal({ err }, 'migration failed');
    process.exit(1);
  }
}

function installShutdown(started: Stoppable[], config: Config, logger: Logger) {
  let stopping: Promise<void> | undefined;
  const shutdown = (reason: string, code: number): Promise<void> => {
    stopping ??= (async () => {
      logger.info({ reason }, 'shutting down');
      const deadline = setTimeout(() => {
        logger.error({ timeoutMs: config.SHUTDOWN_TIMEOUT_MS }, 'graceful shutdown timed out; exiting');
        process.exit(1);
      }, config.SHUTDOWN_TIMEOUT_MS + 5_000);
      deadline.unref();
      let exitCode = code;
      for (const part of [...started].reverse()) {
        try {
          await part.stop();
        } catch (err) {
          exitCode = 1;
          logger.error({ err }, 'error while shutting down');
        }
      }
      logger.info('bye');
      process.exit(exitCode);
    })();
    return stopping;
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) {
        logger.warn({ signal }, 'second signal: exiting now');
        process.exit(130);
      }
      void shutdown(signal, 0);
    });
  }
  process.on('unhandledRejection', (err) => {
    logger.fatal({ err }, 'unhandled rejection');
    void shutdown('unhandled rejection', 1);
  });
  return shutdown;
}

await main();
