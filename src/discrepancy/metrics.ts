// The discrepancy report's counts as Prometheus gauges, read from the report
// an API instance serves at scrape time.
import { Gauge, type Registry } from 'prom-client';
import type { DiscrepancyCache } from '../cache/discrepancies.ts';
import { summarize } from './report.ts';

export function registerDiscrepancyMetrics(registry: Registry, cache: DiscrepancyCache): void {
  const summary = () => {
    const stored = cache.current;
    return stored ? { report: stored.report, summary: summarize(stored.report) } : undefined;
  };
  new Gauge({
    name: 'tariff_discrepancy_models_compared',
    help: 'Priced models the latest discrepancy report compared with other sources',
    registers: [registry],
    collect() { this.set(summary()?.summary.models_compared ?? 0); },
  });
  new Gauge({
    name: 'tariff_discrepancy_matched_models',
    help: 'Models of the latest discrepancy report that each other source lists',
    labelNames: ['source'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const [source, n] of Object.entries(summary()?.summary.matched ?? {})) this.set({ source }, n);
    },
  });
  new Gauge({
    name: 'tariff_discrepancy_unmatched_models',
    help: 'Models of the latest discrepancy report that each other source could not be matched to',
    labelNames: ['source'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const [source, n] of Object.entries(summary()?.summary.unmatched ?? {})) this.set({ source }, n);
    },
  });
  new Gauge({
    name: 'tariff_discrepancies',
    help: 'Price disagreements (model × dimension) in the latest discrepancy report, by class',
    labelNames: ['class'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const [name, n] of Object.entries(summary()?.summary.disagreements.by_class ?? {})) this.set({ class: name }, n);
    },
  });
  new Gauge({
    name: 'tariff_discrepancy_report_age_seconds',
    help: 'Seconds since the served discrepancy report was generated (absent before the first report)',
    registers: [registry],
    collect() {
      this.reset();
      const report = summary()?.report;
      if (report) this.set((Date.now() - Date.parse(report.generated_at)) / 1000);
    },
  });
}
