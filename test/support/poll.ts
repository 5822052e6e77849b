// Waiting in tests, one way for every file: `until` waits for a state to
// arrive; `never` is the bounded negative check, run only after waiting for
// the event that should have been the last, and it names what it rules out.
type Pending = undefined | null | false;

export interface UntilOptions {
  /** Fails after this long; generous, since the machine running the tests may be loaded. */
  deadlineMs?: number;
  everyMs?: number;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` until it returns something other than undefined, null or false, and returns that. */
export async function until<T>(what: string, probe: () => T | Pending | Promise<T | Pending>, { deadlineMs = 45_000, everyMs = 50 }: UntilOptions = {}): Promise<Exclude<T, Pending>> {
  const deadline = Date.now() + deadlineMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== null && value !== false) return value as Exclude<T, Pending>;
    if (Date.now() > deadline) throw new Error(`gave up after ${deadlineMs} ms waiting for ${what}`);
    await pause(everyMs);
  }
}

/**
 * Checks for `forMs` that `happened` stays false, failing as soon as it is true. It proves only that `what`
 * does not happen within the window; callers choose a window longer than the thing would take if it did.
 */
export async function never(what: string, happened: () => boolean | Promise<boolean>, { forMs, everyMs = 50 }: { forMs: number; everyMs?: number }): Promise<void> {
  const end = Date.now() + forMs;
  do {
    if (await happened()) throw new Error(`${what} happened, within ${forMs} ms`);
    await pause(everyMs);
  } while (Date.now() < end);
  if (await happened()) throw new Error(`${what} happened, within ${forMs} ms`);
}
