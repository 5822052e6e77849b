// The answer to a quote request (POST /costs/quote): the exact cost of one
// call from the price record and exchange rate in effect in a view. The call is
// described by tariff's usage buckets, or by the provider's own response body
// (or its usage object), read as that provider bills it (src/usage/). Throws
// the domain errors of ./errors.ts, QuoteError for a call the model's prices
// cannot bill, and the usage module's UsageBodyError for a response it cannot read.
import type { CatalogEntry } from '../catalog/types.ts';
import type { CatalogView } from '../catalog/view.ts';
import { convert, quote, type QuoteUsage } from '../prices/quote.ts';
import { presentEntry, presentRate, type PresentedEntry } from './present.ts';
import { readResponse, type Format } from '../usage/index.ts';
import { applyBilling, billingFor } from '../prices/modifiers.ts';
import { QuoteError } from '../prices/quote.ts';
import type { ServiceTier } from '../prices/units.ts';
import { formatDecimal, parseDecimal, subtract } from '../money/decimal.ts';
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

/** A quote of a call whose response reported its cost: tariff's total beside the reported one. */
export interface ReportedCost {
  provider: string;
  model_id: string;
  total_usd: string;
  reported_cost_usd: string;
  /** total_usd − reported_cost_usd, exact: positive when tariff bills more than was reported. */
  delta_usd: string;
}

/** Told of every quote that carries a reported cost (the server's metrics and log). */
export type ReportedCostObserver = (reported: ReportedCost) => void;

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

/**
 * The quote as JSON text: what a single quote answers, and what a batch joins.
 * All ASCII (non-ASCII characters are written as \u escapes, which JSON reads
 * as the same characters): node:http writes it one byte per character, with
 * its length as its Content-Length (writeReply).
 */
export function quoteJson(view: CatalogView, request: QuoteRequest, stale: boolean, onReported?: ReportedCostObserver): string {
  const { answer, entry } = answerOf(view, request, stale, onReported);
  const text = asciiJson(JSON.stringify(answer));
  // The last member, `price`, spliced in as its memoised text: JSON.stringify's text of the whole object all the same.
  return `${text.slice(0, -1)},"price":${priceJson(entry)}}`;
}

/**
 * The same answer as an object, for a caller in the same process
 * (@tariff/client): quoteJson's text is this object serialised. Parsing the
 * text instead costs several times the quote itself. The `price` member is
 * the entry's presented record, made once and frozen, shared by every quote
 * of that entry (presenting it was a third of the quote).
 */
export function quoteAnswer(view: CatalogView, request: QuoteRequest, stale: boolean, onReported?: ReportedCostObserver): QuoteAnswer {
  const { answer, entry } = answerOf(view, request, stale, onReported);
  answer.price = presentedPrice(entry);
  return answer as QuoteAnswer;
}

/** A quote answer as an object (quoteAnswer): the fields every quote has, the rest as POST /costs/quote sends them. */
export interface QuoteAnswer {
  provider: string;
  model_id: string;
  catalog_version: number;
  stale: boolean;
  total_usd: string;
  [field: string]: unknown;
}

/** The answer's members but `price`, in the order the API writes them; and the entry quoted. */
function answerOf(view: CatalogView, request: QuoteRequest, stale: boolean, onReported: ReportedCostObserver | undefined) {
  const call = callOf(request);
  const { entry, matched_by } = findModel(view, request.provider, call.model);
  // The tier quote() bills: the one the call or its response names, else the usage's, else standard.
  const tier = (call.service_tier === undefined ? call.usage.service_tier : call.service_tier) ?? 'standard';
  const billing = call.modifiers || tier === 'batch' ? billingFor(entry, call.modifiers, tier, call.usage) : undefined;
  const rate = rateFor(view, request.currency);
  const quoted = quote(billing?.entry ?? entry, call.usage, request.at, call.service_tier);
  const result = billing ? applyBilling(quoted, billing) : quoted;
  const delta = call.reported ? formatDecimal(subtract(parseDecimal(result.total_usd), parseDecimal(call.reported))) : undefined;
  if (delta !== undefined) {
    onReported?.({ provider: request.provider, model_id: entry.model_id, total_usd: result.total_usd, reported_cost_usd: call.reported!, delta_usd: delta });
  }
  // Members in the order the API writes them; an optional one only where it applies.
  const answer: Record<string, unknown> = {
    provider: request.provider,
    model_id: entry.model_id,
    requested_model_id: call.model,
    matched_by,
    catalog_version: view.version,
    stale,
  };
  if (request.at) answer.at = request.at.toISOString();
  if (call.format) answer.format = call.format;
  answer.usage = result.usage;
  answer.service_tier = result.service_tier.name;
  if (result.service_tier.fallback.length > 0) answer.service_tier_fallback = [...result.service_tier.fallback];
  answer.tier = result.tier;
  answer.components = result.components;
  if (billing?.price_modifiers) answer.price_modifiers = billing.price_modifiers;
  if (billing?.service_tier_rule) answer.service_tier_rule = billing.service_tier_rule;
  answer.total_usd = result.total_usd;
  if (delta !== undefined) {
    answer.reported_cost_usd = call.reported;
    answer.reported_delta_usd = delta;
  }
  if (rate) {
    answer.currency = rate.quote;
    answer.total = convert(result.total_usd, rate.rate);
    answer.exchange_rate = presentRate(rate);
  }
  return { answer, entry };
}

/**
 * Each entry's presented price, made once (frozen), and its ASCII JSON text,
 * made once: entries never change (a new catalog version brings new objects),
 * and presenting and serialising the price was half of a quote's own work
 * (BENCHMARKS.md).
 */
const presented = new WeakMap<CatalogEntry, PresentedEntry>();
const prices = new WeakMap<CatalogEntry, string>();

function presentedPrice(entry: CatalogEntry): PresentedEntry {
  let price = presented.get(entry);
  if (price === undefined) {
    price = deepFreeze(presentEntry(entry));
    presented.set(entry, price);
  }
  return price;
}

function priceJson(entry: CatalogEntry): string {
  let json = prices.get(entry);
  if (json === undefined) {
    json = asciiJson(JSON.stringify(presentedPrice(entry)));
    prices.set(entry, json);
  }
  return json;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const member of Object.values(value)) deepFreeze(member);
    Object.freeze(value);
  }
  return value;
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
