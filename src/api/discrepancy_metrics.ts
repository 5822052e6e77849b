// The discrepancy report's counts as Prometheus gauges, read from the report
// an API instance serves at scrape time.
import { Gauge, type Registry } from 'prom-client';
import type { DiscrepancyCache } from '../cache/discrepancies.ts';
import { summarize, type DiscrepancyReport, type ReportSummary } from '../discrepancy/report.ts';

/** The gauges with one series per source or class: name, help, label, and the counts they show. */
const COUNT_GAUGES: readonly [string, string, string, (summary: ReportSummary) => Record<string, number>][] = [
  ['tariff_discrepancy_matched_models', 'Models of the latest discrepancy report that each other source lists',
    'source', (summary) => summary.matched],
  ['tariff_discrepancy_unmatched_models', 'Models of the latest discrepancy report that each other source could not be matched to',
    'source', (summary) => summary.unmatched],
  ['tariff_discrepancies', 'Price disagreements (model × dimension) in the latest discrepancy report, by class',
    'class', (summary) => summary.disagreements.by_class],
];

export function registerDiscrepancyMetrics(registry: Registry, cache: DiscrepancyCache): void {
  // Summarised once per served report, not once per gauge on every scrape.
  let summarized: { report: DiscrepancyReport; summary: ReportSummary } | undefined;
  const summary = (): ReportSummary | undefined => {
    const report = cache.current?.report;
    if (!report) return undefined;
    if (summarized?.report !== report) summarized = { report, summary: summarize(report) };
    return summarized.summary;
  };
  new Gauge({
    name: 'tariff_discrepancy_models_compared',
    help: 'Priced models the latest discrepancy report compared with other sources',
    registers: [registry],
    collect() { this.set(summary()?.models_compared ?? 0); },
  });
  for (const [name, help, label, counts] of COUNT_GAUGES) {
    new Gauge({
      name,
      help,
      labelNames: [label],
      registers: [registry],
      collect() {
        this.reset();
        const current = summary();
        for (const [value, n] of Object.entries(current ? counts(current) : {})) this.set({ [label]: value }, n);
      },
    });
  }
  new ReportAgeGauge({
    name: 'tariff_discrepancy_report_age_seconds',
    help: 'Seconds since the served discrepancy report was generated (absent before the first report)',
    registers: [registry],
    collect() {
      const report = cache.current?.report;
      if (report) this.set((Date.now() - Date.parse(report.generated_at)) / 1000);
    },
  }, cache);
}

/** A gauge with no sample while no report is served: prom-client would otherwise expose a label-less gauge as 0. */
class ReportAgeGauge extends Gauge {
  private readonly cache: DiscrepancyCache;

  constructor(config: ConstructorParameters<typeof Gauge>[0], cache: DiscrepancyCache) {
    super(config);
    this.cache = cache;
  }

  override async get(): ReturnType<Gauge['get']> {
    const metric = await super.get();
    return this.cache.current ? metric : { ...metric, values: [] };
  }
}
