// POST /costs/quote: the exact cost of a call (or of up to 1,000 calls), from
// the price record and exchange rate in effect now or at `at`.
import { Router } from 'express';
import { batchJson, type CatalogView, parseQuoteBody, quoteJson, type QuoteRequest, type ReportedCostObserver } from '@tariff/pricing';
import type { CatalogCache } from '../../cache/catalog.ts';
import type { Pool } from '../../db/pool.ts';
import { viewAt } from '../../serving/lookup.ts';
import type { Reply } from '../../http/reply.ts';
import { send } from '../../http/express.ts';

export function quoteRouter(catalog: CatalogCache, pool: Pool, onReported?: ReportedCostObserver): Router {
  const router = Router();

  router.post('/costs/quote', async (req, res) => {
    send(res, await quoteReply(catalog, pool, req.body, onReported));
  });

  return router;
}

/**
 * POST /costs/quote for a parsed body (one item or a batch): what both the
 * lean path and Express answer. Synchronous unless an `at` needs history. The
 * answer is all ASCII (quoteJson), which writeReply is told. `onReported`
 * hears each quote whose response reported a cost.
 */
export function quoteReply(catalog: CatalogCache, pool: Pool, body: unknown, onReported?: ReportedCostObserver): Reply | Promise<Reply> {
  const stale = catalog.stale !== undefined;
  const parsed = parseQuoteBody(body);
  if (Array.isArray(parsed)) {
    return viewsFor(catalog, pool, parsed).then((views) => ({ status: 200, body: batchJson(parsed, (item) => views.get(item.at?.getTime() ?? null)!, stale, onReported), ascii: true }));
  }
  if (parsed.at) return viewAt(catalog, pool, parsed.at, parsed.provider).then((view) => ({ status: 200, body: quoteJson(view, parsed, stale, onReported), ascii: true }));
  return { status: 200, body: quoteJson(catalog.current, parsed, stale, onReported), ascii: true };
}

/** One view per distinct `at` in a batch (null: the current catalog). */
async function viewsFor(catalog: CatalogCache, pool: Pool, items: QuoteRequest[]): Promise<Map<number | null, CatalogView>> {
  const views = new Map<number | null, CatalogView>([[null, catalog.current]]);
  for (const item of items) {
    const key = item.at?.getTime() ?? null;
    if (key !== null && !views.has(key)) views.set(key, await viewAt(catalog, pool, item.at!));
  }
  return views;
}
