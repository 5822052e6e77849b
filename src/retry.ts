// Work that repeats: capped exponential backoff with jitter, a retry loop
// built on it, and coalescing of concurrent calls. One implementation each,
// for every dedicated connection, start-up wait and reload in tariff.
import { setTimeout as sleep } from 'node:timers/promises';

export interface Backoff {
  /** The first delay. */
  minMs: number;
  /** No delay is longer. */
  maxMs: number;
}

/**
 * The delay before retry `attempt` (0 for the first): minMs·2^attempt, capped
 * at maxMs, then jittered into its upper half so that many processes retrying
 * after the same outage (a database restart) spread out.
 */
export function backoffDelay(attempt: number, { minMs, maxMs }: Backoff, random: () => number = Math.random): number {
  const delay = Math.min(maxMs, minMs * 2 ** attempt);
  return Math.round(delay / 2 + random() * (delay / 2));
}

export interface RetryOptions {
  backoff: Backoff;
  /** Gives up, throwing the last attempt's error, once the next attempt would start after this time (epoch ms). */
  deadline?: number;
  /** Stops retrying: the promise rejects with an AbortError. */
  signal?: AbortSignal;
  /** Told of each failed attempt before the wait that follows it. */
  onRetry?: (err: unknown, attempt: number, delayMs: number) => void;
}

/** Runs `attempt` until it resolves, waiting a backoff delay after each failure. */
export async function retry<T>(attempt: () => Promise<T>, { backoff, deadline, signal, onRetry }: RetryOptions): Promise<T> {
  for (let attempts = 0; ; attempts++) {
    signal?.throwIfAborted();
    try {
      return await attempt();
    } catch (err) {
      const delay = backoffDelay(attempts, backoff);
      if (deadline !== undefined && Date.now() + delay > deadline) throw err;
      onRetry?.(err, attempts + 1, delay);
      await sleep(delay, undefined, signal ? { signal } : undefined);
    }
  }
}

/**
 * `run`, with calls made while it runs coalesced into one more run after it: a
 * burst of calls costs two runs, and every caller's promise settles once a run
 * that started after its call has finished.
 */
export function coalesced(run: () => Promise<void>): () => Promise<void> {
  let inFlight: Promise<void> | undefined;
  let again = false;
  return () => {
    if (inFlight) {
      again = true;
      return inFlight;
    }
    inFlight = (async () => {
      try {
        do {
          again = false;
          await run();
        } while (again);
      } finally {
        inFlight = undefined;
      }
    })();
    return inFlight;
  };
}
