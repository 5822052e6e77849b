// The answer to a quote request (POST /costs/quote): the exact cost of one
// call from the price record and exchange rate in effect in a view. The call is
// described by tariff's usage buckets, or by the provider's own response body
// (or its usage object), read as that provider bills it (src/usage/). Throws
// the domain errors of ./errors.ts, QuoteError for a call the model's prices
// cannot bill, and the usage module's UsageBodyError for a response it cannot read.
import type { CatalogView } from '../cache/catalog.ts';
import { convert, quote, type Quote, type Usage } from '../catalog/quote.ts';
import type { UnitId } from '../catalog/units.ts';
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
  });
  const tail = JSON.stringify({
    total_usd: result.total_usd,
    reported_cost_usd: call.reported ?? undefined,
    currency: rate?.quote,
    total: rate ? convert(result.total_usd, rate.rate) : undefined,
    exchange_rate: rate ? presentRate(rate) : undefined,
  });
  let price = priceJson.get(entry);
  if (price === undefined) priceJson.set(entry, (price = JSON.stringify(presentEntry(entry))));
  const fallback = result.service_tier.fallback.length > 0 ? `"service_tier_fallback":${JSON.stringify(result.service_tier.fallback)},` : '';
  const tier = result.tier === null ? 'null' : `{"above_input_tokens":${result.tier.above_input_tokens}}`;
  return `${head.slice(0, -1)},"usage":${usageJson(result.usage)},"service_tier":"${result.service_tier.name}",${fallback}`
    + `"tier":${tier},"components":${componentsJson(result.components)},${tail.slice(1, -1)},"price":${price}}`;
}

// The quote's own parts hold only unit ids, whole numbers and decimal strings,
// none of which JSON escapes: written directly, they cost a fraction of
// JSON.stringify's generic walk on the hot path. The same text JSON.stringify gives.

function usageJson(usage: Quote['usage']): string {
  let text = '';
  for (const unit in usage) text += `${text === '' ? '' : ','}"${unit}":${usage[unit as UnitId]}`;
  return `{${text}}`;
}

function componentsJson(components: Quote['components']): string {
  let text = '';
  for (const name in components) {
    const c = components[name as keyof Quote['components']]!;
    text += `${text === '' ? '' : ','}"${name}":{"units":${c.units},"unit_price":${c.unit_price === null ? 'null' : `"${c.unit_price}"`},`
      + `"cost_usd":"${c.cost_usd}"${c.priced_as === undefined ? '' : `,"priced_as":"${c.priced_as}"`}}`;
  }
  return `{${text}}`;
}
