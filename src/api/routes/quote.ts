// POST /costs/quote: the exact cost of a call (or of up to 1,000 calls), from
// the price record and exchange rate in effect now or at `at`.
import { Router } from 'express';
import type { CatalogCache, CatalogView } from '../../cache/catalog.ts';
import { convert, quote, QuoteError } from '../../catalog/quote.ts';
import type { CatalogEntry } from '../../catalog/read.ts';
import type { Pool } from '../../db/pool.ts';
import { AppError, parseInput } from '../errors.ts';
import { presentEntry, presentRate } from '../present.ts';
import { MAX_BATCH, quoteBatch, quoteItem } from '../schemas.ts';
import { lookup, rateFor, viewAt } from './costs.ts';
import type { z } from 'zod';

type QuoteItem = z.output<typeof quoteItem>;

export function quoteRouter(catalog: CatalogCache, pool: Pool): Router {
  const router = Router();

  router.post('/costs/quote', async (req, res) => {
    res.type('application/json').send(await answerQuote(catalog, pool, req.body));
  });

  return router;
}

/**
 * The POST /costs/quote answer, serialised, for a parsed body (one item or a
 * batch); throws AppError as the route answers.
 */
export async function answerQuote(catalog: CatalogCache, pool: Pool, body: unknown): Promise<string> {
  if (Array.isArray(body)) {
    if (body.length > MAX_BATCH) throw new AppError(413, 'batch_too_large', `body: at most ${MAX_BATCH} quotes per request, got ${body.length}`);
    const items = parseInput(quoteBatch, body, 'body');
    const views = await viewsFor(catalog, pool, items);
    const results = items.map((item, index) => {
      try {
        return quoteOne(item, views.get(item.at?.getTime() ?? null)!, catalog);
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        return JSON.stringify({ index, error: { code: err.code, message: err.message, ...(err.details === undefined ? {} : { details: err.details }) } });
      }
    });
    return `{"count":${results.length},"results":[${results.join(',')}]}`;
  }
  const item = parseInput(quoteItem, body ?? {}, 'body');
  const view = item.at ? await viewAt(catalog, pool, item.at, item.provider) : catalog.current;
  return quoteOne(item, view, catalog);
}

/** Each entry's presented price, serialised once: quotes echo it, and entries never change. */
const priceJson = new WeakMap<CatalogEntry, string>();

/** One view per distinct `at` in a batch (null: the current catalog). */
async function viewsFor(catalog: CatalogCache, pool: Pool, items: QuoteItem[]): Promise<Map<number | null, CatalogView>> {
  const views = new Map<number | null, CatalogView>([[null, catalog.current]]);
  for (const item of items) {
    const key = item.at?.getTime() ?? null;
    if (key !== null && !views.has(key)) views.set(key, await viewAt(catalog, pool, item.at!));
  }
  return views;
}

function quoteOne(item: QuoteItem, view: CatalogView, catalog: CatalogCache) {
  const { entry, matched_by } = lookup(view, item.provider, item.model);
  const rate = rateFor(view, item.currency);
  let result;
  try {
    result = quote(entry, item.usage);
  } catch (err) {
    if (err instanceof QuoteError) throw new AppError(422, `price_${entry.state}`, err.message, { state: entry.state });
    throw err;
  }
  const head = JSON.stringify({
    provider: item.provider,
    model_id: entry.model_id,
    requested_model_id: item.model,
    matched_by,
    catalog_version: view.version,
    stale: catalog.stale !== undefined,
    ...(item.at ? { at: item.at.toISOString() } : {}),
    tier: result.tier,
    components: result.components,
    total_usd: result.total_usd,
    ...(rate ? { currency: rate.quote, total: convert(result.total_usd, rate.rate), exchange_rate: presentRate(rate) } : {}),
  });
  let price = priceJson.get(entry);
  if (price === undefined) priceJson.set(entry, (price = JSON.stringify(presentEntry(entry))));
  return `${head.slice(0, -1)},"price":${price}}`;
}
