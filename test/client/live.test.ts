// A live client against a real API instance and real syncs: it answers a
// changed price once the sync commits; with the instance gone it keeps quoting,
// stale; an instance started again catches it up with a delta, not a reload.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Tariff, type ChangeEvent } from '@tariff/client';
import { startApi, type ApiInstance } from '../../src/service.ts';
import { testConfig } from '../support/stack.ts';
import { costOf, logger, startServingStack, type ServingStack } from '../serving/helpers.ts';
import { until } from '../support/poll.ts';

let stack: ServingStack;
const dir = mkdtempSync(path.join(tmpdir(), 'tariff-client-'));

beforeAll(async () => {
  stack = await startServingStack();
});

afterAll(async () => {
  await stack.release();
  rmSync(dir, { recursive: true, force: true });
});

// Below the model's long-context threshold: the total is the input price ÷ 10.
const usage = { input_tokens: 100_000, output_tokens: 0 };
const inputPrice = (tariff: Tariff) => tariff.quote({ provider: 'anthropic', model: 'claude-sonnet-4-5', usage }).total_usd;

test('a live client follows a sync, stays usable and stale while the instance is down, and catches up by delta after a restart', async () => {
  const first = await stack.startInstance();
  const cacheFile = path.join(dir, 'catalog.json');
  const tariff = await Tariff.connect(first.baseUrl, { live: true, cacheFile, minBackoffMs: 20, maxBackoffMs: 200 });
  const changes: ChangeEvent[] = [];
  let restarted: ApiInstance | undefined;
  tariff.on('change', (change) => changes.push(change));
  try {
    await until('the change stream to open', async () => (first.changes.size > 0 ? true : undefined));
    await stack.syncModelsDev('anthropic', (payload) => {
      costOf(payload, 'anthropic', 'claude-sonnet-4-5').input = 3.9;
    });
    await until('the client to answer the new price', async () => (inputPrice(tariff) === '0.39' ? true : undefined));
    expect(changes.at(-1)).toMatchObject({ full: false, changed: expect.arrayContaining([{ provider: 'anthropic', model_id: 'claude-sonnet-4-5' }]) });
    expect(tariff.stale).toBe(false);

    await first.stop();
    await until('the client to notice', async () => (tariff.stale ? true : undefined));
    const stale = tariff.quote({ provider: 'anthropic', model: 'claude-sonnet-4-5', usage });
    expect(stale).toMatchObject({ total_usd: '0.39', stale: true });

    await stack.syncModelsDev('anthropic', (payload) => {
      costOf(payload, 'anthropic', 'claude-sonnet-4-5').input = 4.1;
    });
    // The client knows only the instance it was given: started again on the same port.
    const again = await startApi({ url: stack.db.url, config: testConfig(stack.db.url, stack.upstream), logger, port: first.port });
    restarted = again;
    await until('the client to catch up', async () => (inputPrice(tariff) === '0.41' ? true : undefined));
    expect(tariff.stale).toBe(false);
    expect(changes.at(-1)).toMatchObject({ full: false, version: again.catalog.current.version });
    expect(changes.every((change) => !change.full)).toBe(true);

    // With the server gone, a client starts from the cache file the live one kept
    // (written after each change is applied: close() waits for the last write).
    await tariff.close();
    await again.stop();
    const offline = await Tariff.connect(again.baseUrl, { cacheFile });
    expect(offline.version).toBe(tariff.version);
    expect(offline.stale).toBe(true);
    expect(inputPrice(offline)).toBe('0.41');
    await expect(Tariff.connect(again.baseUrl)).rejects.toThrow(`${again.baseUrl}/costs?since=0`);
  } finally {
    await tariff.close();
    await restarted?.stop();
  }
});
