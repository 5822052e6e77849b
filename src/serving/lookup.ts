// The catalog as it was at a past time, read from history.
import { CatalogView } from '@tariff/pricing';
import type { CatalogCache } from '../cache/catalog.ts';
import { readCatalogAt } from '../store/history.ts';
import type { Pool } from '../db/pool.ts';

/** The catalog as served at `at`, from history (narrowed to a provider, or a model, when given). */
export async function viewAt(catalog: CatalogCache, pool: Pool, at: Date, provider?: string, model?: string): Promise<CatalogView> {
  return new CatalogView(await readCatalogAt(pool, at, catalog.current, provider, model));
}
