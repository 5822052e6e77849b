// GET /costs/discrepancies: the latest cross-source report (see
// src/discrepancy/report.ts), narrowed by provider, dimension and minimum
// spread. Served from memory; spreads are exact, rounded to 4 decimals.
import { Router } from 'express';
import { z } from 'zod';
import type { DiscrepancyCache } from '../../cache/discrepancies.ts';
import { canonical, UNIT_IDS } from '@tariff/pricing';
import { presentReport } from '../../discrepancy/report.ts';
import { AppError, parseInput } from '../../http/errors.ts';
import { providerId } from '../schemas.ts';
import { send } from '../../http/express.ts';
import { JSON_TYPE } from '../../http/reply.ts';

export const discrepanciesQuery = z.strictObject({
  provider: providerId.optional(),
  dimension: z.enum(UNIT_IDS as [string, ...string[]], { error: `must be a price dimension (${UNIT_IDS.join(', ')})` }).optional(),
  min_spread: z.string().regex(/^\d{1,12}(\.\d{1,12})?$/, 'must be a decimal ratio such as "1.5"').transform(canonical).optional(),
});

export function discrepanciesRouter(cache: DiscrepancyCache): Router {
  const router = Router();
  router.get('/costs/discrepancies', async (req, res) => {
    const query = parseInput(discrepanciesQuery, req.query, 'query');
    if (!cache.loaded) await cache.refreshIfBehind();
    const stored = cache.current;
    if (!stored) {
      throw new AppError(404, 'no_report', 'no discrepancy report yet: the check_discrepancies job stores one after each sync, '
        + 'which needs the upstreams reachable; to run one now: npm run sync -- --report');
    }
    const key = `${stored.id}:${query.provider ?? ''}:${query.dimension ?? ''}:${query.min_spread ?? ''}`;
    send(res, {
      status: 200,
      type: JSON_TYPE,
      headers: { 'Cache-Control': 'no-cache' },
      body: cache.memo(key, () => presentReport(stored.report, {
        provider: query.provider, dimension: query.dimension as (typeof UNIT_IDS)[number] | undefined, min_spread: query.min_spread,
      })),
    });
  });
  return router;
}
