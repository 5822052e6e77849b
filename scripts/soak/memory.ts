// Memory over time: each API process's RSS (from the kernel) and V8 heap (from
// its /metrics) on a fixed interval, and the rule that calls it flat.
import { performance } from 'node:perf_hooks';
import type { ApiProcess } from './instances.ts';

const MB = 1024 * 1024;
export const MAX_GROWTH_FRACTION = 0.1;
export const MAX_GROWTH_MB = 20;
export const MEMORY_RULE = 'of the samples after warm-up, a process is flat when the mean RSS of the last third '
  + `is less than ${MAX_GROWTH_FRACTION * 100}% and less than ${MAX_GROWTH_MB} MB above the mean RSS of the middle third (the first third settles)`;

export interface MemorySample {
  /** Since the measured window started (negative during warm-up). */
  atMs: number;
  /** Per process, in MB; undefined when it could not be read. */
  rssMb: (number | undefined)[];
  heapMb: (number | undefined)[];
}

export class MemorySampler {
  readonly samples: MemorySample[] = [];
  private timer: NodeJS.Timeout | undefined;
  private pending: Promise<void> = Promise.resolve();
  private t0 = 0;
  private lastAt = -Infinity;

  private readonly processes: readonly ApiProcess[];
  private readonly everyMs: number;

  constructor(processes: readonly ApiProcess[], everyMs: number) {
    this.processes = processes;
    this.everyMs = everyMs;
  }

  /** Samples from now on; t0 (performance.now(), may be ahead) is where the measured window starts. */
  start(t0: number): void {
    this.t0 = t0;
    this.sample();
    this.timer = setInterval(() => this.sample(), this.everyMs);
  }

  /** Stops the timetable and takes a last sample (the end of the load) unless one was just taken. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    if (performance.now() - this.t0 - this.lastAt > this.everyMs / 2) this.sample();
    await this.pending;
  }

  private sample(): void {
    const atMs = performance.now() - this.t0;
    this.lastAt = atMs;
    this.pending = this.pending.then(async () => {
      const readings = await Promise.all(this.processes.map(async (p) => {
        const [rss, metrics] = await Promise.all([p.rss(), p.metrics().catch(() => undefined)]);
        return {
          rss: rss === undefined ? undefined : rss / MB,
          heap: metrics?.heapUsed === undefined ? undefined : metrics.heapUsed / MB,
        };
      }));
      this.samples.push({ atMs, rssMb: readings.map((r) => r.rss), heapMb: readings.map((r) => r.heap) });
    });
  }
}

export interface ProcessVerdict {
  name: string;
  middleMb: number;
  lastMb: number;
  growthMb: number;
  growthPercent: number;
  flat: boolean;
}

export interface MemoryVerdict { rule: string; flat: boolean; processes: ProcessVerdict[] }

export function judgeMemory(names: readonly string[], allSamples: readonly MemorySample[], everyMs: number): MemoryVerdict {
  // A sample due at the window's start may land a timer tick early.
  const samples = allSamples.filter((s) => s.atMs >= -everyMs / 2);
  const third = Math.floor(samples.length / 3);
  const processes = names.map((name, index) => {
    const rss = (from: number, to: number) => samples.slice(from, to).map((s) => s.rssMb[index]).filter((v): v is number => v !== undefined);
    const middle = rss(third, 2 * third);
    const last = rss(samples.length - third, samples.length);
    if (third < 2 || middle.length === 0 || last.length === 0) {
      return { name, middleMb: NaN, lastMb: NaN, growthMb: NaN, growthPercent: NaN, flat: false };
    }
    const middleMb = mean(middle);
    const lastMb = mean(last);
    const growthMb = lastMb - middleMb;
    const growthPercent = (growthMb / middleMb) * 100;
    return { name, middleMb, lastMb, growthMb, growthPercent, flat: growthMb < MAX_GROWTH_MB && growthPercent < MAX_GROWTH_FRACTION * 100 };
  });
  return { rule: MEMORY_RULE, flat: processes.every((p) => p.flat), processes };
}

function mean(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}
