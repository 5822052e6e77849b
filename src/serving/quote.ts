// The answer to a quote request (POST /costs/quote): the exact cost of one
// call from the price record and exchange rate in effect in a view. The call is
// described by tariff's usage buckets, or by the provider's own response body
// (or its usage object), read as that provider bills it (src/usage/). Throws
// the domain errors of ./errors.ts, QuoteError for a call the model's prices
// cannot bill, and the usage module's UsageBodyError for a response it cannot read.
import type { CatalogView } from '../cache/catalog.ts';
import { convert, quote, type Usage } from '../catalog/quote.ts';
import type { CatalogEntry } from '../catalog/read.ts';
import { presentEntry, presentRate } from '../api/present.ts';
import { normalizeResponse, type Format } from '../usage/index.ts';
import { UnnamedModelError } from './errors.ts';
import { findModel, rateFor } from './lookup.ts';

export interface QuoteRequest {
  provider: string;
  /** Required with `usage`; with a `response`, the model it names wins. */
  model?: string | undefined;
  usage?: Usage | undefined;
  response?: Record<string, unknown> | undefined;
  format?: Format | undefined;
  at?: Date | undefined;
  currency?: string | undefined;
}

/** Each entry's presented price, serialised once: quotes echo it, and entries never change. */
const priceJson = new WeakMap<CatalogEntry, string>();

/** The call a request describes: its usage buckets and model, and what a response said of itself. */
function callOf(request: QuoteRequest) {
  if (!request.response) return { model: request.model!, usage: request.usage!, format: undefined, reported: null };
  const read = normalizeResponse(request.response, request.format);
  const model = read.model ?? request.model;
  if (model === undefined) throw new UnnamedModelError();
  return { model, usage: { ...read.usage, service_tier: read.service_tier }, format: read.format, reported: read.reported_cost_usd };
}

/** The quote as JSON text. */
export function quoteJson(view: CatalogView, request: QuoteRequest, stale: boolean): string {
  const call = callOf(request);
  const { entry, matched_by } = findModel(view, request.provider, call.model);
  const rate = rateFor(view, request.currency);
  const result = quote(entry, call.usage, request.at);
  // One object of a fixed shape; JSON.stringify leaves out the keys left undefined.
  const head = JSON.stringify({
    provider: request.provider,
    model_id: entry.model_id,
    requested_model_id: call.model,
    matched_by,
    catalog_version: view.version,
    stale,
    at: request.at?.toISOString(),
    format: call.format,
    usage: result.usage,
    service_tier: result.service_tier.name,
    service_tier_fallback: result.service_tier.fallback.length > 0 ? result.service_tier.fallback : undefined,
    tier: result.tier,
    components: result.components,
    total_usd: result.total_usd,
    reported_cost_usd: call.reported ?? undefined,
    currency: rate?.quote,
    total: rate ? convert(result.total_usd, rate.rate) : undefined,
    exchange_rate: rate ? presentRate(rate) : undefined,
  });
  let price = priceJson.get(entry);
  if (price === undefined) priceJson.set(entry, (price = JSON.stringify(presentEntry(entry))));
  return `${head.slice(0, -1)},"price":${price}}`;
}
