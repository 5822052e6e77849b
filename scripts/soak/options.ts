// The soak script's command line: parsed with node:util, validated once, and
// refused with a usage message naming the bad option.
import { parseArgs } from 'node:util';

export const USAGE = `usage: npm run soak -- [--duration 60s] [--warmup 30s] [--rate 200] [--sync-every 3s] [--sample-every <d>] [--report FILE]

  --duration      how long the measured load runs: 90s, 5m, 1h (default 60s, at least 10s)
  --warmup        load and syncs before the measured window, while the API processes'
                  heaps grow to their working size (default 30s; 0 for none); its
                  errors count, its latencies and memory samples do not
  --rate          requests per second, both instances together (default 200)
  --sync-every    interval between anthropic syncs that change prices (default 3s)
  --sample-every  interval between memory samples (default duration / 20, 1s..30s)
  --report FILE   also write the results as JSON to FILE
`;

export interface SoakOptions {
  durationMs: number;
  warmupMs: number;
  rate: number;
  syncEveryMs: number;
  sampleEveryMs: number;
  reportFile: string | undefined;
}

export class UsageError extends Error {
  override name = 'UsageError';
}

/** The parsed options, or null when --help was asked for. */
export function parseOptions(args: string[]): SoakOptions | null {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        duration: { type: 'string', default: '60s' },
        warmup: { type: 'string', default: '30s' },
        rate: { type: 'string', default: '200' },
        'sync-every': { type: 'string', default: '3s' },
        'sample-every': { type: 'string' },
        report: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  if (values.help) return null;

  const durationMs = parseDuration('--duration', values.duration);
  if (durationMs < 10_000) throw new UsageError('--duration: at least 10s (memory is judged on thirds of the run)');
  const warmupMs = /^0+(ms|s|m|h)?$/.test(values.warmup.trim()) ? 0 : parseDuration('--warmup', values.warmup);
  const rate = Number(values.rate);
  if (!Number.isFinite(rate) || rate <= 0 || rate > 20_000) throw new UsageError(`--rate: "${values.rate}" is not a number of requests per second in (0, 20000]`);
  const syncEveryMs = parseDuration('--sync-every', values['sync-every']);
  if (syncEveryMs < 500) throw new UsageError('--sync-every: at least 500ms');
  if (syncEveryMs >= warmupMs + durationMs) throw new UsageError('--sync-every: must be shorter than --duration, or no sync runs under load');
  const sampleEveryMs = values['sample-every'] === undefined
    ? Math.min(30_000, Math.max(1_000, Math.round(durationMs / 20)))
    : parseDuration('--sample-every', values['sample-every']);
  if (sampleEveryMs < 250) throw new UsageError('--sample-every: at least 250ms');
  if (durationMs / sampleEveryMs < 6) throw new UsageError('--sample-every: too long for --duration; the memory verdict needs at least 6 samples');
  if (values.report !== undefined && values.report.trim() === '') throw new UsageError('--report: needs a file name');

  return { durationMs, warmupMs, rate, syncEveryMs, sampleEveryMs, reportFile: values.report };
}

const UNITS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/** "90s", "5m", "1h", "250ms"; a bare number is seconds. */
export function parseDuration(option: string, text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!match) throw new UsageError(`${option}: "${text}" is not a duration such as 500ms, 90s, 5m or 1h`);
  const ms = Number(match[1]) * (UNITS[match[2] ?? 's'] ?? 1_000);
  if (!Number.isFinite(ms) || ms <= 0) throw new UsageError(`${option}: "${text}" must be longer than zero`);
  return Math.round(ms);
}

export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1_000 === 0) return `${ms / 1_000}s`;
  return `${ms}ms`;
}
