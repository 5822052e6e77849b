// The /admin sync routes on a real API: the token guard, enqueueing sync jobs,
// and reading the sync log. No worker runs here, so enqueued jobs stay queued.
import { startApi, type ApiInstance } from '../../src/service.ts';
import { testLogger } from '../support/env.ts';
import { TEST_ADMIN_TOKEN } from '../support/stack.ts';
import { openRouterModel, serveEdited, startSyncStack, sync, type OpenRouterPayload, type SyncStack } from './helpers.ts';

let stack: SyncStack;
let api: ApiInstance;

const auth = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
const json = { ...auth, 'content-type': 'application/json' };

interface ErrorBody { error: { code: string; message: string; details?: unknown } }

beforeAll(async () => {
  stack = await startSyncStack({ PROVIDERS_IN_USE: 'openrouter,anthropic', SYNC_MAX_ATTEMPTS: '3' });
  api = await startApi({ url: stack.db.url, config: stack.config, logger: testLogger(), port: 0 });
});

afterAll(async () => {
  await api.stop();
  await stack.release();
});

async function queuedJobs(): Promise<Array<{ id: string; key: string | null; payload: unknown; max_attempts: number }>> {
  const { rows } = await stack.pool.query<{ id: string; key: string | null; payload: unknown; max_attempts: number }>(`
    select j.id::text, j.key, j.payload, j.max_attempts
      from graphile_worker._private_jobs j
      join graphile_worker._private_tasks t on t.id = j.task_id
     where t.identifier = 'sync_provider' order by j.id`);
  return rows;
}

describe('the admin token', () => {
  test.each([
    ['POST', '/admin/pricing-sync'],
    ['GET', '/admin/pricing-sync/log'],
    ['PUT', '/admin/prices/openrouter/openai/gpt-4'],
  ])('%s %s without a token is refused with 401 and a JSON error', async (method, path) => {
    const response = await fetch(`${api.baseUrl}${path}`, { method });

    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe('Bearer');
    expect(await response.json()).toEqual({ error: { code: 'unauthorized', message: 'authorization: a Bearer token is required' } });
  });

  test.each([
    ['a wrong token', 'Bearer not-the-admin-token-at-all'],
    ['the right token without "Bearer"', TEST_ADMIN_TOKEN],
    ['a token that only starts like the right one', `Bearer ${TEST_ADMIN_TOKEN}x`],
  ])('%s is refused with 403 and a JSON error', async (_what, header) => {
    const response = await fetch(`${api.baseUrl}/admin/pricing-sync`, { method: 'POST', headers: { authorization: header } });

    expect(response.status).toBe(403);
    expect(await response.json()).toEqual({ error: { code: 'forbidden', message: 'authorization: the token is not valid' } });
  });

  test('a refused request enqueues nothing', async () => {
    const before = (await queuedJobs()).length;

    await fetch(`${api.baseUrl}/admin/pricing-sync`, { method: 'POST', headers: { authorization: 'Bearer wrong' } });

    expect((await queuedJobs()).length).toBe(before);
  });
});

describe('POST /admin/pricing-sync', () => {
  test('an unknown provider is a 400 that names it, and nothing is enqueued', async () => {
    const before = (await queuedJobs()).length;

    const response = await fetch(`${api.baseUrl}/admin/pricing-sync`, {
      method: 'POST', headers: json, body: JSON.stringify({ providers: ['openrouter', 'mistral'] }),
    });

    expect(response.status).toBe(400);
    const body = await response.json() as ErrorBody;
    expect(body.error).toEqual({
      code: 'unknown_provider', message: 'body.providers: not in use: mistral',
      details: { unknown: ['mistral'], providers_in_use: ['openrouter', 'anthropic'] },
    });
    expect((await queuedJobs()).length).toBe(before);
  });

  test('a body that is not the schema is a 400 naming the field', async () => {
    const response = await fetch(`${api.baseUrl}/admin/pricing-sync`, {
      method: 'POST', headers: json, body: JSON.stringify({ providers: ['openrouter'], dryrun: true }),
    });

    expect(response.status).toBe(400);
    expect((await response.json() as ErrorBody).error).toMatchObject({
      code: 'invalid_request', message: expect.stringContaining('body.dryrun'),
    });
  });

  test('returns 202 with one job per provider, each queued with its payload and SYNC_MAX_ATTEMPTS', async () => {
    const response = await fetch(`${api.baseUrl}/admin/pricing-sync`, {
      method: 'POST', headers: json, body: JSON.stringify({ providers: ['anthropic'], force: true }),
    });

    expect(response.status).toBe(202);
    const body = await response.json() as { jobs: Array<{ provider: string; job_id: string }> };
    expect(body).toEqual({ jobs: [{ provider: 'anthropic', job_id: expect.stringMatching(/^\d+$/) }] });
    const job = (await queuedJobs()).find((candidate) => candidate.id === body.jobs[0]?.job_id);
    expect(job).toEqual({
      id: body.jobs[0]?.job_id, key: 'sync_provider:anthropic', max_attempts: 3,
      payload: { provider: 'anthropic', dry_run: false, force: true, triggered_by: 'api' },
    });
  });

  test('with no body, every provider in use gets a job; a dry run gets a job key of its own', async () => {
    const all = await fetch(`${api.baseUrl}/admin/pricing-sync`, { method: 'POST', headers: auth });
    const dry = await fetch(`${api.baseUrl}/admin/pricing-sync`, {
      method: 'POST', headers: json, body: JSON.stringify({ providers: ['openrouter'], dry_run: true }),
    });

    expect(all.status).toBe(202);
    expect((await all.json() as { jobs: Array<{ provider: string }> }).jobs.map((job) => job.provider)).toEqual(['openrouter', 'anthropic']);
    expect(dry.status).toBe(202);
    const keys = (await queuedJobs()).map((job) => job.key);
    expect(keys).toEqual(expect.arrayContaining(['sync_provider:openrouter', 'sync_provider:anthropic', 'sync_provider:openrouter:dry_run']));
  });
});

describe('GET /admin/pricing-sync/log', () => {
  let appliedId: number;
  let dryRunId: number;

  beforeAll(async () => {
    const applied = await sync(stack, 'openrouter', { triggered_by: 'api' });
    serveEdited<OpenRouterPayload>(stack.upstream, 'openrouter', (payload) => {
      openRouterModel(payload, 'openai/gpt-4').pricing.prompt = '0.000035';
    });
    const dryRun = await sync(stack, 'openrouter', { dry_run: true });
    stack.upstream.setBody('openrouter', null);
    stack.upstream.setFault('models_dev', { kind: 'status', status: 502 });
    await sync(stack, 'anthropic').catch(() => undefined);
    stack.upstream.setFault('models_dev', null);
    if (applied.status === 'skipped' || dryRun.status === 'skipped') throw new Error('a manual sync was skipped');
    appliedId = applied.sync_log_id;
    dryRunId = dryRun.sync_log_id;
  });

  test('lists the newest entries first, with their counts', async () => {
    const response = await fetch(`${api.baseUrl}/admin/pricing-sync/log`, { headers: auth });

    expect(response.status).toBe(200);
    const { entries } = await response.json() as { entries: Array<Record<string, unknown>> };
    expect(entries.map((entry) => [entry.provider, entry.status, entry.dry_run])).toEqual([
      ['anthropic', 'failed', false], ['openrouter', 'success', true], ['openrouter', 'success', false],
    ]);
    expect(entries[2]).toMatchObject({ id: String(appliedId), triggered_by: 'api', models_fetched: 364, models_added: 364 });
    expect(entries[0]).toMatchObject({ error_message: expect.stringMatching(/answered 502$/) });
    expect(entries[0]).not.toHaveProperty('changes');
  });

  test('filters by provider and status', async () => {
    const byProvider = await fetch(`${api.baseUrl}/admin/pricing-sync/log?provider=anthropic`, { headers: auth });
    const byStatus = await fetch(`${api.baseUrl}/admin/pricing-sync/log?status=success&limit=1`, { headers: auth });

    expect((await byProvider.json() as { entries: Array<{ provider: string }> }).entries.map((e) => e.provider)).toEqual(['anthropic']);
    expect((await byStatus.json() as { entries: Array<{ id: string }> }).entries.map((e) => e.id)).toEqual([String(dryRunId)]);
  });

  test('/log/:id of an applied sync lists the history rows it wrote', async () => {
    const response = await fetch(`${api.baseUrl}/admin/pricing-sync/log/${appliedId}`, { headers: auth });

    expect(response.status).toBe(200);
    const entry = await response.json() as { id: string; status: string; price_changes: Array<Record<string, unknown>> };
    expect(entry).toMatchObject({ id: String(appliedId), status: 'success' });
    expect(entry.price_changes).toHaveLength(364);
    expect(entry.price_changes.find((change) => change.model_id === 'openai/gpt-4')).toMatchObject({
      change: 'added', changed_by: 'api_sync:openrouter', old_price: null,
      new_price: { state: 'priced', input: '30', output: '60' },
    });
  });

  test('/log/:id of a dry run lists the changes it would have made', async () => {
    const response = await fetch(`${api.baseUrl}/admin/pricing-sync/log/${dryRunId}`, { headers: auth });

    const entry = await response.json() as { dry_run: boolean; price_changes: unknown };
    expect(entry.dry_run).toBe(true);
    expect(entry.price_changes).toEqual([{
      model_id: 'openai/gpt-4', change: 'updated',
      old_price: { state: 'priced', input: '30', output: '60', cache_read: null, cache_write: null, reasoning: null, request: null, tiers: [] },
      new_price: { state: 'priced', input: '35', output: '60', cache_read: null, cache_write: null, reasoning: null, request: null, tiers: [] },
    }]);
  });

  test('/log/:id of an id that does not exist is a 404, and of a non-number a 400', async () => {
    const missing = await fetch(`${api.baseUrl}/admin/pricing-sync/log/999999`, { headers: auth });
    const bad = await fetch(`${api.baseUrl}/admin/pricing-sync/log/abc`, { headers: auth });

    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: { code: 'not_found', message: 'path.id: no sync log entry 999999' } });
    expect(bad.status).toBe(400);
  });
});
