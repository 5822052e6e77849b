// The worker's webhook runner: a graphile-worker runner of its own with only
// the deliver_webhook task, its own pool and concurrency, so a slow endpoint
// never holds up a sync, and (one queue per endpoint) never another endpoint.
// Its workers share the worker's events, so the liveness locks cover them too.
import { run, type WorkerEvents } from 'graphile-worker';
import type { Config } from '../config.ts';
import { createPool } from '../db/pool.ts';
import type { Logger } from '../log.ts';
import { workerLogger } from '../db/graphile_logger.ts';
import { loadWebhookKey } from '../webhooks/secrets.ts';
import { taskList, type WorkerTasks } from '../jobs/payloads.ts';
import { RELEASE_JOBS_OR_STOP } from './runner.ts';
import { keepRunning, type SupervisedRunner } from './supervise.ts';

/** How often the runner looks for jobs that are due, besides being told of new ones. */
export const WEBHOOK_POLL_INTERVAL_MS = 1_000;

export interface WebhookRunner {
  /** Undefined when no webhook key is configured. */
  readonly runner: SupervisedRunner | undefined;
  stop(): Promise<void>;
}

export async function startWebhookRunner(options: {
  url: string; config: Config; logger: Logger; events: WorkerEvents; tasks: WorkerTasks['webhooks'];
}): Promise<WebhookRunner> {
  const { url, config, events, tasks } = options;
  const log = options.logger.child({ component: 'webhooks' });
  const loaded = loadWebhookKey(config);
  if (!loaded) {
    log.warn('WEBHOOK_SECRET_KEY is not set: webhook deliveries are not sent (they stay queued until a worker with the key runs)');
    return { runner: undefined, stop: async () => undefined };
  }
  const pool = createPool({ connectionString: url, max: config.WEBHOOK_CONCURRENCY + 2, applicationName: 'tariff-worker-webhooks', logger: log });
  let supervised: SupervisedRunner;
  try {
    supervised = await keepRunning(() => run({
      pgPool: pool,
      events,
      concurrency: config.WEBHOOK_CONCURRENCY,
      taskList: taskList(tasks, { pool, config, logger: log, key: loaded.key }),
      // No schedule of its own (the price runner has the crontab); without this it looks for a crontab file.
      parsedCronItems: [],
      noHandleSignals: true,
      pollInterval: WEBHOOK_POLL_INTERVAL_MS,
      logger: workerLogger(log),
      preset: { worker: RELEASE_JOBS_OR_STOP },
    }), log);
  } catch (err) {
    await pool.end();
    throw err;
  }
  log.info({ concurrency: config.WEBHOOK_CONCURRENCY, key: loaded.source }, 'webhook runner started');
  return {
    runner: supervised,
    async stop() {
      await supervised.stop();
      await pool.end();
    },
  };
}
