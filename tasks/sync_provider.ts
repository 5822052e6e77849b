// Task sync_provider: payload { provider, dry_run?, force?, triggered_by }.
// One job per provider (job key sync_provider:<provider>), so a failing
// provider retries on its own schedule and never delays another.
import type { Task } from 'graphile-worker';
import { z } from 'zod';
import type { TaskDeps } from '../src/worker/tasks.ts';
import { syncProvider } from '../src/sync/provider.ts';

export const syncProviderPayload = z.object({
  provider: z.string().min(1),
  dry_run: z.boolean().default(false),
  force: z.boolean().default(false),
  triggered_by: z.enum(['manual', 'scheduler', 'api']).default('scheduler'),
});
export type SyncProviderPayload = z.input<typeof syncProviderPayload>;

export function syncProviderJobKey(provider: string, dryRun: boolean): string {
  return dryRun ? `sync_provider:${provider}:dry_run` : `sync_provider:${provider}`;
}

export function syncProviderTask({ pool, config, logger }: TaskDeps): Task {
  return async (payload, helpers) => {
    const request = syncProviderPayload.parse(payload);
    await syncProvider(
      { pool, config, logger: logger.child({ task: 'sync_provider', jobId: helpers.job.id }), signal: helpers.abortSignal },
      { ...request, job_id: helpers.job.id, attempt: helpers.job.attempts },
    );
  };
}
