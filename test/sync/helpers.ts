// What the sync pipeline tests share: a database of the file's own with the
// configured providers registered, the local upstreams, and read-backs of what
// a sync left in the catalog tables.
import type { Config } from '../../src/config.ts';
import { registerProviders } from '../../src/store/providers.ts';
import { createPool, type Pool } from '../../src/db/pool.ts';
import { syncProvider, type SyncRequest, type SyncResult } from '../../src/sync/provider.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { testLogger } from '../support/env.ts';
import { testConfig } from '../support/stack.ts';
import { fixtureJson, startUpstream, type RouteName, type UpstreamServer } from '../../scripts/support/upstream.ts';

export interface SyncStack {
  db: TestDatabase;
  upstream: UpstreamServer;
  config: Config;
  pool: Pool;
  release(): Promise<void>;
}

/** A migrated database with `env`'s providers registered, and local upstreams serving the real fixtures. */
export async function startSyncStack(env: Record<string, string> = {}): Promise<SyncStack> {
  const db = await createTestDatabase();
  const upstream = await startUpstream();
  const config = testConfig(db.url, upstream, env);
  const pool = createPool({ connectionString: db.url, max: 4, applicationName: 'tariff-sync-test', logger: testLogger() });
  await registerProviders(pool, config.providers);
  return {
    db, upstream, config, pool,
    async release() {
      await pool.end();
      await upstream.close();
      await db.drop();
    },
  };
}

/** A sync as an operator runs it by hand: applied, not forced. */
export function sync(stack: SyncStack, provider: string, request: Partial<Omit<SyncRequest, 'provider'>> = {}): Promise<SyncResult> {
  return syncProvider(
    { pool: stack.pool, config: stack.config, logger: testLogger() },
    { provider, dry_run: false, force: false, triggered_by: 'manual', job_id: null, attempt: null, ...request },
  );
}

/** Serves an edited copy of a route's fixture: `edit` changes the plainly parsed JSON in place. */
export function serveEdited<T>(upstream: UpstreamServer, route: RouteName, edit: (json: T) => void): void {
  const json = fixtureJson<T>(route);
  edit(json);
  upstream.setBody(route, JSON.stringify(json));
}

export interface OpenRouterModel {
  id: string;
  name: string;
  pricing: Record<string, string>;
  [key: string]: unknown;
}
export interface OpenRouterPayload { data: OpenRouterModel[] }

export interface ModelsDevModel {
  id: string;
  name: string;
  cost?: Record<string, unknown>;
  [key: string]: unknown;
}
export type ModelsDevPayload = Record<string, { models: Record<string, ModelsDevModel> }>;

export function openRouterModel(payload: OpenRouterPayload, id: string): OpenRouterModel {
  const model = payload.data.find((candidate) => candidate.id === id);
  if (!model) throw new Error(`the OpenRouter fixture has no ${id}`);
  return model;
}

/**
 * One fingerprint of everything a sync may change: every column of every
 * model_prices, price_history and price_overrides row, exchange rates, and the
 * catalog version. Equal before and after means byte-for-byte unchanged.
 */
export async function catalogChecksum(pool: Pool): Promise<string> {
  const { rows } = await pool.query<{ sum: string }>(`
    select md5(concat_ws('#',
      (select string_agg(t::text, '|' order by t.provider, t.model_id) from model_prices t),
      (select string_agg(t::text, '|' order by t.id) from price_history t),
      (select string_agg(t::text, '|' order by t.provider, t.model_id) from price_overrides t),
      (select string_agg(t::text, '|' order by t.base, t.quote) from exchange_rates t),
      (select string_agg(t::text, '|' order by t.id) from exchange_rate_history t),
      (select version::text || '@' || changed_at::text from catalog_version))) as sum`);
  return rows[0]!.sum;
}

/** The prices as served (every price column, state and name), history and version; not last_seen_at. */
export async function pricesChecksum(pool: Pool): Promise<string> {
  const { rows } = await pool.query<{ sum: string }>(`
    select md5(concat_ws('#',
      (select string_agg(concat_ws(',', provider, model_id, name, state, input_per_1m, output_per_1m, cache_read_per_1m,
                                   cache_write_per_1m, reasoning_per_1m, request_fee, tiers::text, source,
                                   effective_at, removed_at), '|' order by provider, model_id)
         from model_prices),
      (select string_agg(t::text, '|' order by t.id) from price_history t),
      (select version::text || '@' || changed_at::text from catalog_version))) as sum`);
  return rows[0]!.sum;
}

export interface StoredPriceRow {
  model_id: string;
  name: string | null;
  state: string;
  input: string | null;
  output: string | null;
  cache_read: string | null;
  cache_write: string | null;
  reasoning: string | null;
  request: string | null;
  tiers: unknown[];
  /** Prices in the dimensions beyond the six columns (model_prices.dimensions.extra), or null. */
  extra: Record<string, string> | null;
  source: string;
  removed_at: Date | null;
}

/** model_prices rows of a provider, prices as canonical decimal text. */
export async function storedPrices(pool: Pool, provider: string): Promise<Map<string, StoredPriceRow>> {
  const { rows } = await pool.query<StoredPriceRow>(`
    select model_id, name, state,
           trim_scale(input_per_1m)::text as input, trim_scale(output_per_1m)::text as output,
           trim_scale(cache_read_per_1m)::text as cache_read, trim_scale(cache_write_per_1m)::text as cache_write,
           trim_scale(reasoning_per_1m)::text as reasoning, trim_scale(request_fee)::text as request,
           tiers, dimensions -> 'extra' as extra, source, removed_at
      from model_prices where provider = $1::text order by model_id`, [provider]);
  return new Map(rows.map((row) => [row.model_id, row]));
}

export async function storedPrice(pool: Pool, provider: string, modelId: string): Promise<StoredPriceRow> {
  const row = (await storedPrices(pool, provider)).get(modelId);
  if (!row) throw new Error(`no stored price for ${provider}/${modelId}`);
  return row;
}

export interface SyncLogRow {
  id: string;
  kind: string;
  provider: string;
  source: string | null;
  status: string;
  triggered_by: string;
  dry_run: boolean;
  forced: boolean;
  job_id: string | null;
  attempt: number | null;
  models_fetched: number;
  models_added: number;
  models_updated: number;
  models_unchanged: number;
  models_removed: number;
  models_skipped: number;
  errors: unknown[];
  error_message: string | null;
  changes: unknown;
  completed_at: Date | null;
}

export async function syncLog(pool: Pool, provider?: string): Promise<SyncLogRow[]> {
  const { rows } = await pool.query<SyncLogRow>(`
    select * from pricing_sync_log where $1::text is null or provider = $1::text order by id`, [provider ?? null]);
  return rows;
}

export async function lastSyncLog(pool: Pool, provider: string): Promise<SyncLogRow> {
  const row = (await syncLog(pool, provider)).at(-1);
  if (!row) throw new Error(`no sync log row for ${provider}`);
  return row;
}

export interface HistoryRow {
  provider: string;
  model_id: string;
  change: string;
  old_price: Record<string, unknown> | null;
  new_price: Record<string, unknown> | null;
  changed_by: string;
  sync_log_id: string | null;
  shadowed: boolean;
}

export async function history(pool: Pool, where: { provider?: string; syncLogId?: number } = {}): Promise<HistoryRow[]> {
  const { rows } = await pool.query<HistoryRow>(`
    select provider, model_id, change, old_price, new_price, changed_by, sync_log_id, shadowed
      from price_history
     where ($1::text is null or provider = $1::text) and ($2::bigint is null or sync_log_id = $2::bigint)
     order by id`, [where.provider ?? null, where.syncLogId ?? null]);
  return rows;
}

export async function catalogVersion(pool: Pool): Promise<number> {
  const { rows } = await pool.query<{ version: string }>('select version from catalog_version');
  return Number(rows[0]!.version);
}

/** A price record as history and the catalog keep it, for literal expectations. */
export function price(fields: Partial<Record<'input' | 'output' | 'cache_read' | 'cache_write' | 'reasoning' | 'request', string>> & {
  state?: string;
  tiers?: unknown[];
}) {
  return {
    state: fields.state ?? 'priced',
    input: fields.input ?? null,
    output: fields.output ?? null,
    cache_read: fields.cache_read ?? null,
    cache_write: fields.cache_write ?? null,
    reasoning: fields.reasoning ?? null,
    request: fields.request ?? null,
    tiers: fields.tiers ?? [],
  };
}
