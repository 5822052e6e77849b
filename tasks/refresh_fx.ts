// Task refresh_fx: payload { force?, triggered_by }. Refreshes every currency in FX_CURRENCIES.
import type { Task } from 'graphile-worker';
import { refreshFxPayload, type TaskDeps } from '../src/jobs/payloads.ts';
import { refreshFx } from '../src/sync/fx.ts';

export function refreshFxTask({ pool, config, logger }: TaskDeps): Task {
  return async (payload, helpers) => {
    const request = refreshFxPayload.parse(payload);
    await refreshFx(
      { pool, config, logger: logger.child({ task: 'refresh_fx', jobId: helpers.job.id }), signal: helpers.abortSignal },
      { ...request, job_id: helpers.job.id, attempt: helpers.job.attempts },
    );
  };
}
