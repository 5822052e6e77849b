// refresh_fx's work: fetch USD rates, guard them, and store rate, history, the
// sync log row and the catalog version in one transaction.
import type { Config } from '../config.ts';
import { withTransaction, type Pool, type PoolClient } from '../db/pool.ts';
import type { Logger } from '../log.ts';
import { compare, type Decimal, multiply, parseDecimal, subtract, toDecimal, ZERO } from '@tariff/pricing';
import { finishSyncLog, withSyncLog, type TriggeredBy } from '../store/sync_log.ts';
import { fetchUsdRates, type FetchedRate } from '../fx/yahoo.ts';
import { enqueueFxChanged } from '../webhooks/outbox.ts';

export const FX_LOG_PROVIDER = 'yahoo_finance';

export interface FxRequest {
  force: boolean;
  triggered_by: TriggeredBy;
  job_id: string | null;
  attempt: number | null;
}

export interface FxDeps {
  pool: Pool;
  config: Config;
  logger: Logger;
  signal?: AbortSignal;
}

export interface FxResult {
  status: 'success' | 'rejected';
  sync_log_id: number;
  reason?: string;
  changed: string[];
}

export async function refreshFx(deps: FxDeps, request: FxRequest): Promise<FxResult> {
  const { pool, config, logger } = deps;
  const log = logger.child({ fx: config.FX_CURRENCIES });
  const start = {
    kind: 'fx' as const, provider: FX_LOG_PROVIDER, source: 'yahoo_finance', triggered_by: request.triggered_by,
    dry_run: false, forced: request.force, job_id: request.job_id, attempt: request.attempt,
  };
  return withSyncLog(pool, start, 'FX refresh', log, async (logId) => {
    const fetched = await fetchUsdRates(config.FX_CURRENCIES, {
      baseUrl: config.YAHOO_FINANCE_URL, timeoutMs: config.UPSTREAM_TOTAL_TIMEOUT_MS, logger: log,
      ...(deps.signal ? { signal: deps.signal } : {}),
    });
    const result = await withTransaction(pool, async (client) => {
      const { rows } = await client.query<{ quote: string; rate: string; market_time: Date }>(`
        select quote, trim_scale(rate)::text as rate, market_time from exchange_rates
         where base = 'USD' and quote = any($1::text[]) for update`, [fetched.map((rate) => rate.currency)]);
      const current = new Map(rows.map((r) => [r.quote, r]));
      const offending = fetched.flatMap((rate) => checkRate(rate, current.get(rate.currency)?.rate, request.force, config));
      const changed = fetched.filter((rate) => {
        const before = current.get(rate.currency);
        return !before || before.rate !== rate.rate || before.market_time.getTime() !== rate.market_time.getTime();
      });
      const counts = {
        rates_fetched: fetched.length,
        rates_added: changed.filter((rate) => !current.has(rate.currency)).length,
        rates_updated: changed.filter((rate) => current.has(rate.currency)).length,
        rates_unchanged: fetched.length - changed.length,
      };
      const changes = changed.map((rate) => ({ pair: `USD/${rate.currency}`, old_rate: current.get(rate.currency)?.rate ?? null, new_rate: rate.rate, market_time: rate.market_time }));
      if (offending.length > 0) {
        const reason = offending.map((o) => o.reason).join('; ');
        await finishSyncLog(client, logId, { status: 'rejected', ...counts, error_message: reason, changes: { offending, changes } });
        return { status: 'rejected' as const, reason, changed: [] };
      }
      if (changed.length > 0) {
        const version = await storeRates(client, changed, logId);
        await enqueueFxChanged(client, version, changes); // webhooks: fx.changed, committed with the rates
      }
      await finishSyncLog(client, logId, { status: 'success', ...counts, changes });
      return { status: 'success' as const, changed: changed.map((rate) => rate.currency) };
    });
    if (result.status === 'rejected') log.warn({ syncLogId: logId, reason: result.reason }, 'exchange rates rejected by a guard');
    else log.info({ syncLogId: logId, changed: result.changed }, 'exchange rates refreshed');
    return { ...result, sync_log_id: logId };
  });
}

function checkRate(fetched: FetchedRate, previous: string | undefined, force: boolean, config: Config): { currency: string; reason: string }[] {
  const rate = parseDecimal(fetched.rate);
  if (compare(rate, ZERO) <= 0) {
    return [{ currency: fetched.currency, reason: `USD/${fetched.currency} rate ${fetched.rate} is not positive` }];
  }
  if (force || previous === undefined) return [];
  const before = parseDecimal(previous);
  if (movedMoreThan(before, rate, toDecimal(config.FX_MAX_JUMP_FRACTION))) {
    // The percentage is only for the message; the decision above is exact.
    const percent = ((Number(fetched.rate) / Number(previous) - 1) * 100).toFixed(1);
    return [{ currency: fetched.currency, reason: `USD/${fetched.currency} moved ${percent}% (${previous} → ${fetched.rate}), more than ${config.FX_MAX_JUMP_FRACTION * 100}%` }];
  }
  return [];
}


/**
 * |after − before| > fraction × before, decided on exact decimals (before > 0):
 * a float ratio would put some moves of exactly the limit on either side of it.
 */
export function movedMoreThan(before: Decimal, after: Decimal, fraction: Decimal): boolean {
  return compare(absolute(subtract(after, before)), multiply(fraction, before)) > 0;
}

function absolute(d: Decimal): Decimal {
  return d.coef < 0n ? { coef: -d.coef, exp: d.exp } : d;
}

/** Writes the rates and their history, and moves the catalog to its next version; returns that version. */
async function storeRates(client: PoolClient, rates: FetchedRate[], logId: number): Promise<number> {
  const args = [rates.map((r) => r.currency), rates.map((r) => r.rate), rates.map((r) => r.market_time.toISOString()), rates.map((r) => r.source)];
  await client.query(`
    insert into exchange_rates (base, quote, rate, market_time, source, fetched_at)
    select 'USD', q, r, t, s, now() from unnest($1::text[], $2::numeric[], $3::timestamptz[], $4::text[]) as x(q, r, t, s)
    on conflict (base, quote) do update set rate = excluded.rate, market_time = excluded.market_time,
      source = excluded.source, fetched_at = excluded.fetched_at`, args);
  await client.query(`
    insert into exchange_rate_history (base, quote, rate, market_time, source, sync_log_id)
    select 'USD', q, r, t, s, $5::bigint from unnest($1::text[], $2::numeric[], $3::timestamptz[], $4::text[]) as x(q, r, t, s)`,
  [...args, logId]);
  const { rows } = await client.query<{ version: string }>('select bump_catalog_version() as version');
  return Number(rows[0]!.version);
}
