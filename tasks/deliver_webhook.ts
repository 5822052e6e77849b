// Task deliver_webhook: payload { delivery_id }. One job per delivery, in the
// queue webhook:<endpoint id>; it runs on the worker's webhook runner, never on
// the runner that syncs. An endpoint's failures are retried by new jobs that
// the delivery schedules itself (backoff with jitter, Retry-After); a throw
// here means tariff's own failure (the database), retried by graphile-worker.
import type { Task } from 'graphile-worker';
import { z } from 'zod';
import { deliver, type DeliverDeps } from '../src/webhooks/deliver.ts';

const payloadSchema = z.object({ delivery_id: z.number().int().positive() });

export function deliverWebhookTask(deps: DeliverDeps): Task {
  return async (payload, helpers) => {
    const { delivery_id: deliveryId } = payloadSchema.parse(payload);
    await deliver({ ...deps, logger: deps.logger.child({ task: 'deliver_webhook', jobId: helpers.job.id }) }, deliveryId);
  };
}
