// The check's steps, each bounded in time, and the cleanups that undo what the
// steps started: run last-registered first, each once and each bounded,
// whatever ended the check (success, failure, timeout or a signal).
import { StepFailed } from './run.ts';

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
const CLEANUP_TIMEOUT_MS = 60 * SECOND;

export const progress = (message: string) => process.stderr.write(`images:check: ${message}\n`);
export const seconds = (ms: number) => `${(ms / SECOND).toFixed(1)} s`;

/** Resolves with fn's value, or rejects when ms pass first. */
export async function bounded<T>(what: string, ms: number, fn: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StepFailed(`${what}: not done within ${seconds(ms)}`)), ms);
  });
  try {
    return await Promise.race([fn(), bound]);
  } finally {
    clearTimeout(timer);
  }
}

/** One step of the check, announced, bounded and timed. */
export async function step<T>(name: string, ms: number, fn: () => Promise<T>): Promise<T> {
  progress(`${name}…`);
  const started = Date.now();
  const value = await bounded(name, ms, fn);
  progress(`${name}: done in ${seconds(Date.now() - started)}`);
  return value;
}

const cleanups: Array<{ name: string; fn: () => Promise<unknown> }> = [];
let cleaning: Promise<void> | undefined;

/** Registers the undoing of something just started. */
export function onCleanup(name: string, fn: () => Promise<unknown>) {
  cleanups.push({ name, fn });
}

export function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    while (cleanups.length > 0) {
      const { name, fn } = cleanups.pop()!;
      await bounded(`cleanup: ${name}`, CLEANUP_TIMEOUT_MS, fn)
        .catch((err: unknown) => progress(`cleanup: ${name} failed: ${err instanceof Error ? err.message : String(err)}`));
    }
  })();
  return cleaning;
}

/** Polls until probe returns a value (not undefined), every intervalMs, within ms. */
export async function until<T>(what: string, ms: number, probe: () => Promise<T | undefined>, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      if (err instanceof StepFailed) throw err;
      last = err;
    }
    if (Date.now() > deadline) {
      throw new StepFailed(`${what}: not within ${seconds(ms)}${last instanceof Error ? ` (last error: ${last.message})` : ''}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
