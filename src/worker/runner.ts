// The graphile-worker runner: tariff's tasks and their cron schedule.
import { run, type Runner, type TaskList, type ParsedCronItem, type WorkerEvents } from 'graphile-worker';
import type { Pool } from '../db/pool.ts';
import type { Logger } from '../log.ts';
import { workerLogger } from '../db/graphile_logger.ts';

/**
 * A job's completion or failure is written through graphile-worker's batcher, whose write error stops the
 * runner (to be started again, see supervise.ts). Unbatched, the error is an unhandled rejection and the job
 * stays locked by a pool that lives on, blocking its queue for graphile-worker's 4-hour lock timeout.
 */
export const RELEASE_JOBS_OR_STOP = { completeJobBatchDelay: 0, failJobBatchDelay: 0 } as const;

/** How often the runner looks for jobs that are due, besides being told of new ones. */
export const WORKER_POLL_INTERVAL_MS = 2_000;

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
    pollInterval: WORKER_POLL_INTERVAL_MS,
    logger: workerLogger(logger),
    preset: { worker: RELEASE_JOBS_OR_STOP },
  });
}
