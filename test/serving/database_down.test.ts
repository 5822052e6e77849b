// With PostgreSQL down, an API instance keeps answering reads from the catalog
// in memory and says it is stale; when PostgreSQL is back it becomes fresh and
// follows new changes again. This file runs a PostgreSQL of its own, since it
// stops and restarts it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { makeReachable, startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/db/embedded.ts';
import { createPool, type Pool } from '../../src/db/pool.ts';
import { prepareDatabase, startApi, type ApiInstance } from '../../src/service.ts';
import { syncProvider } from '../../src/sync/provider.ts';
import { adminQuery } from '../support/db.ts';
import { databaseUrl, freePort } from '../support/env.ts';
import { testConfig } from '../support/stack.ts';
import { fixtureJson, startUpstream, type UpstreamServer } from '../../scripts/support/upstream.ts';
import { catalogVersion, costOf, logger, postJson, request, type CostsBody, type ModelBody, type ModelsDevPayload, type QuoteBody } from './helpers.ts';
import { until } from '../support/poll.ts';

const MODEL_PATH = '/costs/anthropic/claude-sonnet-4-5';

let root: string;
let dataDir: string;
let port: number;
let postgres: EmbeddedPostgres | undefined;
let upstream: UpstreamServer;
let url: string;
let api: ApiInstance | undefined;

interface ReadyBody {
  status: string;
  stale: boolean;
  stale_since?: string;
  checks: Record<string, { ok: boolean }>;
}

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'tariff-serving-down-'));
  await makeReachable(root);
  dataDir = path.join(root, 'pgdata');
  port = await freePort();
  // Not ephemeral: the data directory must outlive the stop, for the restart.
  postgres = await startEmbeddedPostgres({ dataDir, port, logger, ephemeral: false });
  await adminQuery(postgres.url, 'create database tariff_serving');
  url = databaseUrl(postgres.url, 'tariff_serving');
  upstream = await startUpstream();
  const config = testConfig(url, upstream, { CATALOG_CHECK_INTERVAL_MS: '200' });
  await prepareDatabase(url, config, logger);
  api = await startApi({ url, config, logger, port: 0 });
  const started = api;
  await until('the first catalog load and the listener', async () => (started.catalog.loaded && started.listener.connected ? true : undefined));
});

afterAll(async () => {
  await api?.stop();
  await postgres?.stop();
  await upstream?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

function instance(): ApiInstance {
  if (!api) throw new Error('the API instance did not start');
  return api;
}

describe('reads while PostgreSQL is down', () => {
  test('while PostgreSQL runs, the instance is ready and its reads are not stale', async () => {
    const costs = await request<CostsBody>(instance().baseUrl, '/costs');
    const ready = await request<ReadyBody>(instance().baseUrl, '/readyz');

    expect(costs.body.stale).toBe(false);
    expect(costs.headers.get('x-catalog-stale')).toBeNull();
    expect(ready.body).toMatchObject({ status: 'ready', stale: false });
  });

  test('with PostgreSQL stopped, GET /costs still answers 200 from memory with stale: true and X-Catalog-Stale: true', async () => {
    const before = await request<CostsBody>(instance().baseUrl, '/costs');

    await postgres?.stop();
    await until('the instance to notice the database is gone', async () => (instance().catalog.stale ? true : undefined));
    const res = await request<CostsBody>(instance().baseUrl, '/costs');

    expect(res.status).toBe(200);
    expect(res.headers.get('x-catalog-stale')).toBe('true');
    expect(res.body.stale).toBe(true);
    expect(res.body.catalog_version).toBe(before.body.catalog_version);
    expect(Object.keys(res.body.providers)).toEqual(Object.keys(before.body.providers));
  });

  test('with PostgreSQL stopped, GET /costs/:provider/:model answers from memory, stale', async () => {
    const res = await request<ModelBody>(instance().baseUrl, MODEL_PATH);

    expect(res.status).toBe(200);
    expect(res.headers.get('x-catalog-stale')).toBe('true');
    expect(res.body).toMatchObject({ stale: true, model_id: 'claude-sonnet-4-5', input_cost_per_1m_tokens: '3' });
  });

  test('with PostgreSQL stopped, a quote for now is still made from memory and says it is stale', async () => {
    const res = await postJson<QuoteBody & { stale: boolean }>(instance().baseUrl, '/costs/quote', {
      provider: 'anthropic', model: 'claude-sonnet-4-5', usage: { input_tokens: 1000, output_tokens: 1000 },
    });

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ stale: true, total_usd: '0.018' });
  });

  test('with PostgreSQL stopped, reads that need history (?at=, /costs/history) are a 503 that says the database is unreachable', async () => {
    for (const path of [`${MODEL_PATH}?at=2026-01-01T00:00:00Z`, '/costs/history?provider=anthropic&model=claude-sonnet-4-5']) {
      const res = await request<{ error: { code: string } }>(instance().baseUrl, path);
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ error: { code: 'database_unavailable' } });
    }
  });

  test('with PostgreSQL stopped, /readyz is 200 degraded with stale: true and names the database check', async () => {
    const res = await request<ReadyBody>(instance().baseUrl, '/readyz');

    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'degraded', stale: true, stale_since: expect.any(String), checks: { database: { ok: false }, catalog: { ok: true } } });
  });

  test('when PostgreSQL is back on the same data, the instance becomes fresh and ready, and serves a change made after the restart', async () => {
    postgres = await startEmbeddedPostgres({ dataDir, port, logger, ephemeral: true });

    await until('the instance to be fresh again', async () => (instance().catalog.stale === undefined ? true : undefined));
    const ready = await until('/readyz to say ready', async () => {
      const res = await request<ReadyBody>(instance().baseUrl, '/readyz');
      return res.body.status === 'ready' ? res.body : undefined;
    });
    expect(ready).toMatchObject({ stale: false, checks: { database: { ok: true }, listener: { ok: true } } });

    const pool: Pool = createPool({ connectionString: url, max: 2, applicationName: 'tariff-serving-test', logger });
    try {
      const payload = fixtureJson<ModelsDevPayload>('models_dev');
      costOf(payload, 'anthropic', 'claude-sonnet-4-5').input = 3.3;
      upstream.setBody('models_dev', JSON.stringify(payload));
      const config = testConfig(url, upstream);
      await syncProvider({ pool, config, logger }, { provider: 'anthropic', dry_run: false, force: true, triggered_by: 'manual', job_id: null, attempt: null });
      const version = await catalogVersion(pool);

      const served = await until('the change made after the restart', async () => {
        const res = await request<ModelBody>(instance().baseUrl, MODEL_PATH);
        return res.body.input_cost_per_1m_tokens === '3.3' ? res : undefined;
      });
      expect(served.headers.get('x-catalog-stale')).toBeNull();
      expect(served.body).toMatchObject({ stale: false, catalog_version: version });
    } finally {
      await pool.end();
    }
  });
});
