// Reads from the append-only history: the catalog as it was served at a past
// time, and one model's changes. These answer audits and back-billing, not the
// hot path, so they query PostgreSQL directly.
import type { Queryable } from '../db/pool.ts';
import type { CatalogData, CatalogEntry, ExchangeRate, Price, PriceOrigin, ProviderInfo } from '@tariff/pricing';

interface HistoryPriceRow {
  provider: string;
  model_id: string;
  new_price: Price;
  changed_at: Date;
  changed_by: string;
  name: string | null;
  source: PriceOrigin | null;
}

/**
 * The catalog in effect at `at`: per model, the new price of its latest
 * unshadowed history row at or before `at` (a removed model has none), and the
 * exchange rates tariff held then.
 */
export async function readCatalogAt(
  db: Queryable, at: Date, current: { version: number; providers: readonly ProviderInfo[] }, provider?: string, modelId?: string,
): Promise<CatalogData> {
  const prices = await db.query<HistoryPriceRow>(`
    select h.provider, h.model_id, h.new_price, h.changed_at, h.changed_by, m.name, p.source
      from (select distinct on (provider, model_id) provider, model_id, new_price, changed_at, changed_by
              from price_history
             where changed_at <= $1::timestamptz and not shadowed
               and ($2::text is null or provider = $2::text) and ($3::text is null or model_id = $3::text)
             order by provider, model_id, changed_at desc, id desc) h
      left join model_prices m on m.provider = h.provider and m.model_id = h.model_id
      left join providers p on p.id = h.provider
     where h.new_price is not null
     order by h.provider, h.model_id`, [at, provider ?? null, modelId ?? null]);
  return {
    version: current.version,
    changed_at: at.toISOString(),
    providers: [...current.providers],
    entries: prices.rows.map(toEntry),
    rates: await readRatesAt(db, at),
  };
}

/**
 * Per pair, the latest rate recorded at or before `at`: the rate that was served then.
 * By recorded_at, not market_time: a quote's market time can stay put while its rate
 * moves (or be earlier than `at` yet fetched after it), and a rate must not apply to
 * a time before tariff had it.
 */
export async function readRatesAt(db: Queryable, at: Date): Promise<ExchangeRate[]> {
  const { rows } = await db.query<Omit<ExchangeRate, 'market_time'> & { market_time: Date }>(`
    select distinct on (base, quote) base, quote, trim_scale(rate)::text as rate, market_time, source
      from exchange_rate_history
     where recorded_at <= $1::timestamptz
     order by base, quote, recorded_at desc, id desc`, [at]);
  return rows.map((r) => ({ ...r, market_time: r.market_time.toISOString() }));
}

function toEntry(row: HistoryPriceRow): CatalogEntry {
  const source: PriceOrigin = row.changed_by.startsWith('manual:')
    ? 'manual'
    : row.changed_by === 'snapshot' ? 'snapshot' : (row.source ?? 'snapshot');
  return {
    provider: row.provider,
    model_id: row.model_id,
    name: row.name,
    ...row.new_price,
    source,
    effective_at: row.changed_at.toISOString(),
    last_seen_at: null,
    removed_at: null,
    override_reason: source === 'manual' ? row.changed_by.slice('manual:'.length) : null,
  };
}

/** When the first served price of the provider (or of any provider) took effect, or null without history. */
export async function readHistoryStart(db: Queryable, provider?: string): Promise<Date | null> {
  const { rows } = await db.query<{ start: Date | null }>(`
    select min(changed_at) as start from price_history
     where not shadowed and new_price is not null and ($1::text is null or provider = $1::text)`, [provider ?? null]);
  return rows[0]?.start ?? null;
}

export interface HistoryRow {
  id: string;
  change: string;
  old_price: Price | null;
  new_price: Price | null;
  changed_at: Date;
  changed_by: string;
  sync_log_id: string | null;
  shadowed: boolean;
}

/** A model's price changes, newest first. */
export async function readModelHistory(db: Queryable, provider: string, modelId: string, limit: number): Promise<HistoryRow[]> {
  const { rows } = await db.query<HistoryRow>(`
    select id, change, old_price, new_price, changed_at, changed_by, sync_log_id, shadowed
      from price_history
     where provider = $1::text and model_id = $2::text
     order by changed_at desc, id desc
     limit $3::integer`, [provider, modelId, limit]);
  return rows;
}
