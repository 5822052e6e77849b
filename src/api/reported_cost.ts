// Quotes of calls whose response reported a cost (OpenRouter's usage.cost):
// how far tariff's total is from the reported one, per provider, in GET
// /metrics, and a warning naming the model and both totals when it is off by
// more than 1%.
import type { ReportedCostObserver } from '@tariff/pricing';
import type { Histogram } from 'prom-client';
import type { Logger } from '../log.ts';

/** A relative delta above this (in either direction) is logged. */
const LOGGED_RELATIVE_DELTA = 0.01;

export function reportedCostObserver(histogram: Histogram<'provider'>, logger: Logger): ReportedCostObserver {
  return ({ provider, model_id, total_usd, reported_cost_usd, delta_usd }) => {
    const reported = Number(reported_cost_usd);
    const delta = Number(delta_usd);
    // A reported $0 has no relative delta: only a non-zero difference from it is logged.
    const relative = reported === 0 ? (delta === 0 ? 0 : undefined) : delta / reported;
    if (relative !== undefined) histogram.observe({ provider }, relative);
    if (relative === undefined || Math.abs(relative) > LOGGED_RELATIVE_DELTA) {
      logger.warn({ provider, model: model_id, total_usd, reported_cost_usd, delta_usd, relative_delta: relative ?? null },
        'quoted total differs from the reported cost by more than 1%');
    }
  };
}
