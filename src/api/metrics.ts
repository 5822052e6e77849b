// GET /metrics in Prometheus text format. A registry per API instance (not
// prom-client's global one), so several instances can share a process.
import type { Router } from 'express';
import { Router as createRouter } from 'express';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { CatalogCache } from '../cache/catalog.ts';
import type { ChangeStream } from './change_stream.ts';
import type { DiscrepancyCache } from '../cache/discrepancies.ts';
import { registerDiscrepancyMetrics } from './discrepancy_metrics.ts';
import type { Pool } from '../db/pool.ts';
import { registerWebhookMetrics } from '../webhooks/metrics.ts';
import { send } from '../http/express.ts';
import type { RequestObserver } from '../http/reply.ts';

export interface Metrics extends RequestObserver {
  registry: Registry;
  reloads: Counter<'reason'>;
  /** (tariff's total − the reported cost) / the reported cost, of quotes whose response reported a cost. */
  reportedCostDelta: Histogram<'provider'>;
  router: Router;
}

export function createMetrics(catalog: CatalogCache, pool: Pool, discrepancies?: DiscrepancyCache, changes?: ChangeStream): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'tariff_' });
  if (discrepancies) registerDiscrepancyMetrics(registry, discrepancies);

  const duration = new Histogram({
    name: 'tariff_http_request_duration_seconds',
    help: 'HTTP request latency by route pattern',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const reloads = new Counter({
    name: 'tariff_catalog_reloads_total',
    help: 'Catalog reloads, by cause: start (the first load once listening), notify (a NOTIFY), reconnect (a catch-up after the listener lost its connection)',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  const reportedCostDelta = new Histogram({
    name: 'tariff_quote_reported_cost_relative_delta',
    help: 'Quotes of responses that report their cost (OpenRouter usage.cost): (quoted total - reported cost) / reported cost, by provider',
    labelNames: ['provider'] as const,
    buckets: [-1, -0.1, -0.01, -0.001, 0, 0.001, 0.01, 0.1, 1],
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

  if (changes) registerChangeStreamMetrics(registry, changes);
  registerWebhookMetrics(registry, pool);

  const router = createRouter();
  router.get('/metrics', async (_req, res) => {
    send(res, { status: 200, type: registry.contentType, body: await registry.metrics() });
  });
  const observe = (method: string, route: string, status: number, seconds: number) => duration.observe({ method, route, status: String(status) }, seconds);
  return { registry, reloads, reportedCostDelta, observe, router };
}

function registerChangeStreamMetrics(registry: Registry, changes: ChangeStream): void {
  new Gauge({
    name: 'tariff_change_streams_open',
    help: 'GET /costs/changes streams open on this instance',
    registers: [registry],
    collect() { this.set(changes.size); },
  });
  new Counter({
    name: 'tariff_change_streams_cut_total',
    help: 'GET /costs/changes streams disconnected because their client did not read (unsent events past CHANGES_MAX_BUFFER_BYTES)',
    registers: [registry],
    // Mirrors the stream's own count, which is what its write path increments.
    collect() {
      this.reset();
      this.inc(changes.cut);
    },
  });
}
