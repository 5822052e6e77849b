// The discrepancy report bundled with the snapshot (built by `npm run snapshot`
// from the same payloads as its prices), stored on first start so
// GET /costs/discrepancies answers before any upstream is reachable.
import type { ProviderSource } from '../config.ts';
import type { Queryable } from '../db/pool.ts';
import { readCatalogVersion } from '../store/read.ts';
import type { DiscrepancyReport } from './report.ts';
import { saveReport } from './store.ts';

/** Stores the report narrowed to the providers in use, as of the catalog version just loaded. Call inside the loading transaction. */
export async function saveSnapshotReport(client: Queryable, report: DiscrepancyReport, providers: readonly ProviderSource[]): Promise<void> {
  const inUse = new Set(providers.map((p) => p.provider));
  await saveReport(client, {
    ...report,
    catalog_version: await readCatalogVersion(client),
    providers: Object.fromEntries(Object.entries(report.providers).filter(([id]) => inUse.has(id))),
    items: report.items.filter((item) => inUse.has(item.provider)),
    unmatched: report.unmatched.filter((u) => inUse.has(u.provider)),
  });
}
