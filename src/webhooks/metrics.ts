// Webhook gauges for an API instance's /metrics, read from the shared tables
// (deliveries run in workers), as the sync gauges are.
import { Gauge, type Registry } from 'prom-client';
import type { Pool } from '../db/pool.ts';
import { DISABLED_BY_OPERATOR } from './endpoints.ts';

export function registerWebhookMetrics(registry: Registry, pool: Pool): void {
  new Gauge({
    name: 'tariff_webhook_endpoints',
    help: 'Webhook endpoints, by state (enabled, disabled)',
    labelNames: ['state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const { rows } = await pool.query<{ state: string; n: number }>(`
        select case when enabled then 'enabled' else 'disabled' end as state, count(*)::int as n
          from webhook_endpoints group by 1`).catch(() => ({ rows: [] }));
      for (const row of rows) this.set({ state: row.state }, row.n);
    },
  });
  new Gauge({
    name: 'tariff_webhook_endpoints_disabled',
    help: 'Webhook endpoints disabled automatically (410 Gone, or WEBHOOK_MAX_CONSECUTIVE_FAILURES failed attempts in a row): each was logged as webhook.disabled',
    registers: [registry],
    async collect() {
      const { rows } = await pool.query<{ n: number }>(`
        select count(*)::int as n from webhook_endpoints
         where not enabled and disabled_reason is distinct from $1::text`, [DISABLED_BY_OPERATOR]).catch(() => ({ rows: [{ n: 0 }] }));
      this.set(rows[0]?.n ?? 0);
    },
  });
  new Gauge({
    name: 'tariff_webhook_deliveries',
    help: 'Webhook deliveries, by status (pending, delivered, failed, cancelled)',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const { rows } = await pool.query<{ status: string; n: number }>(
        'select status, count(*)::int as n from webhook_deliveries group by status').catch(() => ({ rows: [] }));
      for (const row of rows) this.set({ status: row.status }, row.n);
    },
  });
}
