// A graphile-worker runner kept running. graphile-worker stops a runner whose
// pool could not record a job's completion or failure (PostgreSQL went away
// mid-write): that job stays locked under the stopped pool's id. Liveness
// retires the id once the pool is released, so the job is recovered like a dead
// worker's; here a new runner takes over as soon as the database answers.
import type { Runner } from 'graphile-worker';
import type { Logger } from '../log.ts';

const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 10_000;

export interface SupervisedRunner {
  /** The runner now running; replaced after one stops on its own. */
  readonly current: Runner | undefined;
  /** How many times a runner was started again after stopping on its own. */
  readonly restarts: number;
  stop(): Promise<void>;
}

/** Starts a runner (a first failure is thrown) and starts a new one whenever it stops without being asked to. */
export async function keepRunning(start: () => Promise<Runner>, log: Logger): Promise<SupervisedRunner> {
  let current: Runner | undefined = await start();
  let restarts = 0;
  let stopping = false;
  let timer: NodeJS.Timeout | undefined;
  let starting: Promise<unknown> = Promise.resolve();

  const restart = (delay: number) => {
    timer = setTimeout(() => {
      starting = start().then((runner) => {
        if (stopping) return runner.stop().then(() => runner.promise).catch(() => undefined);
        current = runner;
        restarts += 1;
        log.info({ restarts }, 'worker runner started again');
        watch(runner);
      }, (err: unknown) => {
        if (stopping) return;
        log.warn({ err, retryInMs: delay }, 'worker runner cannot start yet');
        restart(Math.min(delay * 2, MAX_RETRY_MS));
      });
    }, delay);
  };
  const watch = (runner: Runner) => {
    const exited = (err?: unknown) => {
      if (stopping || current !== runner) return;
      current = undefined;
      log.error({ err }, 'worker runner stopped on its own; starting a new one');
      restart(FIRST_RETRY_MS);
    };
    runner.promise.then(() => exited(), exited);
  };
  watch(current);

  return {
    get current() { return current; },
    get restarts() { return restarts; },
    async stop() {
      stopping = true;
      clearTimeout(timer);
      await starting;
      const runner = current;
      current = undefined;
      if (!runner) return;
      // stop() can resolve before the pool's graceful shutdown completes; runner.promise settles after it.
      await runner.stop().catch((err: unknown) => log.warn({ err }, 'worker runner was already stopping'));
      await runner.promise.catch((err: unknown) => log.warn({ err }, 'worker runner exited with an error'));
    },
  };
}
