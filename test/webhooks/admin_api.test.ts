// /admin/webhooks on a real API: the token guard, validation that names the
// field, refusal of private addresses, secrets shown once and stored encrypted,
// and what an instance without a secret key answers. No worker runs here.
import { startApi, type ApiInstance } from '../../src/service.ts';
import { testLogger } from '../support/env.ts';
import { testConfig } from '../support/stack.ts';
import { startSyncStack, type SyncStack } from '../sync/helpers.ts';
import { admin, TEST_WEBHOOK_KEY } from './helpers.ts';

const logger = testLogger();
let stack: SyncStack;
/** Private addresses and http refused, as in production. */
let strict: ApiInstance;
/** WEBHOOK_ALLOW_HTTP and WEBHOOK_ALLOW_PRIVATE, as tests with local receivers run. */
let lenient: ApiInstance;
/** No WEBHOOK_SECRET_KEY. */
let keyless: ApiInstance;

beforeAll(async () => {
  stack = await startSyncStack({ PROVIDERS_IN_USE: 'openrouter,anthropic' });
  const start = (env: Record<string, string>) => startApi({
    url: stack.db.url, logger, port: 0, config: testConfig(stack.db.url, stack.upstream, { PROVIDERS_IN_USE: 'openrouter,anthropic', ...env }),
  });
  strict = await start({ WEBHOOK_SECRET_KEY: TEST_WEBHOOK_KEY });
  lenient = await start({ WEBHOOK_SECRET_KEY: TEST_WEBHOOK_KEY, WEBHOOK_ALLOW_HTTP: 'true', WEBHOOK_ALLOW_PRIVATE: 'true' });
  keyless = await start({});
});

afterAll(async () => {
  await strict.stop();
  await lenient.stop();
  await keyless.stop();
  await stack.release();
});

const valid = { url: 'https://hooks.example.com/tariff', events: ['price.changed'] };

describe('the admin token', () => {
  test.each([
    ['POST', '/admin/webhooks'], ['GET', '/admin/webhooks'], ['GET', '/admin/webhooks/00000000-0000-4000-8000-000000000000'],
    ['PATCH', '/admin/webhooks/00000000-0000-4000-8000-000000000000'], ['DELETE', '/admin/webhooks/00000000-0000-4000-8000-000000000000'],
    ['POST', '/admin/webhooks/00000000-0000-4000-8000-000000000000/rotate-secret'],
  ])('%s %s is 401 without a token and 403 with a wrong one', async (method, path) => {
    const missing = await fetch(`${strict.baseUrl}${path}`, { method });
    const wrong = await admin(strict.baseUrl, method, path, undefined, 'not-the-admin-token-at-all');

    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({ error: { code: 'unauthorized' } });
    expect(wrong).toMatchObject({ status: 403, body: { error: { code: 'forbidden' } } });
  });
});

describe('POST /admin/webhooks', () => {
  test('returns 201 with the secret once; the secret is stored encrypted and never listed again', async () => {
    const created = await admin(strict.baseUrl, 'POST', '/admin/webhooks', { ...valid, providers: ['anthropic'], description: 'billing' });

    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/), secret: expect.stringMatching(/^whsec_[A-Za-z0-9_-]{43}$/),
      url: valid.url, events: ['price.changed'], providers: ['anthropic'], description: 'billing', enabled: true,
    });
    const { id, secret } = created.body;
    const listed = await admin(strict.baseUrl, 'GET', '/admin/webhooks');
    const one = await admin(strict.baseUrl, 'GET', `/admin/webhooks/${id}`);
    expect(JSON.stringify(listed.body)).not.toContain(secret);
    expect(JSON.stringify(one.body)).not.toContain(secret);
    expect(one.body).toMatchObject({ id, recent_deliveries: [] });
    expect(listed.body.webhooks.map((w: { id: string }) => w.id)).toContain(id);
    const stored = await stack.pool.query<{ raw: string }>(`select encode(secret_encrypted, 'escape') as raw from webhook_endpoints where id = $1`, [id]);
    expect(stored.rows[0]!.raw).not.toContain(secret.slice(6));
  });

  test.each([
    [{ ...valid, url: 'http://hooks.example.com/' }, 'body.url', /https/],
    [{ ...valid, url: 'https://127.0.0.1/hook' }, 'body.url', /private/],
    [{ ...valid, url: 'https://10.1.2.3/hook' }, 'body.url', /private/],
    [{ ...valid, url: 'https://169.254.169.254/latest/meta-data/' }, 'body.url', /private/],
    [{ ...valid, url: 'https://[::1]/hook' }, 'body.url', /private/],
    [{ ...valid, url: 'https://[::ffff:127.0.0.1]/hook' }, 'body.url', /private/],
    [{ ...valid, url: 'https://[fd00:ec2::254]/' }, 'body.url', /private/],
    [{ ...valid, url: 'https://2130706433/hook' }, 'body.url', /private/],
    [{ ...valid, url: 'https://localhost:8443/hook' }, 'body.url', /internal host/],
    [{ ...valid, url: 'https://metadata.google.internal/' }, 'body.url', /internal host/],
    [{ ...valid, url: 'https://user:pw@hooks.example.com/' }, 'body.url', /credentials/],
    [{ ...valid, url: 'not a url' }, 'body.url', /absolute URL/],
    [{ ...valid, events: [] }, 'body.events', /.+/],
    [{ ...valid, events: ['price.changed', 'price.changed'] }, 'body.events', /twice/],
    [{ ...valid, events: ['price.exploded'] }, 'body.events.0', /.+/],
    [{ ...valid, providers: ['Not A Provider'] }, 'body.providers.0', /provider id/],
    [{ ...valid, description: 'a\u0000b' }, 'body.description', /control/],
    [{ ...valid, secret: 'mine' }, 'body.secret', /.+/],
    [{ events: ['price.changed'] }, 'body.url', /.+/],
  ])('%j is a 400 naming %s', async (body, field, message) => {
    const res = await admin(strict.baseUrl, 'POST', '/admin/webhooks', body);

    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
    expect(res.body.error.details.fields).toContainEqual({ field, message: expect.stringMatching(message) });
  });

  test('with WEBHOOK_ALLOW_HTTP and WEBHOOK_ALLOW_PRIVATE, a local http receiver is accepted', async () => {
    const res = await admin(lenient.baseUrl, 'POST', '/admin/webhooks', { ...valid, url: 'http://127.0.0.1:9/hook' });
    expect(res.status).toBe(201);
  });

  test('an instance without WEBHOOK_SECRET_KEY refuses to create a webhook with a 503 that says why, and lists the others', async () => {
    const res = await admin(keyless.baseUrl, 'POST', '/admin/webhooks', valid);

    expect(res).toEqual({ status: 503, body: { error: { code: 'webhooks_unavailable', message: expect.stringMatching(/WEBHOOK_SECRET_KEY/) } } });
    expect((await admin(keyless.baseUrl, 'GET', '/admin/webhooks')).status).toBe(200);
  });
});

describe('PATCH, DELETE and the delivery log', () => {
  test('PATCH changes the given fields, refuses private addresses and empty bodies, and disable/enable round-trips', async () => {
    const { body: created } = await admin(strict.baseUrl, 'POST', '/admin/webhooks', valid);
    const path = `/admin/webhooks/${created.id}`;

    const patched = await admin(strict.baseUrl, 'PATCH', path, { events: ['sync.failed', 'fx.changed'], providers: null, description: 'ops' });
    expect(patched).toMatchObject({ status: 200, body: { events: ['sync.failed', 'fx.changed'], providers: null, description: 'ops', url: valid.url } });
    const refused = await admin(strict.baseUrl, 'PATCH', path, { url: 'https://192.168.1.10/' });
    expect(refused.status).toBe(400);
    expect(refused.body.error.details.fields[0].field).toBe('body.url');
    expect((await admin(strict.baseUrl, 'PATCH', path, {})).status).toBe(400);
    expect((await admin(strict.baseUrl, 'PATCH', path, { enabled: 'no' })).body.error.details.fields[0].field).toBe('body.enabled');
    const disabled = await admin(strict.baseUrl, 'PATCH', path, { enabled: false });
    expect(disabled.body).toMatchObject({ enabled: false, disabled_reason: 'disabled by an operator', disabled_at: expect.any(String) });
    const enabled = await admin(strict.baseUrl, 'PATCH', path, { enabled: true });
    expect(enabled.body).toMatchObject({ enabled: true, disabled_reason: null, disabled_at: null, consecutive_failures: 0 });
  });

  test('DELETE removes the endpoint; it is then a 404, as is a well-formed unknown id; a malformed id is a 400 naming path.id', async () => {
    const { body: created } = await admin(strict.baseUrl, 'POST', '/admin/webhooks', valid);

    expect((await admin(strict.baseUrl, 'DELETE', `/admin/webhooks/${created.id}`)).status).toBe(204);
    expect((await admin(strict.baseUrl, 'GET', `/admin/webhooks/${created.id}`)).status).toBe(404);
    expect((await admin(strict.baseUrl, 'DELETE', `/admin/webhooks/${created.id}`)).status).toBe(404);
    const malformed = await admin(strict.baseUrl, 'GET', '/admin/webhooks/42');
    expect(malformed.status).toBe(400);
    expect(malformed.body.error.details.fields[0].field).toBe('path.id');
  });

  test('the delivery log validates its query and a redelivery path names the bad field', async () => {
    const { body: created } = await admin(strict.baseUrl, 'POST', '/admin/webhooks', valid);

    expect(await admin(strict.baseUrl, 'GET', `/admin/webhooks/${created.id}/deliveries`)).toEqual({ status: 200, body: { deliveries: [] } });
    const bad = await admin(strict.baseUrl, 'GET', `/admin/webhooks/${created.id}/deliveries?status=lost&limit=0`);
    expect(bad.body.error.details.fields.map((f: { field: string }) => f.field).sort()).toEqual(['query.limit', 'query.status']);
    const badDelivery = await admin(strict.baseUrl, 'POST', `/admin/webhooks/${created.id}/deliveries/x/redeliver`);
    expect(badDelivery.body.error.details.fields[0].field).toBe('path.delivery');
  });
});
