// Task sync_provider: payload { provider, dry_run?, force?, triggered_by }.
// One job per provider (job key sync_provider:<provider>), so a failing
// provider retries on its own schedule and never delays another.
import type { Task } from 'graphile-worker';
import {
  CHECK_DISCREPANCIES_DELAY_MS, CHECK_DISCREPANCIES_JOB_KEY, syncProviderJobKey, syncProviderPayload, type CheckDiscrepanciesPayload,
  type SyncProviderPayload, type TaskDeps,
} from '../src/jobs/payloads.ts';
import { UpstreamError } from '../src/sources/fetch.ts';
import { syncProvider, type SyncResult } from '../src/sync/provider.ts';

/** The longest an upstream's Retry-After may push a sync back. */
const MAX_RETRY_AFTER_SECONDS = 3600;

export function syncProviderTask({ pool, config, logger }: TaskDeps): Task {
  return async (payload, helpers) => {
    const { attempts_before: before, ...request } = syncProviderPayload.parse(payload);
    const log = logger.child({ task: 'sync_provider', jobId: helpers.job.id, provider: request.provider });
    const attempt = before + helpers.job.attempts;
    let result: SyncResult;
    try {
      result = await syncProvider(
        { pool, config, logger: log, signal: helpers.abortSignal },
        { ...request, job_id: helpers.job.id, attempt },
      );
    } catch (err) {
      const retryAfter = retryAfterSeconds(err);
      if (retryAfter === undefined || attempt >= config.SYNC_MAX_ATTEMPTS) throw err;
      // The upstream said when to come back (429/503 Retry-After): the next attempt runs then,
      // rather than after graphile-worker's shorter backoff. The failed sync log row says why.
      const delay = Math.min(retryAfter, MAX_RETRY_AFTER_SECONDS);
      const next: SyncProviderPayload = { ...request, attempts_before: attempt };
      await helpers.addJob('sync_provider', next, {
        jobKey: syncProviderJobKey(request.provider, request.dry_run),
        runAt: new Date(Date.now() + delay * 1000),
        maxAttempts: config.SYNC_MAX_ATTEMPTS - attempt,
      });
      log.warn({ retryAfterSeconds: delay, attempt }, 'upstream asked to retry later; sync rescheduled');
      return;
    }
    // The check follows every sync of a cron tick, including those skipped as fresh (other sources may have
    // moved), and is the schedule's only one. Replace, not add: the tick's syncs share the check the last queues.
    if ((result.status === 'success' && !result.dry_run) || result.status === 'skipped') {
      const check: CheckDiscrepanciesPayload = { triggered_by: 'sync' };
      await helpers.addJob('check_discrepancies', check, {
        jobKey: CHECK_DISCREPANCIES_JOB_KEY, jobKeyMode: 'replace', runAt: new Date(Date.now() + CHECK_DISCREPANCIES_DELAY_MS),
        maxAttempts: config.SYNC_MAX_ATTEMPTS,
      });
    }
  };
}

function retryAfterSeconds(err: unknown): number | undefined {
  for (let cause = err; cause instanceof Error; cause = cause.cause) {
    if (cause instanceof UpstreamError && cause.retryAfterSeconds !== undefined) return cause.retryAfterSeconds;
  }
  return undefined;
}
