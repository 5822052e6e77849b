// The answer to a quote request (POST /costs/quote): the exact cost of one
// call from the price record and exchange rate in effect in a view. The call is
// described by tariff's usage buckets, or by the provider's own response body
// (or its usage object), read as that provider bills it (src/usage/). Throws
// the domain errors of ./errors.ts, QuoteError for a call the model's prices
// cannot bill, and the usage module's UsageBodyError for a response it cannot read.
import type { CatalogView } from '../catalog/view.ts';
import { COMPONENT_NAMES, convert, quoteLines, type QuoteLine, type QuoteUsage } from '../prices/quote.ts';
import { UNIT_IDS } from '../prices/units.ts';
import type { CatalogEntry } from '../catalog/types.ts';
import { presentEntry, presentRate } from './present.ts';
import { readResponse, type Format, type PriceModifier } from '../usage/index.ts';
import { QuoteError } from '../prices/quote.ts';
import type { ServiceTier } from '../prices/units.ts';
import { UnnamedModelError } from './errors.ts';
import { findModel, rateFor } from '../catalog/lookup.ts';

export interface QuoteRequest {
  provider: string;
  /** Required with `usage`; with a `response`, the model it names wins. */
  model?: string | undefined;
  usage?: QuoteUsage | undefined;
  response?: Record<string, unknown> | undefined;
  format?: Format | undefined;
  /** The tier the call ran on, which wins over what a response says of itself (a Batch API output line says `default`). */
  service_tier?: ServiceTier | undefined;
  at?: Date | undefined;
  currency?: string | undefined;
}

/** Each entry's presented price, serialised once: quotes echo it, and entries never change. */
const priceJson = new WeakMap<CatalogEntry, string>();

/** The call a request describes: its usage buckets and model, and what a response said of itself. */
function callOf(request: QuoteRequest) {
  if (!request.response) {
    return { model: request.model!, usage: request.usage!, service_tier: request.service_tier, format: undefined, reported: null, modifiers: undefined };
  }
  const read = readResponse(request.response, request.format, request.provider);
  const model = read.model ?? request.model;
  if (model === undefined) throw new UnnamedModelError();
  return {
    model, usage: read.counts, service_tier: request.service_tier ?? read.service_tier, format: read.format, reported: read.reported_cost_usd,
    modifiers: read.modifiers,
  };
}

/** A price modifier the response reports is never billed at the standard price: a 422 naming it. */
function refuseModifiers(entry: CatalogEntry, modifiers: readonly PriceModifier[]): never {
  const [first] = modifiers;
  throw new QuoteError(entry, 'price_modifier_unpriced',
    `${first!.field}: ${entry.provider}/${entry.model_id} has no price for ${JSON.stringify(first!.value)} that tariff can bill`,
    { modifiers });
}

/**
 * The quote as JSON text: what a single quote answers, and what a batch joins.
 * A string, and all ASCII (non-ASCII characters are written as \u escapes):
 * node:http writes it in the same write as the response's headers, one byte
 * per character, with its length as its Content-Length (writeReply).
 */
export function quoteJson(view: CatalogView, request: QuoteRequest, stale: boolean): string {
  const call = callOf(request);
  const { entry, matched_by } = findModel(view, request.provider, call.model);
  if (call.modifiers) refuseModifiers(entry, call.modifiers);
  const rate = rateFor(view, request.currency);
  const result = quoteLines(entry, call.usage, request.at, call.service_tier);
  const fallback = result.service_tier.fallback.length > 0 ? `"service_tier_fallback":${asciiJson(JSON.stringify(result.service_tier.fallback))},` : '';
  const tier = result.tier === null ? 'null' : `{"above_input_tokens":${result.tier.above_input_tokens}}`;
  return `{"provider":${jsonString(request.provider)},"model_id":${jsonString(entry.model_id)},`
    + `"requested_model_id":${jsonString(call.model)},"matched_by":"${matched_by}","catalog_version":${view.version},"stale":${stale},`
    + (request.at ? `"at":"${request.at.toISOString()}",` : '')
    + (call.format ? `"format":"${call.format}",` : '')
    + `"usage":${usageJson(result.lines)},"service_tier":"${result.service_tier.name}",${fallback}`
    + `"tier":${tier},"components":${componentsJson(result.lines)},"total_usd":"${result.total_usd}",`
    + (call.reported ? `"reported_cost_usd":${jsonString(call.reported)},` : '')
    + (rate ? `"currency":${jsonString(rate.quote)},"total":"${convert(result.total_usd, rate.rate)}","exchange_rate":${asciiJson(JSON.stringify(presentRate(rate)))},` : '')
    + `"price":${priceOf(entry)}}`;
}

function priceOf(entry: CatalogEntry): string {
  let price = priceJson.get(entry);
  if (price === undefined) {
    price = asciiJson(JSON.stringify(presentEntry(entry)));
    priceJson.set(entry, price);
  }
  return price;
}

/**
 * JSON text of a string, all ASCII: as is in quotes when nothing in it needs
 * escaping (the usual model id), else JSON.stringify's with every non-ASCII
 * character as a \u escape.
 */
export function jsonString(text: string): string {
  return NEEDS_ESCAPE.test(text) ? asciiJson(JSON.stringify(text)) : `"${text}"`;
}

/**
 * JSON text with every non-ASCII character written as a \u escape (a character
 * outside the BMP as its two surrogates'), which JSON reads as the same string.
 * Non-ASCII can only stand inside a JSON string, where an escape is valid.
 */
export function asciiJson(json: string): string {
  return NON_ASCII.test(json) ? json.replace(NON_ASCII_ALL, escapeUnit) : json;
}

const NON_ASCII = /[\u0080-\uffff]/;
const NON_ASCII_ALL = /[\u0080-\uffff]/g;
const escapeUnit = (unit: string) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** What jsonString escapes: what JSON.stringify does (quotes, backslashes, control characters, lone surrogates), and any non-ASCII character. */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\u0080-\uffff]/;

// The answer is written directly: its own parts are unit ids, whole numbers,
// decimal strings and fixed words, none of which JSON escapes, the strings a
// caller sent or the catalog holds go through jsonString, and serialised parts
// (the price, the rate, the fallback list) through asciiJson. It costs a
// fraction of JSON.stringify's generic walk on the hot path, for the text
// JSON.stringify gives with non-ASCII characters escaped (test/quote/
// quote_json.test.ts holds it to that; the lean-path test compares the bytes
// with the Express path's).

function usageJson(lines: readonly QuoteLine[]): string {
  let text = '';
  for (const { index, component } of lines) text += (text === '' ? '{' : ',') + USAGE_KEYS[index] + component.units;
  return text === '' ? '{}' : `${text}}`;
}

function componentsJson(lines: readonly QuoteLine[]): string {
  let text = '';
  for (const { index, component: c } of lines) {
    text += (text === '' ? '{' : ',') + COMPONENT_KEYS[index] + c.units
      + (c.unit_price === null ? ',"unit_price":null,"cost_usd":"' : `,"unit_price":"${c.unit_price}","cost_usd":"`)
      + c.cost_usd + (c.priced_as === undefined ? '"' : `","priced_as":"${c.priced_as}"`)
      // Source names are lower-case letters, digits and _ (sources/registry.ts), or `manual`: nothing JSON escapes.
      + (c.source === undefined ? '}' : `,"source":"${c.source}"}`);
  }
  return text === '' ? '{}' : `${text}}`;
}

// What every quote writes before a line's numbers, by unit index: `"unit":` in
// `usage`, and `"component":{"units":` in `components`.
const USAGE_KEYS = UNIT_IDS.map((unit) => `"${unit}":`);
const COMPONENT_KEYS = COMPONENT_NAMES.map((name) => `"${name}":{"units":`);
