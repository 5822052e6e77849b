// The price record of one model as GET /costs/:provider/:model serves it,
// derived once per catalog version and currency.
import type { CatalogView } from '../catalog/view.ts';
import { presentConverted, presentEntry, presentRate } from './present.ts';
import { findModel, rateFor } from '../catalog/lookup.ts';

export interface ModelBody {
  /** Memo key of the body within its view (unique per model, currency and staleness). */
  key: string;
  build: () => unknown;
}

/** Finds the model and the rate first, so an unknown model or currency throws before any body is built. */
export function modelBody(view: CatalogView, provider: string, model: string, currency: string | undefined, stale: boolean, at?: Date): ModelBody {
  const found = findModel(view, provider, model);
  const rate = rateFor(view, currency);
  return {
    key: `model:${provider}:${model}:${rate?.quote ?? 'USD'}:${stale}`,
    build: () => ({
      provider,
      requested_model_id: model,
      matched_by: found.matched_by,
      catalog_version: view.version,
      stale,
      ...(at ? { at: at.toISOString() } : {}),
      ...presentEntry(found.entry),
      ...(rate ? { exchange_rate: presentRate(rate), converted: presentConverted(found.entry, rate) } : {}),
    }),
  };
}
