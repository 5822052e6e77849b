// Task check_discrepancies: payload { triggered_by }. Compares every served
// priced model with the other sources and stores the report (job key
// check_discrepancies: syncs queue it with jobKeyMode 'replace' and a short
// delay, so a burst of syncs costs one check).
import type { Task } from 'graphile-worker';
import { checkDiscrepancies } from '../src/discrepancy/run.ts';
import { enqueueDiscrepancyFound } from '../src/webhooks/outbox.ts';
import { checkDiscrepanciesPayload, type TaskDeps } from '../src/jobs/payloads.ts';

export function checkDiscrepanciesTask({ pool, config, logger }: TaskDeps): Task {
  return async (payload, helpers) => {
    const { triggered_by: triggeredBy } = checkDiscrepanciesPayload.parse(payload);
    const log = logger.child({ task: 'check_discrepancies', jobId: helpers.job.id, triggeredBy });
    await checkDiscrepancies({
      pool, config, logger: log, signal: helpers.abortSignal,
      // discrepancy.found commits with the report that found them, or not at all.
      onReport: async (client, { id, report, found }) => {
        await enqueueDiscrepancyFound(client, { id, generated_at: report.generated_at, catalog_version: report.catalog_version }, found);
      },
    });
  };
}
