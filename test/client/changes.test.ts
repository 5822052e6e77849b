// GET /costs/changes and GET /costs?since= over real HTTP, with real syncs
// committing real price changes.
import { connect } from 'node:net';
import { type CatalogEntry } from '@tariff/pricing';
import type { CatalogDeltaBody } from '../../packages/client/src/catalog.ts';
import { catalogVersion, costOf, request, servingInstance } from '../serving/helpers.ts';
import { openStream } from './stream.ts';
import { until } from '../support/poll.ts';

const serving = servingInstance();

const find = (body: CatalogDeltaBody, provider: string, model: string): CatalogEntry | undefined =>
  body.changed.find((entry) => entry.provider === provider && entry.model_id === model);

describe('GET /costs?since=', () => {
  test('since=0 answers every model the instance serves, under GET /costs\'s ETag, and 304 when unchanged', async () => {
    const { api } = serving;
    const view = api.catalog.current;
    const res = await request<CatalogDeltaBody>(api.baseUrl, '/costs?since=0');
    expect(res.status).toBe(200);
    expect(res.body.catalog_version).toBe(view.version);
    expect(res.body.changed).toHaveLength(view.modelCount);
    expect(res.body.removed).toEqual([]);
    expect(res.headers.get('etag')).toBe(view.costsEtag);
    const again = await request(api.baseUrl, '/costs?since=0', { headers: { 'if-none-match': view.costsEtag } });
    expect(again.status).toBe(304);
  });

  test('after a sync, the delta names the changed model with its new record, and nothing else of that provider', async () => {
    const { api, stack } = serving;
    const before = api.catalog.current.version;
    await stack.syncModelsDev('anthropic', (payload) => {
      costOf(payload, 'anthropic', 'claude-sonnet-4-5').input = 3.7;
    });
    const after = await catalogVersion(stack.pool);
    await waitForVersion(api.baseUrl, after);
    const delta = await request<CatalogDeltaBody>(api.baseUrl, `/costs?since=${before}`);
    expect(delta.status).toBe(200);
    expect(delta.body).toMatchObject({ catalog_version: after, since: before });
    expect(find(delta.body, 'anthropic', 'claude-sonnet-4-5')).toMatchObject({ input: '3.7' });
    const full = await request<CatalogDeltaBody>(api.baseUrl, '/costs?since=0');
    expect(delta.body.changed.length).toBeLessThan(full.body.changed.length);
    expect(await request(api.baseUrl, `/costs?since=${after}`)).toMatchObject({ status: 200, body: { changed: [], removed: [] } });
  });

  test('since with another query parameter, or not a version, is a 400 naming it', async () => {
    const { api } = serving;
    expect(await request(api.baseUrl, '/costs?since=3&provider=openai')).toMatchObject({ status: 400, body: { error: { code: 'invalid_request', details: { fields: [{ field: 'query.provider' }] } } } });
    expect(await request(api.baseUrl, '/costs?since=-1')).toMatchObject({ status: 400, body: { error: { details: { fields: [{ field: 'query.since' }] } } } });
    expect(await request(api.baseUrl, '/costs?since=')).toMatchObject({ status: 400 });
  });
});

describe('GET /costs/changes', () => {
  test('a committed sync reaches an open stream as a catalog event with the version as id and the changed model', async () => {
    const { api, stack } = serving;
    const stream = await openStream(api.baseUrl);
    try {
      expect(stream.status).toBe(200);
      expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
      expect(stream.headers.get('x-content-type-options')).toBe('nosniff');
      const before = api.catalog.current.version;
      await stack.syncModelsDev('anthropic', (payload) => {
        costOf(payload, 'anthropic', 'claude-opus-4-1').output = 77;
      });
      const event = await stream.next();
      expect(event.event).toBe('catalog');
      const data = JSON.parse(event.data) as { version: number; previous: number; changed: unknown[]; removed: unknown[] };
      expect(event.id).toBe(String(data.version));
      expect(data.previous).toBe(before);
      expect(data.version).toBe(await catalogVersion(stack.pool));
      expect(data.changed).toContainEqual({ provider: 'anthropic', model_id: 'claude-opus-4-1' });
    } finally {
      stream.close();
    }
  });

  test('a client resuming with Last-Event-ID (or ?since=) first gets what it missed, coalesced into one event', async () => {
    const { api, stack } = serving;
    const from = api.catalog.current.version;
    await stack.syncModelsDev('anthropic', (payload) => {
      costOf(payload, 'anthropic', 'claude-sonnet-4-5').output = 16;
    });
    await stack.syncModelsDev('google', (payload) => {
      costOf(payload, 'google', 'gemini-2.5-flash').output = 2.7;
    });
    const now = await catalogVersion(stack.pool);
    await waitForVersion(api.baseUrl, now);
    for (const resume of [{ lastEventId: from }, { since: from }]) {
      const stream = await openStream(api.baseUrl, resume);
      try {
        const event = await stream.next();
        const data = JSON.parse(event.data) as { version: number; previous: number; changed: unknown[] };
        expect({ event: event.event, id: event.id, version: data.version, previous: data.previous }).toEqual({ event: 'catalog', id: String(now), version: now, previous: from });
        expect(data.changed).toEqual(expect.arrayContaining([
          { provider: 'anthropic', model_id: 'claude-sonnet-4-5' }, { provider: 'google', model_id: 'gemini-2.5-flash' },
        ]));
      } finally {
        stream.close();
      }
    }
  });

  test('an instance started later resumes a client from the database\'s changes; past what the database keeps, reset and 410', async () => {
    const { api, stack } = serving;
    const from = api.catalog.current.version;
    await stack.syncModelsDev('anthropic', (payload) => {
      costOf(payload, 'anthropic', 'claude-opus-4-1').input = 16;
    });
    const restarted = await stack.startInstance();
    const now = restarted.catalog.current.version;
    const resumed = await openStream(restarted.baseUrl, { lastEventId: from });
    try {
      const event = await resumed.next();
      expect(event.event).toBe('catalog');
      expect(JSON.parse(event.data)).toMatchObject({ version: now, previous: from, changed: [{ provider: 'anthropic', model_id: 'claude-opus-4-1' }] });
    } finally {
      resumed.close();
    }
    // As if thousands of versions had passed and their changes were pruned.
    await stack.pool.query('update catalog_version set changes_since = version');
    await stack.pool.query('delete from catalog_changes');
    const gone = await request(restarted.baseUrl, `/costs?since=${from}`);
    expect(gone).toMatchObject({ status: 410, body: { error: { code: 'since_unavailable', details: { catalog_version: now } } } });
    const reset = await openStream(restarted.baseUrl, { lastEventId: from });
    try {
      const event = await reset.next();
      expect({ event: event.event, id: event.id }).toEqual({ event: 'reset', id: String(now) });
    } finally {
      reset.close();
    }
  });

  test('idle streams get comment heartbeats, a client over the unsent-bytes bound is cut (and counted), and shutdown ends streams', async () => {
    const { stack } = serving;
    const instance = await stack.startInstance({ CHANGES_HEARTBEAT_MS: '20' });
    const raw = await rawStream(instance.port);
    await raw.waitFor((text) => text.split(':\n\n').length > 2);
    const streamOpen = await openStream(instance.baseUrl);
    // No heartbeat before the sync's event: the event is what passes the bound.
    const bounded = await stack.startInstance({ CHANGES_MAX_BUFFER_BYTES: '1', CHANGES_HEARTBEAT_MS: '3600000' });
    const cut = await openStream(bounded.baseUrl);
    expect(await streamsCut(bounded.baseUrl)).toBe(0);
    await stack.syncModelsDev('anthropic', (payload) => {
      costOf(payload, 'anthropic', 'claude-sonnet-4-5').input = 3.8;
    });
    // Its first event is more than one byte: the stream is cut rather than buffered, while a stream under the default bound gets it.
    await expect(cut.ended()).resolves.toBe('cut');
    expect(await streamsCut(bounded.baseUrl)).toBe(1);
    expect(bounded.changes.size).toBe(0);
    expect((await streamOpen.next()).event).toBe('catalog');
    expect(await streamsCut(instance.baseUrl)).toBe(0);
    await instance.stop();
    await expect(streamOpen.ended()).resolves.toBe('ended');
    await raw.closed;
    expect(raw.text()).toMatch(/\r\n0\r\n\r\n$/);
  });
});

/** tariff_change_streams_cut_total as the instance's GET /metrics reports it. */
async function streamsCut(baseUrl: string): Promise<number> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const line = /^tariff_change_streams_cut_total (\d+)$/m.exec(text);
  if (!line) throw new Error('GET /metrics has no tariff_change_streams_cut_total');
  return Number(line[1]);
}

/** A stream read from a raw socket, its text as received. */
async function rawStream(port: number) {
  const socket = connect(port, '127.0.0.1');
  let text = '';
  const waiters: Array<() => void> = [];
  socket.setEncoding('utf8');
  socket.on('data', (chunk: string) => {
    text += chunk;
    for (const wake of waiters.splice(0)) wake();
  });
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  socket.write('GET /costs/changes HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
  return {
    closed,
    text: () => text,
    async waitFor(test: (text: string) => boolean) {
      while (!test(text)) await new Promise<void>((resolve) => waiters.push(resolve));
    },
  };
}

async function waitForVersion(baseUrl: string, version: number): Promise<void> {
  await until(`${baseUrl} to serve catalog version ${version}`, async () =>
    (await request<{ catalog_version: number }>(baseUrl, '/costs?since=0')).body.catalog_version >= version, { everyMs: 20 });
}
