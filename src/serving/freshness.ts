// Whether the catalog served is still the bundled snapshot: after a first
// start, until the first sync of a provider in use, every answer that lists
// prices says so, with the snapshot's date and when the next sync is due.
import { parseCronItem, type TimestampDigest } from 'graphile-worker';
import type { CatalogView } from '@tariff/pricing';

const snapshotDates = new WeakMap<CatalogView, string | null>();

/** The snapshot's date when no provider in use has synced yet, else null (once per view). */
export function snapshotDate(view: CatalogView): string | null {
  let date = snapshotDates.get(view);
  if (date === undefined) {
    date = null;
    if (view.providers.some((p) => p.in_use) && view.providers.every((p) => !p.in_use || p.last_synced_at === null)) {
      for (const models of view.byProvider.values()) {
        for (const entry of models.values()) {
          if (entry.source === 'snapshot' && (date === null || entry.effective_at > date)) date = entry.effective_at;
        }
      }
    }
    snapshotDates.set(view, date);
  }
  return date;
}

/** "snapshot of <date>, never synced; next sync <time>", or undefined once a provider in use has synced. */
export function snapshotNotice(view: CatalogView, syncSchedule: string, now = new Date()): string | undefined {
  const date = snapshotDate(view);
  if (date === null) return undefined;
  const next = nextRun(syncSchedule, now);
  return `snapshot of ${date.slice(0, 10)}, never synced; next sync ${next ? next.toISOString() : 'not scheduled'}`;
}

/** The first whole UTC minute after `now` that a 5-field cron pattern matches (within a year), or null. */
export function nextRun(pattern: string, now: Date): Date | null {
  const { match } = parseCronItem({ task: 'next', match: pattern });
  const minute = 60_000;
  const start = Math.floor(now.getTime() / minute) * minute + minute;
  for (let t = start; t < start + 366 * 24 * 60 * minute; t += minute) {
    const d = new Date(t);
    const digest: TimestampDigest = { min: d.getUTCMinutes(), hour: d.getUTCHours(), date: d.getUTCDate(), month: d.getUTCMonth() + 1, dow: d.getUTCDay() };
    if (match(digest)) return d;
  }
  return null;
}
