// A report as text for operators (npm run sync -- --report): the summary, then
// the largest spreads.
import { summarize, type DiscrepancyReport } from './report.ts';

export function describeReport(report: DiscrepancyReport, shown: number): string {
  const summary = summarize(report);
  const counts = (record: Record<string, number>) => Object.entries(record).map(([k, n]) => `${k} ${n}`).join(', ') || 'none';
  const lines = [
    `generated ${report.generated_at} from catalog version ${report.catalog_version}`,
    `models compared: ${summary.models_compared}`,
    `matched per source: ${counts(summary.matched)}`,
    `unmatched per source: ${counts(summary.unmatched)}`,
    `disagreements by class: ${counts(summary.disagreements.by_class)}`,
    `disagreements by dimension: ${counts(summary.disagreements.by_dimension)}`,
    `largest spreads:`,
    ...report.items.slice(0, shown).map((item) => {
      const others = Object.entries(item.sources).map(([source, s]) => `${source} ${s.price}`).join(', ');
      const odd = item.outliers.length > 0 ? ` [odd: ${item.outliers.join(', ')}]` : '';
      return `  ×${item.spread ?? 'null'} ${item.class.padEnd(14)} ${item.provider}/${item.model_id} ${item.dimension}: served ${item.served.price} (${item.served.source}); ${others}${odd}`;
    }),
  ];
  return `${lines.join('\n')}\n`;
}
