// The cross-source discrepancy report as the dashboard reads it: the shape of
// GET /costs/discrepancies. The report is computed elsewhere and held in
// memory; the dashboard only asks a DiscrepancySource for the current one.
import type { DiscrepancyItem } from '../discrepancy/compare.ts';
import type { presentReport } from '../discrepancy/report.ts';
import { compare, parseDecimal } from '@tariff/pricing';

export type { DiscrepancyItem } from '../discrepancy/compare.ts';

/** The report as GET /costs/discrepancies serves it. */
export type DiscrepancyReport = ReturnType<typeof presentReport>;

/** The report currently held, or undefined while none has been computed. */
export type DiscrepancySource = () => DiscrepancyReport | undefined;

export const noReportYet: DiscrepancySource = () => undefined;

export function modelDiscrepancies(report: DiscrepancyReport, provider: string, modelId: string) {
  return {
    items: report.items.filter((item) => item.provider === provider && item.model_id === modelId),
    unmatched: report.unmatched.filter((entry) => entry.provider === provider && entry.model_id === modelId),
  };
}

export const SORT_KEYS = ['spread', 'provider', 'model', 'dimension', 'class'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

/** Items ordered by `key`; spreads compared as exact decimals, ties broken by provider, model, dimension. */
export function sortItems(items: readonly DiscrepancyItem[], key: SortKey, dir: 'asc' | 'desc'): DiscrepancyItem[] {
  const text = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const byKey = (a: DiscrepancyItem, b: DiscrepancyItem): number => {
    switch (key) {
      case 'spread': return compareSpread(a.spread, b.spread);
      case 'provider': return text(a.provider, b.provider);
      case 'model': return text(a.model_id, b.model_id);
      case 'dimension': return text(a.dimension, b.dimension);
      case 'class': return text(a.class, b.class);
    }
  };
  const sign = dir === 'asc' ? 1 : -1;
  return [...items].sort((a, b) => sign * byKey(a, b)
    || text(a.provider, b.provider) || text(a.model_id, b.model_id) || text(a.dimension, b.dimension));
}

/** A spread that is not a decimal (null: a zero smallest price has no ratio) sorts as the largest. */
function compareSpread(a: string | null, b: string | null): number {
  const x = asDecimal(a);
  const y = asDecimal(b);
  if (x === undefined || y === undefined) return Number(x === undefined) - Number(y === undefined);
  return compare(x, y);
}

const DECIMAL_TEXT = /^\d+(\.\d+)?$/;
const asDecimal = (text: string | null) => (text !== null && DECIMAL_TEXT.test(text) ? parseDecimal(text) : undefined);
