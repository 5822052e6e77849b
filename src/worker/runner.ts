// The graphile-worker runner: tariff's tasks and their cron schedule.
import { run, type Runner, type TaskList, type ParsedCronItem, type WorkerEvents } from 'graphile-worker';
import type { Pool } from '../db/pool.ts';
import type { Logger } from '../log.ts';
import { workerLogger } from '../db/graphile_logger.ts';

export interface WorkerOptions {
  pool: Pool;
  events: WorkerEvents;
  logger: Logger;
  concurrency: number;
  taskList: TaskList;
  cronItems: ParsedCronItem[];
}

export async function startRunner({ pool, events, logger, concurrency, taskList, cronItems }: WorkerOptions): Promise<Runner> {
  return run({
    pgPool: pool,
    events,
    concurrency,
    taskList,
    parsedCronItems: cronItems,
    // tariff's own shutdown stops the runner in order (after HTTP, before pools).
    noHandleSignals: true,
    pollInterval: 2_000,
    logger: workerLogger(logger),
  });
}
