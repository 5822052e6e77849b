// The worker's task list and cron schedule. Cron identifiers are stable
// (sync_provider:<provider>, refresh_fx) so graphile-worker never schedules one
// twice, across restarts and across several workers. check_discrepancies has no
// schedule of its own: each scheduled sync queues it (tasks/sync_provider.ts).
import { parseCronItems, type ParsedCronItem, type Task } from 'graphile-worker';
import type { Config } from '../config.ts';
import { checkDiscrepanciesTask } from '../../tasks/check_discrepancies.ts';
import { refreshFxTask } from '../../tasks/refresh_fx.ts';
import { syncProviderTask } from '../../tasks/sync_provider.ts';
import { REFRESH_FX_JOB_KEY, syncProviderJobKey, type TaskDeps } from './jobs.ts';

/** The price worker's tasks, by name: buildTaskList must define exactly these (the type holds it to them). */
export const PRICE_TASKS = ['sync_provider', 'refresh_fx', 'check_discrepancies'] as const;

export function buildTaskList(deps: TaskDeps): Record<(typeof PRICE_TASKS)[number], Task> {
  return {
    sync_provider: syncProviderTask(deps),
    refresh_fx: refreshFxTask(deps),
    check_discrepancies: checkDiscrepanciesTask(deps),
  };
}

export function buildCronItems(config: Config): ParsedCronItem[] {
  return parseCronItems([
    ...config.providers.map(({ provider }) => ({
      task: 'sync_provider',
      identifier: `sync_provider:${provider}`,
      match: config.SYNC_SCHEDULE,
      payload: { provider, triggered_by: 'scheduler' },
      options: {
        backfillPeriod: 0,
        maxAttempts: config.SYNC_MAX_ATTEMPTS,
        jobKey: syncProviderJobKey(provider, false),
        jobKeyMode: 'preserve_run_at' as const,
      },
    })),
    {
      task: 'refresh_fx',
      identifier: 'refresh_fx',
      match: config.FX_SCHEDULE,
      payload: { triggered_by: 'scheduler' },
      options: { backfillPeriod: 0, maxAttempts: config.SYNC_MAX_ATTEMPTS, jobKey: REFRESH_FX_JOB_KEY, jobKeyMode: 'preserve_run_at' as const },
    },
  ]);
}
