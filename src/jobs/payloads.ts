// The jobs tariff queues: payloads and job keys. API processes enqueue with
// these without loading the task code (sources, FX client) that only workers run.
import type { Task, TaskList } from 'graphile-worker';
import { z } from 'zod';
import type { DeliverDeps } from '../webhooks/deliver.ts';
import type { Config } from '../config.ts';
import type { Pool } from '../db/pool.ts';
import type { Logger } from '../log.ts';

/** What every task is built with (tasks/*.ts). */
/** Tasks by name, each made from what its jobs need. */
export type TaskFactories<Deps> = Readonly<Record<string, (deps: Deps) => Task>>;

/** The tasks tariff's workers run; their code is in tasks/, one file per task. */
export interface WorkerTasks {
  /** The price worker's: sync_provider, refresh_fx, check_discrepancies, apply_retention. */
  prices: TaskFactories<TaskDeps>;
  /** The webhook runner's: deliver_webhook. */
  webhooks: TaskFactories<DeliverDeps>;
}

/** A runner's task list: every task made with the same deps. */
export function taskList<Deps>(tasks: TaskFactories<Deps>, deps: Deps): TaskList {
  return Object.fromEntries(Object.entries(tasks).map(([name, make]) => [name, make(deps)]));
}

export interface TaskDeps {
  pool: Pool;
  config: Config;
  logger: Logger;
}

export const syncProviderPayload = z.object({
  provider: z.string().min(1),
  dry_run: z.boolean().default(false),
  force: z.boolean().default(false),
  triggered_by: z.enum(['manual', 'scheduler', 'api']).default('scheduler'),
  /** Attempts already spent by earlier jobs of this sync that an upstream's Retry-After rescheduled. */
  attempts_before: z.number().int().nonnegative().default(0),
});
export type SyncProviderPayload = z.input<typeof syncProviderPayload>;

export function syncProviderJobKey(provider: string, dryRun: boolean): string {
  return dryRun ? `sync_provider:${provider}:dry_run` : `sync_provider:${provider}`;
}

export const refreshFxPayload = z.object({
  force: z.boolean().default(false),
  triggered_by: z.enum(['manual', 'scheduler', 'api']).default('scheduler'),
});
export type RefreshFxPayload = z.input<typeof refreshFxPayload>;

export const REFRESH_FX_JOB_KEY = 'refresh_fx';

export const checkDiscrepanciesPayload = z.object({
  triggered_by: z.enum(['manual', 'scheduler', 'api', 'sync']).default('scheduler'),
});
export type CheckDiscrepanciesPayload = z.input<typeof checkDiscrepanciesPayload>;

/** One pending check at a time: a burst of syncs replaces the queued check rather than adding more. */
export const CHECK_DISCREPANCIES_JOB_KEY = 'check_discrepancies';
/** How long after a sync the check runs, so the syncs of one cron tick share one check. */
export const CHECK_DISCREPANCIES_DELAY_MS = 5_000;

export const applyRetentionPayload = z.object({
  triggered_by: z.enum(['manual', 'scheduler']).default('scheduler'),
});
export type ApplyRetentionPayload = z.input<typeof applyRetentionPayload>;

export const APPLY_RETENTION_JOB_KEY = 'apply_retention';
