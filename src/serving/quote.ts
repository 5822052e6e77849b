// The answer to a quote request (POST /costs/quote): the exact cost of one
// call from the price record and exchange rate in effect in a view. Throws the
// domain errors of ./errors.ts, and QuoteError for a model with no fixed price.
import type { CatalogView } from '../cache/catalog.ts';
import { convert, quote, type Usage } from '../catalog/quote.ts';
import type { CatalogEntry } from '../catalog/read.ts';
import { presentEntry, presentRate } from '../api/present.ts';
import { findModel, rateFor } from './lookup.ts';

export interface QuoteRequest {
  provider: string;
  model: string;
  usage: Usage;
  at?: Date | undefined;
  currency?: string | undefined;
}

/** Each entry's presented price, serialised once: quotes echo it, and entries never change. */
const priceJson = new WeakMap<CatalogEntry, string>();

/** The quote as JSON text. */
export function quoteJson(view: CatalogView, request: QuoteRequest, stale: boolean): string {
  const { entry, matched_by } = findModel(view, request.provider, request.model);
  const rate = rateFor(view, request.currency);
  const result = quote(entry, request.usage);
  // One object of a fixed shape; JSON.stringify leaves out the keys left undefined.
  const head = JSON.stringify({
    provider: request.provider,
    model_id: entry.model_id,
    requested_model_id: request.model,
    matched_by,
    catalog_version: view.version,
    stale,
    at: request.at?.toISOString(),
    tier: result.tier,
    components: result.components,
    total_usd: result.total_usd,
    currency: rate?.quote,
    total: rate ? convert(result.total_usd, rate.rate) : undefined,
    exchange_rate: rate ? presentRate(rate) : undefined,
  });
  let price = priceJson.get(entry);
  if (price === undefined) priceJson.set(entry, (price = JSON.stringify(presentEntry(entry))));
  return `${head.slice(0, -1)},"price":${price}}`;
}
