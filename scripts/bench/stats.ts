// Small numeric helpers shared by the benchmark parts: percentiles and a
// monotonic clock that several processes on one machine agree on. The seeded
// PRNG is in scripts/support/random.ts, since tests generate with it too.

/** The p-th percentile (0–100) by nearest rank; NaN for no values. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export function mean(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length;
}

/**
 * Milliseconds on CLOCK_MONOTONIC (process.hrtime): one clock for every process
 * on the machine, so a time taken in one process can be subtracted from a time
 * taken in another.
 */
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
