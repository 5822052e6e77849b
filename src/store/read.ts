// Reads the served catalog (prices with overrides applied, the latest exchange
// rates and the catalog version) in one consistent snapshot of the database.
import { withManualTransaction, withTransaction, type Pool, type Queryable, type QueryResult } from '../db/pool.ts';
import { ORIGINAL_DIMENSIONS } from '@tariff/pricing';
import type {
  CatalogData, CatalogDelta, CatalogEntry, Dimensions, ExchangeRate, PriceOrigin, PriceState, PriceTier, ProviderInfo,
} from '@tariff/pricing';

interface PriceRow {
  provider: string;
  model_id: string;
  name: string | null;
  state: PriceState;
  input: string | null;
  output: string | null;
  cache_read: string | null;
  cache_write: string | null;
  reasoning: string | null;
  request: string | null;
  tiers: PriceTier[];
  dimensions: Dimensions;
  source: PriceOrigin;
  effective_at: Date;
  last_seen_at: Date | null;
  removed_at: Date | null;
  override_reason: string | null;
}

export async function readCatalogVersion(db: Queryable): Promise<number> {
  return (await readCatalogStamp(db)).version;
}

/** The catalog version and the sync counter: together, whether an instance's catalog is current. */
export async function readCatalogStamp(db: Queryable): Promise<{ version: number; synced: number }> {
  const { rows } = await db.query<{ version: string; synced: string }>('select version, synced from catalog_version');
  return { version: Number(rows[0]?.version ?? 0), synced: Number(rows[0]?.synced ?? 0) };
}

/**
 * The price columns of model_prices, price_overrides and current_prices as
 * canonical decimal strings (trim_scale: 3.000 → 3), named as in PriceRecord.
 */
export const MONEY_COLUMNS = ORIGINAL_DIMENSIONS.map((d) => `trim_scale(${d.column})::text as ${d.field}`).join(',\n       ');

const PRICE_COLUMNS = `provider, model_id, name, state, ${MONEY_COLUMNS},
       tiers, dimensions, source, effective_at, last_seen_at, removed_at, override_reason`;

/** A row with a `dimensions` column (model_prices, price_overrides, current_prices) as the record it stores. */
export function withDimensions<R extends { dimensions: Dimensions }>(row: R): Omit<R, 'dimensions'> & Dimensions {
  const { dimensions, ...rest } = row;
  return { ...rest, ...dimensions };
}

/** Everything an API instance serves, read in one REPEATABLE READ transaction so version and rows agree. */
export async function readCatalog(pool: Pool): Promise<CatalogData> {
  return withTransaction(pool, async (client) => {
    await client.query('set transaction isolation level repeatable read, read only');
    const version = await readVersion(client);
    const prices = await client.query<PriceRow>(`select ${PRICE_COLUMNS} from current_prices order by provider, model_id`);
    return { ...version, providers: await readProviders(client), entries: prices.rows.map(toEntry), rates: await readRates(client) };
  });
}

/** What changed after `since`: the rows of the models it touched (absent rows were deleted). */

/** More changed models than this, and reading everything is as cheap as reading them. */
const MAX_DELTA = 2_000;

/**
 * The changes since version `since`, or the whole catalog when `since` is
 * older than the changes the database keeps. Two round trips in one REPEATABLE
 * READ snapshot: the version and the changed keys, then those rows (looked up
 * by plain = ANY filters, which reach both primary keys through the view), the
 * providers and the rates. Statements are sent together (simple protocol), so
 * values are inlined: `since` checked to be an integer, ids escaped as literals.
 */
export async function readCatalogSince(pool: Pool, since: number): Promise<{ delta: CatalogDelta } | { full: CatalogData }> {
  if (!Number.isSafeInteger(since) || since < 0) throw new RangeError(`not a catalog version: ${since}`);
  const delta = await withManualTransaction(pool, async (client): Promise<CatalogDelta | undefined> => {
    const [, versionResult, changed] = await client.query(`
      begin isolation level repeatable read read only;
      select version, changed_at, changes_since, synced from catalog_version;
      select distinct provider, model_id from catalog_changes where version > ${since};`) as unknown as
      [unknown, QueryResult<VersionRow>, QueryResult<Key>];
    const version = toVersion(versionResult.rows[0]);
    if (since < version.changes_since || changed.rows.length > MAX_DELTA) {
      await client.query('commit');
      return undefined;
    }
    const list = (values: Iterable<string>) => [...new Set(values)].map((v) => client.escapeLiteral(v)).join(', ') || 'null';
    const [prices, providers, rates] = await client.query(`
      select ${PRICE_COLUMNS} from current_prices
       where provider = any(array[${list(changed.rows.map((r) => r.provider))}]::text[])
         and model_id = any(array[${list(changed.rows.map((r) => r.model_id))}]::text[]);
      ${PROVIDERS_QUERY};
      ${RATES_QUERY};
      commit;`) as unknown as [QueryResult<PriceRow>, QueryResult<ProviderRow>, QueryResult<RateRow>, unknown];
    const key = (provider: string, modelId: string) => `${provider}\u0000${modelId}`;
    const wanted = new Set(changed.rows.map((r) => key(r.provider, r.model_id)));
    // The two ANY filters match a cross product: keep only the changed pairs.
    const rows = prices.rows.filter((row) => wanted.has(key(row.provider, row.model_id)));
    const found = new Set(rows.map((row) => key(row.provider, row.model_id)));
    return {
      ...version,
      providers: providers.rows.map(toProvider),
      rates: rates.rows.map(toRate),
      upserts: rows.map(toEntry),
      deleted: changed.rows.filter((r) => !found.has(key(r.provider, r.model_id))),
    };
  });
  // Read after the first client is back in the pool, so a reload never holds two of its connections.
  return delta ? { delta } : { full: await readCatalog(pool) };
}

/**
 * The models changed after version `since` (by later versions than the
 * caller's catalog, too), or undefined when the database no longer keeps the
 * changes that far back.
 */
export async function readChangedKeys(pool: Pool, since: number): Promise<Key[] | undefined> {
  return withTransaction(pool, async (client) => {
    await client.query('set transaction isolation level repeatable read, read only');
    const { rows } = await client.query<{ changes_since: string }>('select changes_since from catalog_version');
    if (since < Number(rows[0]?.changes_since ?? 0)) return undefined;
    const changed = await client.query<Key>('select distinct provider, model_id from catalog_changes where version > $1::bigint', [since]);
    return changed.rows;
  });
}

type Key = { provider: string; model_id: string };
type VersionRow = { version: string; changed_at: Date; changes_since: string; synced: string };
type ProviderRow = Omit<ProviderInfo, 'last_synced_at'> & { last_synced_at: Date | null };
type RateRow = Omit<ExchangeRate, 'market_time'> & { market_time: Date };

const PROVIDERS_QUERY = 'select id, source, upstream_id, in_use, last_synced_at from providers order by id';
const RATES_QUERY = 'select base, quote, trim_scale(rate)::text as rate, market_time, source from exchange_rates order by base, quote';

function toVersion(row: VersionRow | undefined): { version: number; changed_at: string; changes_since: number; synced: number } {
  if (!row) throw new Error('catalog_version has no row: migrations did not run');
  return {
    version: Number(row.version), changed_at: row.changed_at.toISOString(), changes_since: Number(row.changes_since), synced: Number(row.synced),
  };
}

const toProvider = (p: ProviderRow): ProviderInfo => ({ ...p, last_synced_at: iso(p.last_synced_at) });
const toRate = (r: RateRow): ExchangeRate => ({ ...r, market_time: r.market_time.toISOString() });

async function readVersion(client: Queryable): Promise<{ version: number; changed_at: string; changes_since: number; synced: number }> {
  const { rows } = await client.query<VersionRow>('select version, changed_at, changes_since, synced from catalog_version');
  return toVersion(rows[0]);
}

async function readProviders(client: Queryable): Promise<ProviderInfo[]> {
  return (await client.query<ProviderRow>(PROVIDERS_QUERY)).rows.map(toProvider);
}

async function readRates(client: Queryable): Promise<ExchangeRate[]> {
  return (await client.query<RateRow>(RATES_QUERY)).rows.map(toRate);
}

function toEntry(row: PriceRow): CatalogEntry {
  return {
    ...withDimensions(row),
    effective_at: row.effective_at.toISOString(),
    last_seen_at: iso(row.last_seen_at),
    removed_at: iso(row.removed_at),
  };
}

function iso(value: Date | null): string | null {
  return value ? value.toISOString() : null;
}
