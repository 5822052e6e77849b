// Recovers the jobs of workers that died without releasing them (SIGKILL, a
// lost machine). graphile-worker on its own frees such a job only after it has
// been locked for 4 hours; a sync stuck that long leaves prices stale.
//
// Each graphile-worker worker id is tied to a session-level advisory lock held
// on a dedicated connection of the process that runs it. When the process dies,
// PostgreSQL closes its connection and drops those locks. Any live process then
// finds jobs locked by a worker id whose advisory lock is free, and force-unlocks
// them (WorkerUtils.forceUnlockWorkers) so they run again at once.
import type { EventEmitter } from 'node:events';
import type { WorkerUtils } from 'graphile-worker';
import { createClient, withClient, type Client, type Pool } from '../db/pool.ts';
import type { Logger } from '../log.ts';

/** A job locked more recently than this is left alone: its worker may not have taken its liveness lock yet. */
const GRACE_SECONDS = 5;

const lockKey = (workerId: string) => `tariff.worker:${workerId}`;

/** Only tariff's own tasks: other applications' workers in the same database hold no liveness locks. */
const TASKS = ['sync_provider', 'refresh_fx', 'deliver_webhook'];

export class WorkerLiveness {
  private client: Client | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly pool: Pool;
  private readonly utils: Pick<WorkerUtils, 'forceUnlockWorkers'>;
  private readonly log: Logger;
  private readonly connectionString: string;

  constructor(options: { pool: Pool; connectionString: string; utils: Pick<WorkerUtils, 'forceUnlockWorkers'>; logger: Logger }) {
    this.pool = options.pool;
    this.connectionString = options.connectionString;
    this.utils = options.utils;
    this.log = options.logger.child({ component: 'worker-liveness' });
  }

  /** Holds a liveness lock for every worker the runner creates; call before run() so no worker is missed. */
  async start(events: EventEmitter, recoverEveryMs: number): Promise<void> {
    const client = createClient(this.connectionString, 'tariff-worker-liveness');
    client.on('error', (err) => this.log.error({ err }, 'liveness connection lost: this process\'s jobs may be recovered by others'));
    await client.connect();
    this.client = client;
    events.on('worker:create', ({ worker }: { worker: { workerId: string } }) => {
      client.query('select pg_advisory_lock(hashtext($1::text))', [lockKey(worker.workerId)])
        .catch((err) => this.log.error({ err, workerId: worker.workerId }, 'could not take a liveness lock'));
    });
    this.timer = setInterval(() => {
      this.recover().catch((err) => this.log.warn({ err }, 'recovering dead workers\' jobs failed'));
    }, recoverEveryMs);
    this.timer.unref();
  }

  /** Force-unlocks jobs held by workers whose process is gone. Returns their worker ids. */
  async recover(): Promise<string[]> {
    return withClient(this.pool, async (client) => {
      const { rows } = await client.query<{ locked_by: string }>(`
        select distinct locked_by from graphile_worker.jobs
         where locked_by is not null and locked_at < now() - make_interval(secs => $1::int)
           and task_identifier = any($2::text[])`, [GRACE_SECONDS, TASKS]);
      const dead: string[] = [];
      for (const { locked_by: workerId } of rows) {
        const { rows: probe } = await client.query<{ free: boolean }>(
          'select pg_try_advisory_lock(hashtext($1::text)) as free', [lockKey(workerId)]);
        if (!probe[0]?.free) continue;
        await client.query('select pg_advisory_unlock(hashtext($1::text))', [lockKey(workerId)]);
        dead.push(workerId);
      }
      if (dead.length > 0) {
        await this.utils.forceUnlockWorkers(dead);
        this.log.warn({ workers: dead }, 'released the jobs of workers that died holding them');
      }
      return dead;
    });
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.client?.end().catch(() => undefined);
    this.client = undefined;
  }
}
