// The worker's webhook runner: a graphile-worker runner of its own with only
// the deliver_webhook task, its own pool and concurrency, so a slow endpoint
// never holds up a sync, and (one queue per endpoint) never another endpoint.
// Its workers share the worker's events, so the liveness locks cover them too.
import { run, type Runner, type WorkerEvents } from 'graphile-worker';
import type { Config } from '../config.ts';
import { createPool } from '../db/pool.ts';
import type { Logger } from '../log.ts';
import { workerLogger } from '../db/graphile_logger.ts';
import { loadWebhookKey } from '../webhooks/secrets.ts';
import { taskList, type WorkerTasks } from '../jobs/payloads.ts';

export interface WebhookRunner {
  readonly runner: Runner | undefined;
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
  let runner: Runner;
  try {
    runner = await run({
      pgPool: pool,
      events,
      concurrency: config.WEBHOOK_CONCURRENCY,
      taskList: taskList(tasks, { pool, config, logger: log, key: loaded.key }),
      // No schedule of its own (the price runner has the crontab); without this it looks for a crontab file.
      parsedCronItems: [],
      noHandleSignals: true,
      pollInterval: 1_000,
      logger: workerLogger(log),
    });
  } catch (err) {
    await pool.end();
    throw err;
  }
  log.info({ concurrency: config.WEBHOOK_CONCURRENCY, key: loaded.source }, 'webhook runner started');
  return {
    runner,
    async stop() {
      await runner.stop();
      await runner.promise.catch((err: unknown) => log.warn({ err }, 'webhook runner exited with an error'));
      await pool.end();
    },
  };
}
