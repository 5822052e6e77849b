// What changed in the catalog since a version a caller holds: from this
// instance's change log when it reaches back that far, else from the
// database's catalog_changes; the records themselves always come from the
// catalog in memory. GET /costs?since= answers it, and GET /costs/changes
// tells it to clients that resume.
import type { CatalogEntry, CatalogView } from '@tariff/pricing';
import type { ChangeLog, Changes } from '../cache/changes.ts';
import { changesIn } from '../cache/changes.ts';
import type { Pool } from '../db/pool.ts';
import { readChangedKeys } from '../store/read.ts';

/**
 * The changes from `since` to `view`, or undefined when they cannot be
 * computed: `since` is newer than this instance's catalog, or older than the
 * changes the database keeps. Version 0 is the empty catalog: every model is changed.
 */
export async function changesSince(view: CatalogView, log: ChangeLog, pool: Pool, since: number): Promise<Changes | undefined> {
  if (since === view.version) return { changed: [], removed: [] };
  if (since > view.version) return undefined;
  if (since === 0) return { changed: allKeys(view), removed: [] };
  const keys = log.keysSince(since) ?? (await readChangedKeys(pool, since));
  return keys && changesIn(view, keys);
}

function allKeys(view: CatalogView) {
  const keys = [];
  for (const [provider, models] of view.byProvider) for (const modelId of models.keys()) keys.push({ provider, model_id: modelId });
  return keys;
}

/**
 * The GET /costs?since= body: the catalog's version, providers and exchange
 * rates, the changed models' records as the pricing core holds them (what
 * @tariff/client builds its catalog from) and the removed models' ids.
 */
export function deltaBody(view: CatalogView, since: number, changes: Changes, stale: boolean) {
  const changed: CatalogEntry[] = changes.changed.map((key) => view.byProvider.get(key.provider)!.get(key.model_id)!);
  return {
    catalog_version: view.version,
    since,
    last_updated: view.changedAt,
    synced: view.synced,
    stale,
    providers: view.providers,
    exchange_rates: [...view.rates.values()],
    changed,
    removed: changes.removed,
  };
}
