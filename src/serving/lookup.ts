// The catalog as it was at a past time, read from history.
import { BeforeHistoryError, CatalogView } from '@tariff/pricing';
import type { CatalogCache } from '../cache/catalog.ts';
import { readCatalogAt, readHistoryStart } from '../store/history.ts';
import type { Pool } from '../db/pool.ts';

/**
 * The catalog as served at `at`, from history (narrowed to a provider, or a model, when given).
 * Throws BeforeHistoryError, naming the earliest time there is an answer for, when `at` precedes the history.
 */
export async function viewAt(catalog: CatalogCache, pool: Pool, at: Date, provider?: string, model?: string): Promise<CatalogView> {
  const start = await readHistoryStart(pool, provider);
  if (start !== null && at < start) throw new BeforeHistoryError(at.toISOString(), start.toISOString());
  return new CatalogView(await readCatalogAt(pool, at, catalog.current, provider, model));
}
