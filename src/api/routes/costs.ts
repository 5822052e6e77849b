// GET /costs: the served catalog, grouped by provider.
import { Router, type Response } from 'express';
import { z } from 'zod';
import type { CatalogCache, CatalogView } from '../../cache/catalog.ts';
import { AppError, parseInput } from '../errors.ts';
import { presentEntry } from '../present.ts';

const providerId = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'must be a provider id such as openai');

export const costsQuery = z.strictObject({
  provider: providerId.optional(),
});

export function costsRouter(catalog: CatalogCache): Router {
  const router = Router();

  router.get('/costs', (req, res) => {
    const query = parseInput(costsQuery, req.query, 'query');
    const view = catalog.current;
    if (query.provider !== undefined && !view.byProvider.has(query.provider)) {
      throw new AppError(404, 'unknown_provider', `provider "${query.provider}" has no prices in the catalog`, {
        providers: [...view.byProvider.keys()],
      });
    }
    const stale = catalog.stale !== undefined;
    sendCatalogJson(res, view, stale, `costs:${query.provider ?? '*'}:${stale}`, () => costsBody(view, query.provider, stale));
  });

  return router;
}

export function costsBody(view: CatalogView, provider: string | undefined, stale: boolean) {
  const providers: Record<string, unknown> = {};
  for (const info of view.data.providers) {
    if (provider !== undefined && info.id !== provider) continue;
    const models = [...(view.byProvider.get(info.id)?.values() ?? [])]
      .filter((entry) => entry.removed_at === null)
      .map(presentEntry);
    if (models.length === 0) continue;
    providers[info.id] = { source: info.source, in_use: info.in_use, last_synced_at: info.last_synced_at, models };
  }
  const zar = view.rates.get('USD/ZAR');
  return {
    catalog_version: view.version,
    last_updated: view.changedAt,
    stale,
    currency: 'USD',
    usd_to_zar: zar?.rate ?? null,
    exchange_rates: [...view.rates.values()].map((r) => ({
      base: r.base, quote: r.quote, rate: r.rate, market_time: r.market_time, source: r.source,
    })),
    providers,
  };
}

/** Sends a body memoised for this catalog version, with its ETag and staleness header. */
export function sendCatalogJson(res: Response, view: CatalogView, stale: boolean, key: string, build: () => unknown): void {
  res.setHeader('ETag', view.etag);
  res.setHeader('X-Catalog-Version', String(view.version));
  if (stale) res.setHeader('X-Catalog-Stale', 'true');
  res.setHeader('Cache-Control', 'public, max-age=0, must-revalidate');
  res.type('application/json').send(view.memo(key, build));
}
