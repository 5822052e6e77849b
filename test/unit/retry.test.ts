// The one backoff, retry loop and coalescing helper every reconnect, start-up
// wait and reload uses.
import { backoffDelay, coalesced, retry } from '../../src/retry.ts';

describe('backoffDelay', () => {
  test('doubles from minMs, is capped at maxMs, and jitters within the upper half', () => {
    const backoff = { minMs: 100, maxMs: 1_000 };
    expect([0, 1, 2, 3, 4, 10].map((attempt) => backoffDelay(attempt, backoff, () => 1))).toEqual([100, 200, 400, 800, 1_000, 1_000]);
    expect([0, 1, 4].map((attempt) => backoffDelay(attempt, backoff, () => 0))).toEqual([50, 100, 500]);
  });
});

describe('retry', () => {
  test('retries a failing attempt until it succeeds, telling onRetry of each failure', async () => {
    let calls = 0;
    const failures: number[] = [];
    const value = await retry(async () => {
      calls += 1;
      if (calls < 3) throw new Error(`attempt ${calls}`);
      return 'done';
    }, { backoff: { minMs: 1, maxMs: 2 }, onRetry: (_err, attempt) => failures.push(attempt) });
    expect(value).toBe('done');
    expect(failures).toEqual([1, 2]);
  });

  test('past the deadline it throws the last attempt\'s error', async () => {
    let calls = 0;
    await expect(retry(async () => {
      calls += 1;
      throw new Error(`still pending after ${calls}`);
    }, { backoff: { minMs: 1, maxMs: 1 }, deadline: Date.now() - 1 })).rejects.toThrow('still pending after 1');
  });

  test('an abort stops the loop', async () => {
    const abort = new AbortController();
    const running = retry(async () => {
      abort.abort(new Error('stopped'));
      throw new Error('not yet');
    }, { backoff: { minMs: 1, maxMs: 1 }, signal: abort.signal });
    await expect(running).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('coalesced', () => {
  test('calls made during a run share one more run after it', async () => {
    let runs = 0;
    let release: () => void = () => undefined;
    const run = coalesced(async () => {
      runs += 1;
      if (runs === 1) await new Promise<void>((resolve) => { release = resolve; });
    });
    const first = run();
    const during = [run(), run(), run()];
    release();
    await Promise.all([first, ...during]);
    expect(runs).toBe(2);
    await run();
    expect(runs).toBe(3);
  });
});
