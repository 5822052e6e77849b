// The catalog as served: each model's price record with where it came from and
// when it took effect, the exchange rates, and the version that names them.
import type { PriceOrigin, PriceRecord } from '../prices/types.ts';

export interface CatalogEntry extends PriceRecord {
  provider: string;
  source: PriceOrigin;
  /** When the served price took effect. */
  effective_at: string;
  last_seen_at: string | null;
  removed_at: string | null;
  override_reason: string | null;
}

export interface ProviderInfo {
  id: string;
  source: string;
  upstream_id: string;
  in_use: boolean;
  last_synced_at: string | null;
}

export interface ExchangeRate {
  base: string;
  quote: string;
  rate: string;
  market_time: string;
  source: string;
}

export interface CatalogData {
  version: number;
  changed_at: string;
  /** catalog_version.synced: moves with every successful sync, changed prices or not (providers' last_synced_at). */
  synced?: number;
  providers: ProviderInfo[];
  entries: CatalogEntry[];
  rates: ExchangeRate[];
}

export interface CatalogDelta extends Omit<CatalogData, 'entries'> {
  upserts: CatalogEntry[];
  deleted: Array<{ provider: string; model_id: string }>;
}
