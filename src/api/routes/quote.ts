// POST /costs/quote: the exact cost of a call (or of up to 1,000 calls), from
// the price record and exchange rate in effect now or at `at`.
import { Router } from 'express';
import { asciiJson, type CatalogView, domainErrorResponse, quoteJson, type QuoteRequest } from '@tariff/pricing';
import type { CatalogCache } from '../../cache/catalog.ts';
import type { Pool } from '../../db/pool.ts';
import { viewAt } from '../../serving/lookup.ts';
import { AppError, parseInput } from '../../http/errors.ts';
import type { Reply } from '../../http/reply.ts';
import { send } from '../../http/express.ts';
import { MAX_BATCH, plainQuoteItem, quoteBatch, quoteItem } from '../schemas.ts';

export function quoteRouter(catalog: CatalogCache, pool: Pool): Router {
  const router = Router();

  router.post('/costs/quote', async (req, res) => {
    send(res, await quoteReply(catalog, pool, req.body));
  });

  return router;
}

/**
 * POST /costs/quote for a parsed body (one item or a batch): what both the
 * lean path and Express answer. Synchronous unless an `at` needs history. The
 * answer is all ASCII (quoteJson), which writeReply is told.
 */
export function quoteReply(catalog: CatalogCache, pool: Pool, body: unknown): Reply | Promise<Reply> {
  const stale = catalog.stale !== undefined;
  if (Array.isArray(body)) {
    if (body.length > MAX_BATCH) throw new AppError(413, 'batch_too_large', `body: at most ${MAX_BATCH} quotes per request, got ${body.length}`);
    const items = parseInput(quoteBatch, body, 'body');
    return viewsFor(catalog, pool, items).then((views) => ({ status: 200, body: batchJson(items, views, stale), ascii: true }));
  }
  const item = plainQuoteItem(body) ?? parseInput(quoteItem, body ?? {}, 'body');
  if (item.at) return viewAt(catalog, pool, item.at, item.provider).then((view) => ({ status: 200, body: quoteJson(view, item, stale), ascii: true }));
  return { status: 200, body: quoteJson(catalog.current, item, stale), ascii: true };
}

/** A batch answers each item: its quote, or the error a single quote would have answered. All ASCII, as quoteJson. */
function batchJson(items: QuoteRequest[], views: Map<number | null, CatalogView>, stale: boolean): string {
  const results = items.map((item, index) => {
    try {
      return quoteJson(views.get(item.at?.getTime() ?? null)!, item, stale);
    } catch (err) {
      const answer = domainErrorResponse(err);
      if (!answer) throw err;
      return asciiJson(JSON.stringify({ index, ...answer.body }));
    }
  });
  return `{"count":${results.length},"results":[${results.join(',')}]}`;
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
