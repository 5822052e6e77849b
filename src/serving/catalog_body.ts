// The GET /costs body: the whole catalog (or one provider of it) grouped by
// provider, optionally converted to another currency.
import {
  type CatalogEntry, type CatalogView, type ExchangeRate, presentConverted, presentEntry, presentRate, type ProviderInfo, UNIT_LEGEND,
} from '@tariff/pricing';
import { providerFragment } from '../cache/catalog.ts';

export interface CatalogBodyOptions {
  provider?: string | undefined;
  rate: ExchangeRate | undefined;
  stale: boolean;
  at?: Date | undefined;
  /** Said while the catalog is the bundled snapshot (freshness.ts). */
  notice?: string | undefined;
}

/** Memo key of a current-catalog body within its view. */
export function catalogBodyKey(provider: string | undefined, rate: ExchangeRate | undefined, stale: boolean, notice?: string): string {
  return `costs:${provider ?? '*'}:${rate?.quote ?? 'USD'}:${stale}:${notice ?? ''}`;
}

/**
 * The GET /costs body as JSON text: its head, then each served provider's
 * head and models, assembled from per-provider fragments of JSON.stringify's
 * text, so that after a sync of one provider only its models are serialised
 * again. A provider with no current models is left out. In parts: the
 * fragments are held once, by their provider's models, and never copied into
 * one buffer beside them (3 MB of a server's memory for the whole catalog).
 */
export function costsJson(view: CatalogView, options: CatalogBodyOptions): Buffer[] {
  const parts: Buffer[] = [Buffer.from(`${JSON.stringify(costsHead(view, options)).slice(0, -1)},"providers":{`)];
  let first = true;
  for (const info of servedProviders(view, options.provider)) {
    const models = view.byProvider.get(info.id)!;
    const rate = options.rate;
    const json = providerFragment(models, rate ? `${rate.quote}:${rate.rate}` : 'USD', (m) => JSON.stringify(presentModels(m, rate)));
    if (json.length === 2) continue; // []
    parts.push(Buffer.from(`${first ? '' : ','}${JSON.stringify(info.id)}:${JSON.stringify(providerHead(info)).slice(0, -1)},"models":`), json, CLOSE_OBJECT);
    first = false;
  }
  parts.push(CLOSE_TWO);
  return parts;
}

const CLOSE_OBJECT = Buffer.from('}');
const CLOSE_TWO = Buffer.from('}}');

function servedProviders(view: CatalogView, provider: string | undefined): ProviderInfo[] {
  return view.providers.filter((info) => (provider === undefined || info.id === provider) && view.byProvider.has(info.id));
}

function presentModels(models: ReadonlyMap<string, CatalogEntry>, rate: ExchangeRate | undefined) {
  const presented = [];
  for (const entry of models.values()) {
    if (entry.removed_at !== null) continue;
    presented.push(rate ? { ...presentEntry(entry), converted: presentConverted(entry, rate) } : presentEntry(entry));
  }
  return presented;
}

function providerHead(info: ProviderInfo) {
  return { source: info.source, in_use: info.in_use, last_synced_at: info.last_synced_at };
}

function costsHead(view: CatalogView, { rate, stale, at, notice }: CatalogBodyOptions) {
  return {
    catalog_version: view.version,
    last_updated: view.changedAt,
    ...(notice ? { notice } : {}),
    ...(at ? { at: at.toISOString() } : {}),
    stale,
    currency: 'USD',
    usd_to_zar: view.rates.get('USD/ZAR')?.rate ?? null,
    ...(rate ? { exchange_rate: presentRate(rate) } : {}),
    exchange_rates: [...view.rates.values()].map(presentRate),
    units: UNIT_LEGEND,
  };
}
