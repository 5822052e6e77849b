// Every task tariff's workers run, by name: the price worker's tasks and the
// webhook runner's. src/main.ts hands this to the worker; src/ never imports tasks/.
import type { WorkerTasks } from '../src/jobs/payloads.ts';
import { applyRetentionTask } from './apply_retention.ts';
import { checkDiscrepanciesTask } from './check_discrepancies.ts';
import { deliverWebhookTask } from './deliver_webhook.ts';
import { refreshFxTask } from './refresh_fx.ts';
import { syncProviderTask } from './sync_provider.ts';

export const TASKS: WorkerTasks = {
  prices: {
    sync_provider: syncProviderTask,
    refresh_fx: refreshFxTask,
    check_discrepancies: checkDiscrepanciesTask,
    apply_retention: applyRetentionTask,
  },
  webhooks: { deliver_webhook: deliverWebhookTask },
};
