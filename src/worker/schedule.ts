// The worker's cron schedule (the tasks themselves are in tasks/). Cron identifiers are stable
// (sync_provider:<provider>, refresh_fx, apply_retention) so graphile-worker never schedules one
// twice, across restarts and across several workers. check_discrepancies has no
// schedule of its own: each scheduled sync queues it (tasks/sync_provider.ts).
import { parseCronItems, type ParsedCronItem } from 'graphile-worker';
import type { Config } from '../config.ts';
import { APPLY_RETENTION_JOB_KEY, REFRESH_FX_JOB_KEY, syncProviderJobKey } from '../jobs/payloads.ts';

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
    {
      task: 'apply_retention',
      identifier: 'apply_retention',
      match: config.RETENTION_SCHEDULE,
      payload: { triggered_by: 'scheduler' },
      options: { backfillPeriod: 0, maxAttempts: 3, jobKey: APPLY_RETENTION_JOB_KEY, jobKeyMode: 'preserve_run_at' as const },
    },
  ]);
}
