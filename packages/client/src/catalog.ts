// The catalog the client holds: built from GET /costs?since= answers (since=0
// for everything) with the pricing core's CatalogView, exactly as the server
// builds its own from the database. Also the cache file's content.
import { type CatalogEntry, CatalogView, type ExchangeRate, type ProviderInfo } from '@tariff/pricing';

export interface ModelKey {
  provider: string;
  model_id: string;
}

/** The GET /costs?since= body (the OpenAPI document's CatalogDelta). */
export interface CatalogDeltaBody {
  catalog_version: number;
  since: number;
  last_updated: string;
  synced: number;
  stale: boolean;
  providers: ProviderInfo[];
  exchange_rates: ExchangeRate[];
  changed: CatalogEntry[];
  removed: ModelKey[];
}

/** A whole catalog from a since=0 answer (or the cache file). */
export function viewOf(body: CatalogDeltaBody): CatalogView {
  return new CatalogView({
    version: body.catalog_version, changed_at: body.last_updated, synced: body.synced,
    providers: body.providers, rates: body.exchange_rates, entries: body.changed,
  });
}

/** The next catalog: `view` with a delta applied, as the server applies its own. */
export function applyDelta(view: CatalogView, body: CatalogDeltaBody): CatalogView {
  return view.withDelta({
    version: body.catalog_version, changed_at: body.last_updated, synced: body.synced,
    providers: body.providers, rates: body.exchange_rates, upserts: body.changed, deleted: body.removed,
  });
}

/** `view` with other exchange rates (an fx event). */
export function withRates(view: CatalogView, rates: ExchangeRate[]): CatalogView {
  return view.withDelta({
    version: view.version, changed_at: view.changedAt, synced: view.synced, providers: [...view.providers], rates, upserts: [], deleted: [],
  });
}

/** The whole catalog as a since=0 answer: what the cache file holds. */
export function fullBody(view: CatalogView, stale: boolean): CatalogDeltaBody {
  const changed: CatalogEntry[] = [];
  for (const models of view.byProvider.values()) changed.push(...models.values());
  return {
    catalog_version: view.version, since: 0, last_updated: view.changedAt, synced: view.synced, stale,
    providers: [...view.providers], exchange_rates: [...view.rates.values()], changed, removed: [],
  };
}
