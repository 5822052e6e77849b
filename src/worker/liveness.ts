// Recovers the jobs of workers that died without releasing them (SIGKILL, a
// lost machine). graphile-worker on its own frees such a job only after it has
// been locked for 4 hours; a sync stuck that long leaves prices stale.
//
// Each graphile-worker id of this process (pool and workers) is marked alive in two ways,
// both kept on a dedicated liveness connection: a session-level advisory lock,
// which PostgreSQL drops the moment the process dies, and a row in
// worker_heartbeats renewed every heartbeat, which also keeps the connection
// from ever being idle (idle_session_timeout). A worker counts as dead only
// when its lock is free AND its heartbeat has expired: a lost connection (a
// network blip, pg_terminate_backend) frees the locks at once, but this process
// reconnects, retakes them and beats again long before its heartbeat expires.
// Live processes force-unlock the jobs of dead workers
// (WorkerUtils.forceUnlockWorkers) so they run again at once; never their own.
import { hostname } from 'node:os';
import type { EventEmitter } from 'node:events';
import type { WorkerUtils } from 'graphile-worker';
import { DedicatedConnection } from '../db/dedicated.ts';
import { withClient, type Pool, type QueryResult } from '../db/pool.ts';
import { coalesced } from '../retry.ts';
import type { Logger } from '../log.ts';

/** A job locked more recently than this is left alone: its worker may not have taken its liveness lock yet. */
const GRACE_SECONDS = 5;
const MAX_RECONNECT_DELAY_MS = 5_000;
/** The least a liveness query is given before its connection is replaced, however short the heartbeat. */
const MIN_QUERY_TIMEOUT_MS = 2_000;

const lockKey = (workerId: string) => `tariff.worker:${workerId}`;

export interface LivenessOptions {
  pool: Pool;
  connectionString: string;
  utils: Pick<WorkerUtils, 'forceUnlockWorkers'>;
  logger: Logger;
  /** How often the heartbeat is renewed and lost locks are retaken. */
  heartbeatMs: number;
  /** How long a heartbeat vouches for its workers: longer than a reconnect takes. */
  heartbeatTtlMs: number;
  /** The tasks tariff's workers run: only their jobs are recovered (other applications' workers hold no liveness locks). */
  tasks: readonly string[];
}

export class WorkerLiveness {
  private readonly connection: DedicatedConnection;
  /** Worker ids whose advisory lock the current session holds. */
  private held = new Set<string>();
  private readonly workers = new Set<string>();
  /** Ids no longer vouched for whose lock and heartbeat the next beat removes. */
  private readonly retiring = new Set<string>();
  private lastBeat = 0;
  private beatTimer: NodeJS.Timeout | undefined;
  private recoverTimer: NodeJS.Timeout | undefined;
  private readonly processLabel = `${hostname()}:${process.pid}`;
  private readonly options: LivenessOptions;
  private readonly log: Logger;
  /** Renews the heartbeats and takes missing locks; a beat asked for during one runs right after it. */
  private readonly beat = coalesced(() => this.beatOnce());

  constructor(options: LivenessOptions) {
    this.options = options;
    this.log = options.logger.child({ component: 'worker-liveness' });
    this.connection = new DedicatedConnection({
      connectionString: options.connectionString,
      applicationName: 'tariff-worker-liveness',
      logger: this.log,
      purpose: 'liveness',
      backoff: { minMs: 100, maxMs: MAX_RECONNECT_DELAY_MS },
      // A session whose client vanished without a word (a dropped NAT entry) keeps holding its locks until the
      // server notices; these settings make it notice within about a minute instead of the OS's two hours.
      setup: async (client) => {
        await client.query('set tcp_keepalives_idle = 30; set tcp_keepalives_interval = 10; set tcp_keepalives_count = 3');
      },
      onUp: async (_client, reconnected) => {
        this.held = new Set();
        if (reconnected) this.log.info('liveness connection back; retaking the locks');
        await this.beat();
      },
      onDown: () => {
        this.held = new Set();
      },
    });
  }

  /** Marks every worker pool and worker the runner creates alive; call before run() so none is missed. */
  async start(events: EventEmitter, recoverEveryMs: number): Promise<void> {
    // Jobs are locked under the id of the worker pool that took them (graphile-worker 0.18's locked_by);
    // each worker's own id is marked too, for the versions that lock under it.
    const mark = (id: string) => {
      this.workers.add(id);
      void this.beat();
    };
    events.on('pool:create', ({ workerPool }: { workerPool: { id: string } }) => mark(workerPool.id));
    events.on('worker:create', ({ worker }: { worker: { workerId: string } }) => mark(worker.workerId));
    // A released pool holds a job only if graphile-worker could not record its end (the database went away
    // mid-write): no longer vouched for, such a job is recovered like a dead worker's.
    events.on('pool:release', ({ workerPool }: { workerPool: { id: string } }) => this.retire(workerPool.id));
    events.on('worker:stop', ({ worker }: { worker: { workerId: string } }) => this.retire(worker.workerId));
    await this.connection.open();
    this.beatTimer = setInterval(() => void this.beat(), this.options.heartbeatMs);
    this.beatTimer.unref();
    this.recoverTimer = setInterval(() => {
      this.recover().catch((err) => this.log.warn({ err }, 'recovering dead workers\' jobs failed'));
    }, recoverEveryMs);
    this.recoverTimer.unref();
  }

  /** Force-unlocks jobs held by workers whose process is gone. Returns their worker ids. */
  async recover(): Promise<string[]> {
    return withClient(this.options.pool, async (client) => {
      const { rows } = await client.query<{ locked_by: string }>(`
        select distinct j.locked_by from graphile_worker.jobs j
         where j.locked_by is not null and j.locked_at < now() - make_interval(secs => $1::int)
           and j.task_identifier = any($2::text[])
           and j.locked_by <> all($3::text[])
           and not exists (select from worker_heartbeats h where h.worker_id = j.locked_by and h.expires_at > now())`,
      [GRACE_SECONDS, this.options.tasks, [...this.workers]]);
      const dead: string[] = [];
      try {
        for (const { locked_by: workerId } of rows) {
          const { rows: probe } = await client.query<{ free: boolean }>(
            'select pg_try_advisory_lock(hashtext($1::text)) as free', [lockKey(workerId)]);
          if (probe[0]?.free) dead.push(workerId);
        }
        if (dead.length > 0) {
          await this.options.utils.forceUnlockWorkers(dead);
          this.log.warn({ workers: dead }, 'released the jobs of workers that died holding them');
        }
      } finally {
        // Held until the jobs are released, so a worker cannot come back to life halfway through.
        for (const workerId of dead) await client.query('select pg_advisory_unlock(hashtext($1::text))', [lockKey(workerId)]);
      }
      return dead;
    });
  }

  async stop(): Promise<void> {
    clearInterval(this.beatTimer);
    clearInterval(this.recoverTimer);
    // The runners have stopped: their workers hold no job, and this process's rows (retired ids' too) can go at once.
    if (this.connection.client) {
      await this.timed('delete from worker_heartbeats where process = $1::text', [this.processLabel])
        .catch((err) => this.log.warn({ err }, 'could not remove this process\'s heartbeats'));
    }
    await this.connection.stop();
  }

  /** Stops vouching for a worker id: the next beat releases its lock and removes its heartbeat (or the session and the TTL do). */
  private retire(workerId: string): void {
    if (!this.workers.delete(workerId)) return;
    this.retiring.add(workerId);
    void this.beat();
  }

  /** Takes the locks not held yet and renews every worker's heartbeat; a session that does not answer is replaced. */
  private async beatOnce(): Promise<void> {
    if (!this.connection.client) return;
    const held = this.held;
    try {
      if (this.retiring.size > 0) {
        const retired = [...this.retiring];
        this.retiring.clear();
        const locked = retired.filter((id) => held.delete(id));
        if (locked.length > 0) await this.timed('select pg_advisory_unlock(hashtext(k)) from unnest($1::text[]) k', [locked.map(lockKey)]);
        await this.timed('delete from worker_heartbeats where worker_id = any($1::text[])', [retired]);
      }
      const missing = [...this.workers].filter((id) => !held.has(id));
      if (missing.length > 0) {
        // try, not wait: a lock still held by this process's previous session (its loss not yet noticed by the
        // server) or probed by another process is retaken on a later beat; meanwhile the heartbeat vouches.
        const { rows } = await this.timed<{ worker_id: string; got: boolean }>(`
          select worker_id, pg_try_advisory_lock(hashtext(key)) as got from unnest($1::text[], $2::text[]) as w(worker_id, key)`,
        [missing, missing.map(lockKey)]);
        for (const row of rows) if (row.got) held.add(row.worker_id);
      }
      await this.timed(`
        insert into worker_heartbeats (worker_id, process, beat_at, expires_at)
        select w, $2::text, now(), now() + make_interval(secs => $3::float8) from unnest($1::text[]) w
        on conflict (worker_id) do update set process = excluded.process, beat_at = excluded.beat_at, expires_at = excluded.expires_at`,
      [[...this.workers], this.processLabel, this.options.heartbeatTtlMs / 1000]);
      const now = Date.now();
      if (this.lastBeat > 0 && now - this.lastBeat > this.options.heartbeatTtlMs) {
        this.log.error({ sinceLastBeatMs: now - this.lastBeat }, 'heartbeat lapsed: other workers may have taken back this process\'s jobs');
      }
      this.lastBeat = now;
    } catch {
      // The session was replaced (DedicatedConnection logs the loss); the next one beats as it comes up.
    }
  }

  /** A query on the liveness connection that fails, replacing it, rather than wait on a connection that stopped answering. */
  private timed<R extends Record<string, unknown>>(text: string, values: unknown[]): Promise<QueryResult<R>> {
    return this.connection.query<R>(text, values, Math.max(this.options.heartbeatMs, MIN_QUERY_TIMEOUT_MS));
  }
}
