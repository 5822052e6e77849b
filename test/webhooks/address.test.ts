import type { Price, PriceTier } from '@tariff/pricing';
// Where webhooks may go: the address rules, the lookup that checks resolved
// addresses, and a delivery whose host resolves to loopback (as after a DNS
// change) refused at send time, against a real receiver that hears nothing.
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { isForbiddenAddress, checkedLookup, urlProblem } from '../../src/webhooks/address.ts';
import { deliver } from '../../src/webhooks/deliver.ts';
import { createEndpoint } from '../../src/webhooks/endpoints.ts';
import { changedDimensions } from '../../src/webhooks/events.ts';
import { enqueuePing } from '../../src/webhooks/outbox.ts';
import { decryptSecret, encryptSecret, generateSecret, loadWebhookKey } from '../../src/webhooks/secrets.ts';
import { createPool, type Pool } from '../../src/db/pool.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { testLogger } from '../support/env.ts';
import { testConfig } from '../support/stack.ts';
import { startReceiver, TEST_WEBHOOK_KEY, WEBHOOK_TEST_ENV, type Receiver } from './helpers.ts';

describe('forbidden addresses', () => {
  test.each([
    '127.0.0.1', '127.8.9.10', '10.0.0.1', '172.16.5.4', '172.31.255.255', '192.168.0.1', '169.254.169.254', '100.64.0.1', '0.0.0.0',
    '224.0.0.1', '255.255.255.255', '::1', '::', 'fe80::1', 'fd00:ec2::254', 'fc00::1', '::ffff:127.0.0.1', '::ffff:7f00:1',
    '::ffff:10.0.0.1', 'ff02::1', 'not-an-address',
  ])('%s is refused', (address) => {
    expect(isForbiddenAddress(address)).toBe(true);
  });

  test.each(['93.184.215.14', '8.8.8.8', '172.32.0.1', '2606:4700::1111', '::ffff:8.8.8.8'])('%s is allowed', (address) => {
    expect(isForbiddenAddress(address)).toBe(false);
  });

  test('without WEBHOOK_ALLOW_PRIVATE, the lookup refuses a name that resolves to loopback; with it, hands back the address it checked', async () => {
    const resolve = (allowPrivate: boolean) => new Promise<{ err: Error | null; address: unknown }>((done) => {
      checkedLookup(allowPrivate)('localhost', { family: 4 }, (err, address) => done({ err, address }));
    });

    expect((await resolve(false)).err?.message).toMatch(/localhost resolves to 127\.0\.0\.1/);
    expect(await resolve(true)).toEqual({ err: null, address: '127.0.0.1' });
  });

  test('http is refused unless allowed, and private hosts unless allowed', () => {
    const strict = { allowHttp: false, allowPrivate: false };
    expect(urlProblem('http://example.com/', strict)).toMatch(/https/);
    expect(urlProblem('https://example.com/hook?token=1', strict)).toBeUndefined();
    expect(urlProblem('https://intranet/', strict)).toMatch(/internal/);
    expect(urlProblem('http://127.0.0.1:3000/', { allowHttp: true, allowPrivate: true })).toBeUndefined();
  });
});

describe('price dimensions', () => {
  const price = (fields: Partial<Price>): Price => ({
    state: 'priced', input: null, output: null, cache_read: null, cache_write: null, reasoning: null, request: null, tiers: [], ...fields,
  });
  const tier = (above: number, fields: Partial<PriceTier>): PriceTier => ({
    above_tokens: above, input: null, output: null, cache_read: null, cache_write: null, reasoning: null, ...fields,
  });

  test('every dimension whose price differs, in the base list, long-context tiers and service tiers, with values as stored', () => {
    const before = price({ input: '3', output: '15', tiers: [tier(200000, { input: '6' })] });
    const after = price({
      input: '3', output: '15.5', cache_read: '0.3', tiers: [tier(200000, { input: '6.5' })], extra: { web_search_requests: '0.01' },
      service_tiers: { batch: { ...price({ input: '1.5' }), tiers: [] } },
    });

    expect(changedDimensions(before, after)).toEqual({
      output: { old: '15', new: '15.5' },
      cache_read: { old: null, new: '0.3' },
      web_search_requests: { old: null, new: '0.01' },
      'tier>200000.input': { old: '6', new: '6.5' },
      'batch.input': { old: null, new: '1.5' },
    });
    expect(changedDimensions(null, price({ input: '1' }))).toEqual({ state: { old: null, new: 'priced' }, input: { old: null, new: '1' } });
  });
});

describe('secrets at rest', () => {
  test('a secret decrypts only with its key and for its own endpoint', () => {
    const key = Buffer.from(TEST_WEBHOOK_KEY, 'hex');
    const secret = generateSecret();
    const stored = encryptSecret(key, 'endpoint-a', secret);

    expect(stored.includes(Buffer.from(secret))).toBe(false);
    expect(decryptSecret(key, 'endpoint-a', stored)).toBe(secret);
    expect(() => decryptSecret(key, 'endpoint-b', stored)).toThrow(/cannot decrypt/);
    expect(() => decryptSecret(Buffer.alloc(32, 1), 'endpoint-a', stored)).toThrow(/cannot decrypt/);
  });
});

describe('the secret key', () => {
  test('the embedded start (no DATABASE_URL, no WEBHOOK_SECRET_KEY) generates one key beside the data directory, readable only by its owner, and keeps it', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tariff-webhook-key-'));
    try {
      const config = { WEBHOOK_SECRET_KEY: undefined, DATABASE_URL: undefined, EMBEDDED_POSTGRES_DIR: path.join(dir, 'postgres') };
      const first = loadWebhookKey(config);
      const second = loadWebhookKey(config);

      expect(first).toMatchObject({ source: 'embedded key file' });
      expect(first!.key).toHaveLength(32);
      expect(second!.key.equals(first!.key)).toBe(true);
      expect((await stat(`${config.EMBEDDED_POSTGRES_DIR}.webhook-key`)).mode & 0o777).toBe(0o600);
      expect(loadWebhookKey({ ...config, DATABASE_URL: 'postgres://db/tariff' })).toBeUndefined();
      expect(loadWebhookKey({ ...config, WEBHOOK_SECRET_KEY: TEST_WEBHOOK_KEY })).toEqual({ key: Buffer.from(TEST_WEBHOOK_KEY, 'hex'), source: 'WEBHOOK_SECRET_KEY' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('a delivery to a host that resolves to a private address', () => {
  let db: TestDatabase;
  let pool: Pool;
  let receiver: Receiver;

  beforeAll(async () => {
    db = await createTestDatabase();
    pool = createPool({ connectionString: db.url, max: 2, applicationName: 'webhook-address-test', logger: testLogger() });
    receiver = await startReceiver();
  });

  afterAll(async () => {
    await pool.end();
    await receiver.close();
    await db.drop();
  });

  test('is refused at send time when private addresses are not allowed, and the receiver hears nothing', async () => {
    const config = testConfig(db.url, undefined, { ...WEBHOOK_TEST_ENV, WEBHOOK_ALLOW_PRIVATE: 'false' });
    const key = Buffer.from(TEST_WEBHOOK_KEY, 'hex');
    // Saved as if its name had resolved to a public address then: only the delivery-time check stands in the way.
    const endpoint = await createEndpoint(pool, key, { url: receiver.url.replace('127.0.0.1', 'localhost'), events: ['price.changed'] });
    const { delivery_id: deliveryId } = await enqueuePing(pool, endpoint.id);

    const outcome = await deliver({ pool, config, logger: testLogger(), key }, deliveryId);

    expect(outcome).toBe('failed');
    expect(receiver.received).toHaveLength(0);
    const { rows } = await pool.query('select status, last_error, last_status_code from webhook_deliveries where id = $1', [deliveryId]);
    expect(rows[0]).toEqual({ status: 'failed', last_status_code: null, last_error: expect.stringMatching(/localhost resolves to 127\.0\.0\.1/) });

    const literal = await createEndpoint(pool, key, { url: receiver.url, events: ['price.changed'] });
    const ping = await enqueuePing(pool, literal.id);
    expect(await deliver({ pool, config, logger: testLogger(), key }, ping.delivery_id)).toBe('failed');
    expect(receiver.received).toHaveLength(0);
  });
});
