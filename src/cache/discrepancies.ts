// The latest discrepancy report, held in memory by each API instance like the
// catalog: the catalog listener loads each report its NOTIFY names (and
// catches up after a reconnect), the instance's backstop timer asks for the
// latest id and reloads only when it moved, and a request arriving before the
// first load loads it.
import type { Pool } from '../db/pool.ts';
import type { Logger } from '../log.ts';
import { coalesced } from '../retry.ts';
import { readLatestReport, readLatestReportId, type StoredReport } from '../discrepancy/store.ts';

export class DiscrepancyCache {
  private stored: StoredReport | null = null;
  private checked = false;
  private readonly bodies = new Map<string, Buffer>();
  private readonly pool: Pool;
  private readonly logger: Logger;

  constructor(pool: Pool, logger: Logger) {
    this.pool = pool;
    this.logger = logger.child({ component: 'discrepancy-cache' });
  }

  /** The report served, or null when none has been stored yet. */
  get current(): StoredReport | null {
    return this.stored;
  }

  /** False until the database has been asked once. */
  get loaded(): boolean {
    return this.checked;
  }

  /** Reloads when the database holds a newer report than the one served; calls during a check share one more after it. */
  readonly refreshIfBehind = coalesced(() => this.refresh());

  /** A response body derived from the served report, built once per report and key (a few query shapes, bounded). */
  memo(key: string, build: () => unknown): Buffer {
    let body = this.bodies.get(key);
    if (!body) {
      body = Buffer.from(JSON.stringify(build()));
      if (this.bodies.size < 1_000) this.bodies.set(key, body);
    }
    return body;
  }

  private async refresh(): Promise<void> {
    const latest = await readLatestReportId(this.pool);
    if (latest !== (this.stored?.id ?? 0)) {
      const stored = await readLatestReport(this.pool);
      if (stored && stored.id > (this.stored?.id ?? 0)) {
        this.stored = stored;
        this.bodies.clear();
        this.logger.info({ reportId: stored.id, items: stored.report.items.length }, 'discrepancy report loaded');
      }
    }
    // Only now: a request that finds the cache loaded must find the report it loaded, not a read still in flight.
    this.checked = true;
  }
}
