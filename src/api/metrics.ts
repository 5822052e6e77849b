// GET /metrics in Prometheus text format. A registry per API instance (not
// prom-client's global one), so several instances can share a process.
import type { Router } from 'express';
import { Router as createRouter } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Registry, type Metric } from 'prom-client';
import type { CatalogCache } from '../cache/catalog.ts';
import type { DiscrepancyCache } from '../cache/discrepancies.ts';
import { registerDiscrepancyMetrics } from './discrepancy_metrics.ts';
import type { Pool } from '../db/pool.ts';
import { registerWebhookMetrics } from '../webhooks/metrics.ts';
import { send } from '../http/express.ts';
import type { RequestObserver } from '../http/reply.ts';

export interface Metrics extends RequestObserver {
  registry: Registry;
  reloads: Counter<'reason'>;
  router: Router;
}

export function createMetrics(catalog: CatalogCache, pool: Pool, discrepancies?: DiscrepancyCache): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'tariff_' });
  if (discrepancies) registerDiscrepancyMetrics(registry, discrepancies);

  const duration = new RequestDurations();
  // prom-client renders any metric that answers get() as its own do; a Metric is the type it takes.
  registry.registerMetric(duration as unknown as Metric);
  const reloads = new Counter({
    name: 'tariff_catalog_reloads_total',
    help: 'Catalog reloads, by cause: start (the first load once listening), notify (a NOTIFY), reconnect (a catch-up after the listener lost its connection)',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'tariff_catalog_version',
    help: 'Catalog version this instance serves',
    registers: [registry],
    collect() { this.set(catalog.loaded ? catalog.current.version : 0); },
  });
  new Gauge({
    name: 'tariff_catalog_stale',
    help: '1 while this instance serves a catalog it cannot confirm is current (database unreachable)',
    registers: [registry],
    collect() { this.set(catalog.stale ? 1 : 0); },
  });
  new Gauge({
    name: 'tariff_catalog_models',
    help: 'Models in the served catalog',
    registers: [registry],
    collect() { this.set(catalog.loaded ? catalog.current.modelCount : 0); },
  });
  // Syncs run in workers; every instance reports them from the shared sync log.
  new Gauge({
    name: 'tariff_provider_last_successful_sync_age_seconds',
    help: 'Seconds since each provider\'s last successful (non-dry-run) sync',
    labelNames: ['provider'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const { rows } = await pool.query<{ provider: string; age: number }>(`
        select provider, extract(epoch from now() - max(completed_at))::float8 as age
          from pricing_sync_log where kind = 'prices' and status = 'success' and not dry_run
         group by provider`).catch(() => ({ rows: [] }));
      for (const row of rows) this.set({ provider: row.provider }, row.age);
    },
  });
  new Gauge({
    name: 'tariff_sync_outcomes',
    help: 'Sync attempts recorded in pricing_sync_log, by provider and status',
    labelNames: ['provider', 'status'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const { rows } = await pool.query<{ provider: string; status: string; n: number }>(`
        select provider, status, count(*)::int as n from pricing_sync_log group by provider, status`).catch(() => ({ rows: [] }));
      for (const row of rows) this.set({ provider: row.provider, status: row.status }, row.n);
    },
  });

  registerWebhookMetrics(registry, pool);

  const router = createRouter();
  router.get('/metrics', async (_req, res) => {
    send(res, { status: 200, type: registry.contentType, body: await registry.metrics() });
  });
  const observe = (method: string, route: string, status: number, seconds: number) => duration.observe(method, route, status, seconds);
  return { registry, reloads, observe, router };
}

const BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

interface Series {
  readonly labels: { method: string; route: string; status: string };
  /** Observations per bucket (not cumulative), the last for +Inf. */
  readonly counts: Float64Array;
  sum: number;
  count: number;
}

/**
 * HTTP request latency by route pattern, as a Prometheus histogram. It runs on
 * every request, so observing is a bucket search and three additions on a
 * series found by one map lookup; prom-client's Histogram validates and hashes
 * its labels on every observation. Rendered by the registry like its own.
 */
class RequestDurations {
  readonly name = 'tariff_http_request_duration_seconds';
  readonly help = 'HTTP request latency by route pattern';
  readonly type = 'histogram';
  readonly aggregator = 'sum';
  /** route → status → method → series: found without building a key on every request. */
  private readonly series = new Map<string, Map<number, Map<string, Series>>>();

  observe(method: string, route: string, status: number, seconds: number): void {
    let byStatus = this.series.get(route);
    if (!byStatus) this.series.set(route, (byStatus = new Map()));
    let byMethod = byStatus.get(status);
    if (!byMethod) byStatus.set(status, (byMethod = new Map()));
    let series = byMethod.get(method);
    if (!series) {
      series = { labels: { method, route, status: String(status) }, counts: new Float64Array(BUCKETS.length + 1), sum: 0, count: 0 };
      byMethod.set(method, series);
    }
    let bucket = 0;
    while (bucket < BUCKETS.length && seconds > BUCKETS[bucket]!) bucket++;
    series.counts[bucket]!++;
    series.sum += seconds;
    series.count++;
  }

  /** What prom-client's own get() answers for a histogram. */
  get() {
    const values: Array<{ metricName: string; labels: Record<string, string | number>; value: number }> = [];
    const all = [...this.series.values()].flatMap((byStatus) => [...byStatus.values()].flatMap((byMethod) => [...byMethod.values()]));
    for (const { labels, counts, sum, count } of all) {
      let cumulative = 0;
      for (const [i, bound] of [...BUCKETS, Number.POSITIVE_INFINITY].entries()) {
        cumulative += counts[i]!;
        values.push({ metricName: `${this.name}_bucket`, labels: { le: bound === Number.POSITIVE_INFINITY ? '+Inf' : bound, ...labels }, value: cumulative });
      }
      values.push({ metricName: `${this.name}_sum`, labels, value: sum }, { metricName: `${this.name}_count`, labels, value: count });
    }
    return Promise.resolve({ name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator });
  }

  reset(): void {
    this.series.clear();
  }
}
