// Every route the API mounts is in the OpenAPI document, and every operation
// in the document answers through the one writer: its success and its client
// error carry the same security headers and a request id. A route answered
// with res.json (around the writer) loses both, and fails here.
import type { Express } from 'express';
import { DASHBOARD_ASSETS, DASHBOARD_PAGES } from '../../src/dashboard/router.ts';
import { checkDiscrepancies } from '../../src/discrepancy/run.ts';
import { TEST_ADMIN_TOKEN } from '../support/stack.ts';
import { costOf, logger, request, startServingStack, type ServingStack } from '../serving/helpers.ts';
import type { ApiInstance } from '../../src/service.ts';

const WEBHOOK_KEY = 'b'.repeat(64);
const ADMIN = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
const JSON_BODY = { ...ADMIN, 'content-type': 'application/json' };

interface Call {
  path: string;
  init?: RequestInit;
}

/** How to make each documented operation succeed, and how to make it fail with a 4xx. */
interface Case {
  ok: Call | ((state: State) => Call);
  bad: Call | ((state: State) => Call);
}

interface State {
  webhookId?: string;
  deliveryId?: number;
  syncLogId?: number;
}

const post = (body: unknown, headers: Record<string, string> = JSON_BODY): RequestInit => ({ method: 'POST', headers, body: JSON.stringify(body) });

const CASES: Record<string, Case> = {
  'GET /costs': { ok: { path: '/costs?provider=openai' }, bad: { path: '/costs?bogus=1' } },
  'GET /costs/{provider}/{model}': { ok: { path: '/costs/openai/gpt-4o' }, bad: { path: '/costs/openai/no-such-model-anywhere' } },
  'POST /costs/quote': {
    ok: { path: '/costs/quote', init: post({ provider: 'openai', model: 'gpt-4o', usage: { input_tokens: 10, output_tokens: 5 } }, { 'content-type': 'application/json' }) },
    bad: { path: '/costs/quote', init: post({ provider: 'openai' }, { 'content-type': 'application/json' }) },
  },
  'GET /costs/changes': { ok: { path: '/costs/changes' }, bad: { path: '/costs/changes?since=yesterday' } },
  'GET /costs/history': { ok: { path: '/costs/history?provider=openai&model=gpt-4o' }, bad: { path: '/costs/history' } },
  'GET /costs/discrepancies': { ok: { path: '/costs/discrepancies' }, bad: { path: '/costs/discrepancies?min_spread=x' } },
  'GET /healthz': { ok: { path: '/healthz' }, bad: { path: '/healthz/nothing-here' } },
  'GET /readyz': { ok: { path: '/readyz' }, bad: { path: '/readyz/nothing-here' } },
  'GET /metrics': { ok: { path: '/metrics' }, bad: { path: '/metrics/nothing-here' } },
  'POST /admin/pricing-sync': {
    ok: { path: '/admin/pricing-sync', init: post({ providers: ['openai'], dry_run: true }) },
    bad: { path: '/admin/pricing-sync', init: post({ providers: ['openai'] }, { 'content-type': 'application/json' }) },
  },
  'POST /admin/fx-refresh': { ok: { path: '/admin/fx-refresh', init: post({}) }, bad: { path: '/admin/fx-refresh', init: post({ force: 'yes' }) } },
  'GET /admin/pricing-sync/log': { ok: { path: '/admin/pricing-sync/log', init: { headers: ADMIN } }, bad: { path: '/admin/pricing-sync/log' } },
  'GET /admin/pricing-sync/log/{id}': {
    ok: (state) => ({ path: `/admin/pricing-sync/log/${state.syncLogId}`, init: { headers: ADMIN } }),
    bad: { path: '/admin/pricing-sync/log/0', init: { headers: ADMIN } },
  },
  'PUT /admin/prices/{provider}/{model}': {
    ok: { path: '/admin/prices/openai/gpt-4o', init: { ...post({ reason: 'contract', state: 'priced', input_cost_per_1m_tokens: '2', output_cost_per_1m_tokens: '8' }), method: 'PUT' } },
    bad: { path: '/admin/prices/openai/gpt-4o', init: { ...post({ state: 'priced' }), method: 'PUT' } },
  },
  'DELETE /admin/prices/{provider}/{model}': {
    ok: { path: '/admin/prices/openai/gpt-4o?reason=done', init: { method: 'DELETE', headers: ADMIN } },
    bad: { path: '/admin/prices/openai/gpt-4o?reason=done', init: { method: 'DELETE', headers: ADMIN } },
  },
  'POST /admin/webhooks': {
    ok: { path: '/admin/webhooks', init: post({ url: 'https://hooks.example.com/tariff', events: ['price.changed'] }) },
    bad: { path: '/admin/webhooks', init: post({ url: 'http://127.0.0.1/', events: ['price.changed'] }) },
  },
  'GET /admin/webhooks': { ok: { path: '/admin/webhooks', init: { headers: ADMIN } }, bad: { path: '/admin/webhooks' } },
  'GET /admin/webhooks/{id}': {
    ok: (state) => ({ path: `/admin/webhooks/${state.webhookId}`, init: { headers: ADMIN } }),
    bad: { path: '/admin/webhooks/not-a-uuid', init: { headers: ADMIN } },
  },
  'PATCH /admin/webhooks/{id}': {
    ok: (state) => ({ path: `/admin/webhooks/${state.webhookId}`, init: { ...post({ description: 'billing' }), method: 'PATCH' } }),
    bad: (state) => ({ path: `/admin/webhooks/${state.webhookId}`, init: { ...post({}), method: 'PATCH' } }),
  },
  'POST /admin/webhooks/{id}/rotate-secret': {
    ok: (state) => ({ path: `/admin/webhooks/${state.webhookId}/rotate-secret`, init: { method: 'POST', headers: ADMIN } }),
    bad: { path: '/admin/webhooks/00000000-0000-4000-8000-000000000000/rotate-secret', init: { method: 'POST', headers: ADMIN } },
  },
  'POST /admin/webhooks/{id}/test': {
    ok: (state) => ({ path: `/admin/webhooks/${state.webhookId}/test`, init: { method: 'POST', headers: ADMIN } }),
    bad: { path: '/admin/webhooks/00000000-0000-4000-8000-000000000000/test', init: { method: 'POST', headers: ADMIN } },
  },
  'GET /admin/webhooks/{id}/deliveries': {
    ok: (state) => ({ path: `/admin/webhooks/${state.webhookId}/deliveries`, init: { headers: ADMIN } }),
    bad: (state) => ({ path: `/admin/webhooks/${state.webhookId}/deliveries?status=lost`, init: { headers: ADMIN } }),
  },
  'POST /admin/webhooks/{id}/deliveries/{delivery}/redeliver': {
    ok: (state) => ({ path: `/admin/webhooks/${state.webhookId}/deliveries/${state.deliveryId}/redeliver`, init: { method: 'POST', headers: ADMIN } }),
    bad: (state) => ({ path: `/admin/webhooks/${state.webhookId}/deliveries/999999/redeliver`, init: { method: 'POST', headers: ADMIN } }),
  },
  'DELETE /admin/webhooks/{id}': {
    ok: (state) => ({ path: `/admin/webhooks/${state.webhookId}`, init: { method: 'DELETE', headers: ADMIN } }),
    bad: (state) => ({ path: `/admin/webhooks/${state.webhookId}`, init: { method: 'DELETE', headers: ADMIN } }),
  },
  'GET /openapi.json': { ok: { path: '/openapi.json' }, bad: { path: '/openapi.json/nothing-here' } },
};

interface OpenApi {
  paths: Record<string, Record<string, unknown>>;
}

/** Every METHOD /path an Express app mounts, its parameters written as OpenAPI writes them. */
function mountedRoutes(app: Express): string[] {
  const routes: string[] = [];
  const walk = (stack: unknown[]) => {
    for (const layer of stack as Array<{ route?: { path: string | string[]; methods: Record<string, boolean> }; handle?: { stack?: unknown[] } }>) {
      if (layer.route) {
        for (const path of [layer.route.path].flat()) {
          for (const method of Object.keys(layer.route.methods)) routes.push(`${method.toUpperCase()} ${path}`);
        }
      } else if (layer.handle?.stack) {
        walk(layer.handle.stack);
      }
    }
  };
  walk((app as unknown as { router: { stack: unknown[] } }).router.stack);
  return routes;
}

/** Stops reading a response's body (an event stream), answering no text. */
async function cancelled(response: Response): Promise<string> {
  await response.body?.cancel();
  return '';
}

const asOpenApi = (route: string) => route.replace(/[:*](\w+)/g, '{$1}');

let stack: ServingStack;
let api: ApiInstance;
let document: OpenApi;
const state: State = {};

beforeAll(async () => {
  stack = await startServingStack({ WEBHOOK_SECRET_KEY: WEBHOOK_KEY });
  api = await stack.startInstance();
  // A sync log row, a discrepancy report and a webhook delivery: what the routes that read them need.
  await stack.syncModelsDev('openai', (payload) => { costOf(payload, 'openai', 'gpt-4o').input = 2.75; });
  const { rows } = await stack.pool.query<{ id: string }>('select max(id) as id from pricing_sync_log');
  state.syncLogId = Number(rows[0]!.id);
  await checkDiscrepancies({ pool: stack.pool, config: stack.config, logger });
  await api.discrepancies.refreshIfBehind();
  document = (await request<OpenApi>(api.baseUrl, '/openapi.json')).body;
});

afterAll(async () => {
  await stack?.release();
});

test('the OpenAPI document describes every route the API mounts, and only those', () => {
  const html = new Set([...DASHBOARD_PAGES, DASHBOARD_ASSETS].map((path) => `GET ${asOpenApi(path)}`));
  const mounted = new Set(mountedRoutes(api.app).map(asOpenApi).filter((route) => !html.has(route)));
  const documented = new Set(Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`)));
  expect([...mounted].filter((route) => !documented.has(route))).toEqual([]);
  expect([...documented].filter((route) => !mounted.has(route))).toEqual([]);
});

test('every documented operation has a case here', () => {
  const documented = Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`));
  expect(documented.filter((operation) => !(operation in CASES)).sort()).toEqual([]);
});

describe('every operation answers through the one writer', () => {
  let reference: Headers;
  beforeAll(async () => {
    reference = (await fetch(`${api.baseUrl}/healthz`)).headers;
  });

  const SECURITY = ['x-content-type-options', 'x-frame-options', 'referrer-policy', 'content-security-policy', 'cross-origin-resource-policy'];

  // In this order: a webhook is created before it is read, tested before its delivery is sent again, deleted last.
  test.each(Object.keys(CASES))('%s: its 2xx and its 4xx carry the security headers and a request id', async (operation) => {
    const { ok, bad } = CASES[operation]!;
    const good = typeof ok === 'function' ? ok(state) : ok;
    const success = await fetch(api.baseUrl + good.path, good.init);
    // An event stream never ends: its headers are what this test reads.
    const body = success.headers.get('content-type')?.startsWith('text/event-stream') ? await cancelled(success) : await success.text();
    expect([operation, success.status, Math.floor(success.status / 100)]).toEqual([operation, success.status, 2]);
    if (operation === 'POST /admin/webhooks') state.webhookId = (JSON.parse(body) as { id: string }).id;
    if (operation === 'POST /admin/webhooks/{id}/test') state.deliveryId = (JSON.parse(body) as { delivery_id: number }).delivery_id;
    const failing = typeof bad === 'function' ? bad(state) : bad;
    const failure = await fetch(api.baseUrl + failing.path, failing.init);
    const error = await failure.text();
    expect([operation, failure.status, Math.floor(failure.status / 100)]).toEqual([operation, failure.status, 4]);
    expect(JSON.parse(error)).toEqual({ error: expect.objectContaining({ code: expect.any(String), message: expect.any(String) }) });
    for (const response of [success, failure]) {
      for (const header of SECURITY) expect([operation, header, response.headers.get(header)]).toEqual([operation, header, reference.get(header)]);
      expect(response.headers.get('x-request-id')).toMatch(/^[\w-]{8,}$/);
    }
  });
});
