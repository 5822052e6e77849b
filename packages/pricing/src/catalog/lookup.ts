// Finding what a request asks for in a catalog view: the model (however the
// caller spelled it) and the exchange rate for a currency. Throws the domain
// errors of ../answers/errors.ts.
import { resolveModel, type Resolution } from '../models/resolve.ts';
import { RateUnavailableError, RemovedModelError, UnknownModelError, UnknownProviderError } from '../answers/errors.ts';
import type { CatalogEntry, ExchangeRate } from './types.ts';
import type { CatalogView } from './view.ts';

export interface FoundModel {
  entry: CatalogEntry;
  matched_by: Extract<Resolution, { entry: CatalogEntry }>['matched_by'];
}

/** The served model a caller asked for, however they spelled it. */
export function findModel(view: CatalogView, provider: string, model: string): FoundModel {
  const models = view.byProvider.get(provider);
  if (!models) throw new UnknownProviderError(provider, closestProviders(view, provider));
  const resolved = resolveModel(models, provider, model);
  if (!resolved.entry) throw new UnknownModelError(provider, model, resolved.suggestions);
  if (resolved.entry.removed_at !== null) throw new RemovedModelError(provider, resolved.entry.model_id, resolved.entry.removed_at);
  return { entry: resolved.entry, matched_by: resolved.matched_by };
}

/** The USD→currency rate for a requested currency (none for USD or no currency). */
export function rateFor(view: CatalogView, currency: string | undefined): ExchangeRate | undefined {
  if (currency === undefined || currency === 'USD') return undefined;
  const rate = view.rates.get(`USD/${currency}`);
  if (!rate) throw new RateUnavailableError(currency, [...view.rates.values()].map((r) => r.quote));
  return rate;
}

function closestProviders(view: CatalogView, provider: string): string[] {
  return [...view.byProvider.keys()].filter((id) => id.includes(provider) || provider.includes(id)).slice(0, 5);
}
