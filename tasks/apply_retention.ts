// Task apply_retention: payload { triggered_by }. Deletes the rows the
// retention variables let go (src/jobs/retention.ts); scheduled by
// RETENTION_SCHEDULE, one job at a time (job key apply_retention).
import type { Task } from 'graphile-worker';
import { applyRetentionPayload, type TaskDeps } from '../src/jobs/payloads.ts';
import { applyRetention } from '../src/jobs/retention.ts';

export function applyRetentionTask({ pool, config, logger }: TaskDeps): Task {
  return async (payload, helpers) => {
    const { triggered_by: triggeredBy } = applyRetentionPayload.parse(payload);
    const deleted = await applyRetention(pool, config);
    logger.child({ task: 'apply_retention', jobId: helpers.job.id, triggeredBy }).info({ deleted }, 'retention applied');
  };
}
