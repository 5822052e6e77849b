// The answer to a batch of quotes: each item's quote, or the error a single
// quote would have answered, with its index.
import type { CatalogView } from '../catalog/view.ts';
import { domainErrorResponse } from './errors.ts';
import { asciiJson, quoteJson, type QuoteRequest, type ReportedCostObserver } from './quote.ts';

/** `{count, results}` as JSON text, all ASCII as quoteJson's; `viewOf` gives the view each item is quoted from. */
export function batchJson(items: readonly QuoteRequest[], viewOf: (item: QuoteRequest) => CatalogView, stale: boolean, onReported?: ReportedCostObserver): string {
  const results = items.map((item, index) => {
    try {
      return quoteJson(viewOf(item), item, stale, onReported);
    } catch (err) {
      const answer = domainErrorResponse(err);
      if (!answer) throw err;
      return asciiJson(JSON.stringify({ index, ...answer.body }));
    }
  });
  return `{"count":${results.length},"results":[${results.join(',')}]}`;
}
