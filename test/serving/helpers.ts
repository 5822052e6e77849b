// What the serving tests share: a database of the file's own prepared as a
// first start leaves it (the bundled snapshot), local upstreams, API instances
// started as `main.ts` starts them, and real price changes made by syncs of
// edited copies of the upstream payloads.
import type { Config } from '../../src/config.ts';
import { createPool, type Pool } from '../../src/db/pool.ts';
import { prepareDatabase, startApi, type ApiInstance } from '../../src/service.ts';
import { syncProvider, type SyncResult } from '../../src/sync/provider.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { testLogger } from '../support/env.ts';
import { until } from '../support/poll.ts';
import { testConfig } from '../support/stack.ts';
import { fixtureJson, startUpstream, type UpstreamServer } from '../../scripts/support/upstream.ts';

export const logger = testLogger();

export type ModelsDevCost = Record<string, unknown>;
export type ModelsDevPayload = Record<string, { models: Record<string, { cost?: ModelsDevCost }> }>;

export interface ServingStack {
  db: TestDatabase;
  upstream: UpstreamServer;
  config: Config;
  /** A pool of the test's own, for syncs and read-backs. */
  pool: Pool;
  /** Starts one more API instance on the database (with extra env), stopped by release(). */
  startInstance(env?: Record<string, string>): Promise<ApiInstance>;
  /**
   * Edits the models.dev payload the upstream serves (edits accumulate) and
   * runs a forced, applied sync of `provider`. Resolves when the sync's
   * transaction has committed.
   */
  syncModelsDev(provider: string, edit: (payload: ModelsDevPayload) => void): Promise<SyncResult>;
  release(): Promise<void>;
}

/** A database as a first start leaves it (the bundled snapshot loaded), and local upstreams. */
export async function startServingStack(env: Record<string, string> = {}): Promise<ServingStack> {
  const db = await createTestDatabase();
  const upstream = await startUpstream();
  const config = testConfig(db.url, upstream, env);
  await prepareDatabase(db.url, config, logger);
  const pool = createPool({ connectionString: db.url, max: 4, applicationName: 'tariff-serving-test', logger });
  const instances: ApiInstance[] = [];
  const modelsDev = fixtureJson<ModelsDevPayload>('models_dev');

  return {
    db, upstream, config, pool,
    async startInstance(extra = {}) {
      const api = await startApi({ url: db.url, config: testConfig(db.url, upstream, { ...env, ...extra }), logger, port: 0 });
      instances.push(api);
      await until('the first catalog load', async () => (api.catalog.loaded ? true : undefined));
      return api;
    },
    async syncModelsDev(provider, edit) {
      edit(modelsDev);
      upstream.setBody('models_dev', JSON.stringify(modelsDev));
      const result = await syncProvider({ pool, config, logger }, {
        provider, dry_run: false, force: true, triggered_by: 'manual', job_id: null, attempt: null,
      });
      if (result.status !== 'success') throw new Error(`sync of ${provider} did not apply: ${JSON.stringify(result)}`);
      return result;
    },
    async release() {
      for (const api of instances) await api.stop();
      await pool.end();
      await upstream.close();
      await db.drop();
    },
  };
}

/** The models.dev cost object of one model in an edited payload. */
/**
 * A serving stack with one API instance for a test file: started before its
 * tests (beforeAll) and released after them (afterAll). Read `stack` and `api`
 * inside tests, once they are set.
 */
export function servingInstance(): { stack: ServingStack; api: ApiInstance } {
  const serving = {} as { stack: ServingStack; api: ApiInstance };
  beforeAll(async () => {
    serving.stack = await startServingStack();
    serving.api = await serving.stack.startInstance();
  });
  afterAll(async () => {
    await serving.stack?.release();
  });
  return serving;
}

export function costOf(payload: ModelsDevPayload, provider: string, model: string): ModelsDevCost {
  const cost = payload[provider]?.models[model]?.cost;
  if (!cost) throw new Error(`the models.dev fixture has no cost for ${provider}/${model}`);
  return cost;
}

export async function catalogVersion(pool: Pool): Promise<number> {
  const { rows } = await pool.query<{ version: string }>('select version from catalog_version');
  return Number(rows[0]?.version);
}

export interface JsonResponse<T> {
  status: number;
  headers: Headers;
  body: T;
}

/** A request to an API instance, its JSON body parsed (null for an empty body such as a 304's). */
export async function request<T = Record<string, unknown>>(baseUrl: string, path: string, init: RequestInit = {}): Promise<JsonResponse<T>> {
  const res = await fetch(baseUrl + path, init);
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text === '' ? null : JSON.parse(text)) as T };
}

export function postJson<T = Record<string, unknown>>(baseUrl: string, path: string, body: unknown): Promise<JsonResponse<T>> {
  return request<T>(baseUrl, path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

/** The prices GET /costs/:provider/:model serves, as the API names them. */
export interface ModelBody {
  provider: string;
  requested_model_id: string;
  matched_by: 'exact' | 'alias' | 'normalized';
  catalog_version: number;
  stale: boolean;
  at?: string;
  model_id: string;
  state: string;
  input_cost_per_1m_tokens: string | null;
  output_cost_per_1m_tokens: string | null;
  cache_read_cost_per_1m_tokens: string | null;
  cache_write_cost_per_1m_tokens: string | null;
  reasoning_cost_per_1m_tokens: string | null;
  exchange_rate?: { base: string; quote: string; rate: string };
  converted?: Record<string, unknown> & { currency: string };
}

export interface CostsBody {
  catalog_version: number;
  stale: boolean;
  at?: string;
  usd_to_zar: string | null;
  exchange_rate?: { base: string; quote: string; rate: string };
  providers: Record<string, { models: Array<Record<string, unknown> & { model_id: string }> }>;
}

export interface QuoteBody {
  model_id: string;
  matched_by: string;
  catalog_version: number;
  tier: { above_input_tokens: number } | null;
  components: Record<string, { units: number; unit_price: string | null; cost_usd: string }>;
  total_usd: string;
  currency?: string;
  total?: string;
  exchange_rate?: { rate: string };
  price: { state: string };
}

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

/** One model of GET /costs's body. */
export function modelIn(body: CostsBody, provider: string, model: string): Record<string, unknown> | undefined {
  return body.providers[provider]?.models.find((m) => m.model_id === model);
}
