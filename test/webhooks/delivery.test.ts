// Price-change webhooks end to end: real syncs of edited copies of the real
// upstream payloads, a real worker (with its webhook runner), and real HTTP
// receivers on 127.0.0.1, one of them the README's receiver run as written.
import { applyPriceSets, readStoredPrices } from '../../src/store/apply.ts';
import { enqueuePriceChanges } from '../../src/webhooks/outbox.ts';
import { withTransaction } from '../../src/db/pool.ts';
import { refreshFx } from '../../src/sync/fx.ts';
import { enqueueDiscrepancyFound } from '../../src/webhooks/outbox.ts';
import { WEBHOOK_POLL_INTERVAL_MS } from '../../src/worker/webhook_runner.ts';
import { startApi, startWorker, type ApiInstance, type WorkerInstance } from '../../src/service.ts';
import { TASKS } from '../../tasks/index.ts';
import { freePort, testLogger } from '../support/env.ts';
import { startYahooServer, type YahooServer } from '../support/yahooServer.ts';
import {
  serveEdited, startSyncStack, storedPrice, sync, type ModelsDevPayload, type OpenRouterPayload, type SyncStack,
} from '../sync/helpers.ts';
import { admin, signedWith, startReadmeReceiver, startReceiver, WEBHOOK_TEST_ENV, type Receiver } from './helpers.ts';
import { never, until } from '../support/poll.ts';

const logger = testLogger();
let stack: SyncStack;
let yahoo: YahooServer;
let api: ApiInstance;
let worker: WorkerInstance;
const receivers: Receiver[] = [];

beforeAll(async () => {
  yahoo = await startYahooServer({ rates: { ZAR: 18.25 } });
  stack = await startSyncStack({ ...WEBHOOK_TEST_ENV, PROVIDERS_IN_USE: 'openrouter,anthropic', YAHOO_FINANCE_URL: yahoo.url });
  // The catalog before any endpoint exists.
  await sync(stack, 'openrouter');
  await sync(stack, 'anthropic');
  api = await startApi({ url: stack.db.url, config: stack.config, logger, port: 0 });
  worker = await startWorker({ url: stack.db.url, config: stack.config, logger, tasks: TASKS });
});

afterAll(async () => {
  await worker.stop();
  await api.stop();
  for (const receiver of receivers) await receiver.close();
  await stack.release();
  await yahoo.close();
});

async function receiver(): Promise<Receiver> {
  const r = await startReceiver();
  receivers.push(r);
  return r;
}

async function subscribe(url: string, events: string[], providers?: string[]): Promise<{ id: string; secret: string }> {
  const res = await admin(api.baseUrl, 'POST', '/admin/webhooks', { url, events, ...(providers ? { providers } : {}) });
  expect(res.status).toBe(201);
  return res.body;
}

async function disable(id: string): Promise<void> {
  expect((await admin(api.baseUrl, 'PATCH', `/admin/webhooks/${id}`, { enabled: false })).status).toBe(200);
}

/** A manual price for anthropic's claude-sonnet-4-5 through the admin API: one price.changed. */
async function override(input: string): Promise<void> {
  const res = await admin(api.baseUrl, 'PUT', '/admin/prices/anthropic/claude-sonnet-4-5', {
    reason: 'negotiated', input_cost_per_1m_tokens: input, output_cost_per_1m_tokens: '15',
  });
  expect(res.status).toBe(200);
}

async function catalogVersion(): Promise<number> {
  return Number((await stack.pool.query<{ version: string }>('select version from catalog_version')).rows[0]!.version);
}

/**
 * Waits until every delivery to the endpoint has ended and its queue holds no job, so no request to it can
 * follow; then checks, for one poll of the webhook runner, that none does. That rules out a job queued after
 * the check saw the queue empty (none should be: every event the test expects was committed before it).
 */
async function quiet(endpointId: string, requests: () => number): Promise<void> {
  await until(`the deliveries to endpoint ${endpointId} to end`, async () => {
    const { rows } = await stack.pool.query<{ open: number }>(`
      select (select count(*)::int from webhook_deliveries where endpoint_id = $1::uuid and status = 'pending')
           + (select count(*)::int from graphile_worker.jobs where queue_name = 'webhook:' || $1::text) as open`, [endpointId]);
    return rows[0]!.open === 0;
  });
  const seen = requests();
  await never(`a request to endpoint ${endpointId} after its queue drained`, () => requests() > seen, { forMs: WEBHOOK_POLL_INTERVAL_MS });
}

describe('price.changed from a sync', () => {
  test('a sync that changes prices delivers exactly one price.changed per affected provider, with the old and new decimals, and the README receiver verifies its signature', async () => {
    // The secret exists only once the endpoint does: start the README receiver with it.
    const port = await freePort();
    const endpoint = await subscribe(`http://127.0.0.1:${port}/`, ['price.changed']);
    const receiverProcess = await startReadmeReceiver(endpoint.secret, port);
    try {
      const sonnetBefore = await storedPrice(stack.pool, 'anthropic', 'claude-sonnet-4-5');
      const gptBefore = await storedPrice(stack.pool, 'openrouter', 'openai/gpt-4o');
      serveEdited<ModelsDevPayload>(stack.upstream, 'models_dev', (json) => {
        json.anthropic!.models['claude-sonnet-4-5']!.cost!.input = 3.3;
      });
      serveEdited<OpenRouterPayload>(stack.upstream, 'openrouter', (json) => {
        json.data.find((m) => m.id === 'openai/gpt-4o')!.pricing.completion = '0.0000111';
      });

      await sync(stack, 'anthropic');
      const anthropicVersion = await catalogVersion();
      await sync(stack, 'openrouter');
      const openrouterVersion = await catalogVersion();

      const events = await until('two events at the README receiver', () => receiverProcess.events.length >= 2 && receiverProcess.events);
      await quiet(endpoint.id, () => receiverProcess.events.length);
      expect(receiverProcess.events).toHaveLength(2);
      const byProvider = new Map(events.map((e) => [e.data.provider, e]));
      expect(byProvider.get('anthropic')).toEqual({
        id: expect.any(String), type: 'price.changed', created_at: expect.any(String), catalog_version: anthropicVersion,
        data: {
          provider: 'anthropic', catalog_version: anthropicVersion,
          changes: [{ model_id: 'claude-sonnet-4-5', change: 'updated', dimensions: { input: { old: sonnetBefore.input, new: '3.3', source: 'models_dev' } } }],
        },
      });
      expect(byProvider.get('openrouter')).toMatchObject({
        type: 'price.changed', catalog_version: openrouterVersion,
        data: { changes: [{ model_id: 'openai/gpt-4o', change: 'updated', dimensions: { output: { old: gptBefore.output, new: '11.1', source: 'openrouter' } } }] },
      });
      expect(sonnetBefore.input).not.toBe('3.3');
    } finally {
      await receiverProcess.stop();
      await disable(endpoint.id);
    }
  });

  test('the README receiver refuses a tampered body, a wrong secret and a timestamp older than 5 minutes', async () => {
    const port = await freePort();
    const secret = 'whsec_test';
    const receiverProcess = await startReadmeReceiver(secret, port);
    const { signatureHeader } = await import('../../src/webhooks/secrets.ts');
    try {
      const body = JSON.stringify({ id: 'e', type: 'ping', created_at: new Date().toISOString(), catalog_version: null, data: {} });
      const now = Math.floor(Date.now() / 1000);
      const post = (signature: string, text = body) => fetch(receiverProcess.url, { method: 'POST', headers: { 'tariff-signature': signature }, body: text })
        .then((r) => r.status);
      expect(await post(signatureHeader([secret], body, now))).toBe(204);
      expect(await post(signatureHeader([secret], body, now), body.replace('ping', 'pong'))).toBe(400);
      expect(await post(signatureHeader(['whsec_other'], body, now))).toBe(400);
      expect(await post(signatureHeader([secret], body, now - 301))).toBe(400);
      expect(await post(signatureHeader(['whsec_other', secret], body, now))).toBe(204);
      expect(await post('t=abc,v1=zz')).toBe(400);
    } finally {
      await receiverProcess.stop();
    }
  });

  test('an endpoint filtered to one provider hears only that provider, and an unchanged re-sync notifies no one', async () => {
    const r = await receiver();
    const endpoint = await subscribe(r.url, ['price.changed'], ['openrouter']);
    try {
      serveEdited<ModelsDevPayload>(stack.upstream, 'models_dev', (json) => {
        json.anthropic!.models['claude-sonnet-4-5']!.cost!.input = 3.6;
      });
      await sync(stack, 'anthropic');
      await sync(stack, 'openrouter'); // unchanged since the previous test
      await quiet(endpoint.id, () => r.received.length);
      expect(r.received).toHaveLength(0);
    } finally {
      await disable(endpoint.id);
    }
  });
});

describe('retries, order and endpoint health', () => {
  test('a receiver answering 500 three times and then 200 gets the event with the same Tariff-Event-Id; the delivery log shows 4 attempts', async () => {
    const r = await receiver();
    r.answer((n) => ({ status: n < 3 ? 500 : 200 }));
    const endpoint = await subscribe(r.url, ['price.changed']);
    try {
      const synced = await storedPrice(stack.pool, 'anthropic', 'claude-sonnet-4-5');
      await override('2.9');
      await until('the fourth attempt', () => r.received.length >= 4);
      const log = await until('the delivery to be recorded', async () => {
        const res = await admin(api.baseUrl, 'GET', `/admin/webhooks/${endpoint.id}/deliveries`);
        return res.body.deliveries[0]?.status === 'delivered' ? res.body.deliveries : undefined;
      });
      await quiet(endpoint.id, () => r.received.length);

      expect(r.received).toHaveLength(4);
      const ids = new Set(r.received.map((x) => x.headers['tariff-event-id']));
      expect([...ids]).toEqual([r.received[0]!.event.id]);
      expect(r.received.map((x) => x.headers['tariff-event-type'])).toEqual(Array(4).fill('price.changed'));
      for (const x of r.received) expect(signedWith(endpoint.secret, x.headers['tariff-signature'], x.body)).toBe(true);
      expect(new Set(r.received.map((x) => x.body)).size).toBe(1);
      expect(log).toEqual([expect.objectContaining({
        event_id: r.received[0]!.event.id, event_type: 'price.changed', status: 'delivered', attempts: 4,
        last_status_code: 200, last_latency_ms: expect.any(Number), next_attempt_at: null,
      })]);
      const [change] = r.received[0]!.event.data.changes;
      expect(change).toMatchObject({
        model_id: 'claude-sonnet-4-5', change: 'override_set',
        // The override sets input and output only: the synced prices it leaves out, filled ones included, are no longer charged.
        dimensions: {
          input: { old: synced.input, new: '2.9', source: 'manual' },
          cache_read: { old: synced.cache_read, new: null, source: 'manual' },
          cache_write: { old: synced.cache_write, new: null, source: 'manual' },
          cache_write_1h_tokens: { old: synced.extra?.cache_write_1h_tokens, new: null, source: 'manual' },
        },
      });
      for (const [key, dimension] of Object.entries(change.dimensions as Record<string, { new: string | null; source: string }>)) {
        expect([key, dimension.source, key === 'input' ? '2.9' : null]).toEqual([key, 'manual', dimension.new]);
      }
      expect(synced.output).toBe('15');
      expect(synced.cache_read).not.toBeNull();
    } finally {
      await disable(endpoint.id);
    }
  });

  test('deliveries to one endpoint arrive in catalog-version order, even when the first ones fail', async () => {
    const r = await receiver();
    r.answer((n) => ({ status: n < 2 ? 503 : 204 }));
    const endpoint = await subscribe(r.url, ['price.changed']);
    try {
      for (const input of ['2.1', '2.2', '2.3']) await override(input);
      await until('three delivered events', () => r.received.filter((x) => x.answered === 204).length >= 3);
      const versions = r.received.map((x) => x.event.catalog_version!);
      const delivered = r.received.filter((x) => x.answered === 204).map((x) => x.event.catalog_version!);
      expect(delivered).toHaveLength(3);
      expect([...delivered].sort((a, b) => a - b)).toEqual(delivered);
      expect(new Set(delivered).size).toBe(3);
      expect([...versions].sort((a, b) => a - b)).toEqual(versions);
    } finally {
      await disable(endpoint.id);
    }
  });

  test('a receiver that hangs delays no other endpoint, and a 410 then disables its endpoint', async () => {
    const hung = await receiver();
    hung.answer(() => 'hang');
    const fast = await receiver();
    const slowEndpoint = await subscribe(hung.url, ['price.changed']);
    const fastEndpoint = await subscribe(fast.url, ['price.changed']);
    try {
      await override('2.5');
      await until('the hanging receiver to hold a request', () => hung.received.length >= 1);
      await until('the other endpoint to get the event', () => fast.received.length >= 1);
      // Delivered while the hanging request is still held.
      expect(hung.received[0]!.answered).toBeUndefined();

      hung.answer(() => ({ status: 410 }));
      hung.release(410);
      const disabled = await until('the endpoint to be disabled', async () => {
        const res = await admin(api.baseUrl, 'GET', `/admin/webhooks/${slowEndpoint.id}`);
        return res.body.enabled === false ? res.body : undefined;
      });
      expect(disabled.disabled_reason).toMatch(/410/);
      await override('2.6');
      await until('the other endpoint to get the next event', () => fast.received.length >= 2);
      const before = hung.received.length;
      await quiet(slowEndpoint.id, () => hung.received.length);
      expect(hung.received.length).toBe(before);
    } finally {
      await disable(fastEndpoint.id);
    }
  });

  test('after WEBHOOK_MAX_CONSECUTIVE_FAILURES failed attempts the endpoint is disabled, and /metrics counts it', async () => {
    const r = await receiver();
    r.answer(() => ({ status: 500 }));
    const endpoint = await subscribe(r.url, ['price.changed']);
    await override('2.7');
    const disabled = await until('the endpoint to be disabled', async () => {
      const res = await admin(api.baseUrl, 'GET', `/admin/webhooks/${endpoint.id}`);
      return res.body.enabled === false ? res.body : undefined;
    });

    expect(r.received).toHaveLength(Number(stack.config.WEBHOOK_MAX_CONSECUTIVE_FAILURES));
    expect(disabled).toMatchObject({ consecutive_failures: stack.config.WEBHOOK_MAX_CONSECUTIVE_FAILURES, disabled_reason: expect.stringMatching(/consecutive/) });
    expect(disabled.recent_deliveries[0]).toMatchObject({ status: 'cancelled', attempts: stack.config.WEBHOOK_MAX_CONSECUTIVE_FAILURES, last_status_code: 500 });
    const metrics = await (await fetch(`${api.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/^tariff_webhook_endpoints_disabled [1-9]/m);
  });
});

describe('other events', () => {
  test('a failed sync sends sync.failed, a guard rejection sync.rejected, and a rate change fx.changed (an unchanged rate nothing)', async () => {
    const r = await receiver();
    const endpoint = await subscribe(r.url, ['sync.failed', 'sync.rejected', 'fx.changed']);
    try {
      stack.upstream.setFault('openrouter', { kind: 'status', status: 500 });
      await expect(sync(stack, 'openrouter')).rejects.toThrow(/answered 500/);
      stack.upstream.setFault('openrouter', null);
      serveEdited<ModelsDevPayload>(stack.upstream, 'models_dev', (json) => {
        json.anthropic!.models['claude-sonnet-4-5']!.cost!.input = 3000;
      });
      expect((await sync(stack, 'anthropic')).status).toBe('rejected');
      const fxDeps = { pool: stack.pool, config: stack.config, logger };
      await refreshFx(fxDeps, { force: false, triggered_by: 'manual', job_id: null, attempt: null });
      await refreshFx(fxDeps, { force: false, triggered_by: 'manual', job_id: null, attempt: null });

      await until('three events', () => r.received.length >= 3);
      await quiet(endpoint.id, () => r.received.length);
      expect(r.received.map((x) => x.event.type)).toEqual(['sync.failed', 'sync.rejected', 'fx.changed']);
      const [failed, rejected, fx] = r.received.map((x) => x.event);
      expect(failed!.data).toMatchObject({ provider: 'openrouter', status: 'failed', reason: expect.stringMatching(/answered 500/) });
      expect(rejected!.data).toMatchObject({
        provider: 'anthropic', status: 'rejected', reason: expect.stringMatching(/moved by ×10/),
        offending: [expect.objectContaining({ model_id: 'claude-sonnet-4-5', new: '3000' })],
      });
      expect(fx!.data).toMatchObject({ changes: [{ pair: 'USD/ZAR', old_rate: null, new_rate: '18.25' }] });
      expect(fx!.catalog_version).toBe(await catalogVersion());
    } finally {
      await disable(endpoint.id);
    }
  });

  test('a discrepancy report\'s new discrepancies are sent as discrepancy.found, one event per provider', async () => {
    const r = await receiver();
    const endpoint = await subscribe(r.url, ['discrepancy.found']);
    try {
      const version = await catalogVersion();
      const report = { id: 7, generated_at: new Date().toISOString(), catalog_version: version };
      const found = [{
        provider: 'anthropic', model_id: 'claude-sonnet-4-5', dimension: 'output_tokens', served: { source: 'models_dev', price: '15' },
        sources: { litellm: { model_id: 'claude-sonnet-4-5', price: '16.5' } }, spread: '1.1', class: 'unknown',
      }];
      expect(await enqueueDiscrepancyFound(stack.pool, report, found)).toBe(1);
      expect(await enqueueDiscrepancyFound(stack.pool, report, [])).toBe(0);

      const got = await until('the event', () => r.received[0]);
      expect(got.event).toMatchObject({
        type: 'discrepancy.found', catalog_version: version,
        data: { report_id: 7, catalog_version: version, provider: 'anthropic', items: found },
      });
    } finally {
      await disable(endpoint.id);
    }
  });

  test('a change that rolls back writes no event, no delivery and no job', async () => {
    const r = await receiver();
    const endpoint = await subscribe(r.url, ['price.changed']);
    try {
      const counts = async () => (await stack.pool.query<{ events: number; deliveries: number; jobs: number }>(`
        select (select count(*)::int from webhook_events) as events, (select count(*)::int from webhook_deliveries) as deliveries,
               (select count(*)::int from graphile_worker.jobs where task_identifier = 'deliver_webhook') as jobs`)).rows[0];
      const before = await counts();
      const records = [...(await readStoredPrices(stack.pool, ['anthropic'])).get('anthropic')!.values()]
        .filter((p) => p.removed_at === null)
        .map((p) => ({ ...p, input: p.model_id === 'claude-opus-4-1' ? '99' : p.input }));
      const seen: number[] = [];

      await expect(withTransaction(stack.pool, async (client) => {
        await applyPriceSets(client, [{ provider: 'anthropic', source: 'models_dev', records }], { changedBy: 'test', syncLogId: null, onChanges: enqueuePriceChanges });
        seen.push(...Object.values((await client.query<{ n: number }>('select count(*)::int as n from webhook_deliveries')).rows[0]!));
        throw new Error('roll back');
      })).rejects.toThrow('roll back');
      await quiet(endpoint.id, () => r.received.length);

      expect(seen[0]).toBe(before!.deliveries + 1);
      expect(await counts()).toEqual(before);
      expect(r.received).toHaveLength(0);
    } finally {
      await disable(endpoint.id);
    }
  });
});

describe('secrets, pings and redelivery', () => {
  test('after rotate-secret, deliveries carry signatures with both the new and the old secret', async () => {
    const r = await receiver();
    const endpoint = await subscribe(r.url, ['price.changed']);
    try {
      const rotated = await admin(api.baseUrl, 'POST', `/admin/webhooks/${endpoint.id}/rotate-secret`);
      expect(rotated.status).toBe(200);
      expect(rotated.body.secret).toMatch(/^whsec_/);
      expect(rotated.body.secret).not.toBe(endpoint.secret);
      expect(rotated.body.previous_secret_expires_at).toEqual(expect.any(String));

      const ping = await admin(api.baseUrl, 'POST', `/admin/webhooks/${endpoint.id}/test`);
      expect(ping.status).toBe(202);
      const got = await until('the ping', () => r.received[0]);

      expect(got.event).toMatchObject({ id: ping.body.event_id, type: 'ping' });
      expect(String(got.headers['tariff-signature']).match(/v1=/g)).toHaveLength(2);
      expect(signedWith(rotated.body.secret, got.headers['tariff-signature'], got.body)).toBe(true);
      expect(signedWith(endpoint.secret, got.headers['tariff-signature'], got.body)).toBe(true);
    } finally {
      await disable(endpoint.id);
    }
  });

  test('redeliver sends a delivered event again with the same event id, as a new delivery in the log', async () => {
    const r = await receiver();
    const endpoint = await subscribe(r.url, ['price.changed']);
    try {
      await override('2.8');
      const first = await until('the event', () => r.received[0]);
      const log = await until('the delivery recorded', async () => {
        const res = await admin(api.baseUrl, 'GET', `/admin/webhooks/${endpoint.id}/deliveries`);
        return res.body.deliveries[0]?.status === 'delivered' ? res.body.deliveries : undefined;
      });

      const again = await admin(api.baseUrl, 'POST', `/admin/webhooks/${endpoint.id}/deliveries/${log[0].id}/redeliver`);
      expect(again.status).toBe(202);
      const second = await until('the redelivery', () => r.received[1]);

      expect(second.headers['tariff-event-id']).toBe(first.headers['tariff-event-id']);
      expect(second.body).toBe(first.body);
      expect(again.body).toEqual({ event_id: first.event.id, delivery_id: expect.any(Number) });
      const missing = await admin(api.baseUrl, 'POST', `/admin/webhooks/${endpoint.id}/deliveries/999999/redeliver`);
      expect(missing.status).toBe(404);
    } finally {
      await disable(endpoint.id);
    }
  });
});
