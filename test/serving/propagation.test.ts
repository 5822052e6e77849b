// Two API instances, each with its own LISTEN connection, and syncs that change
// prices: both instances serve every change, and the time from the sync's
// commit until both serve it is measured and reported (not asserted).
import { performance } from 'node:perf_hooks';
import type { ApiInstance } from '../../src/service.ts';
import { catalogVersion, costOf, request, startServingStack, type ModelBody, type ServingStack } from './helpers.ts';
import { until } from '../support/poll.ts';

const MODEL_PATH = '/costs/anthropic/claude-sonnet-4-5';

let stack: ServingStack;
let first: ApiInstance;
let second: ApiInstance;

beforeAll(async () => {
  stack = await startServingStack();
  first = await stack.startInstance();
  second = await stack.startInstance();
  await until('both listeners to connect', async () => (first.listener.connected && second.listener.connected ? true : undefined));
});

afterAll(async () => {
  await stack.release();
});

/** Milliseconds from `since` until `api` serves `input` for claude-sonnet-4-5, polling as fast as HTTP answers. */
async function servedAfter(api: ApiInstance, input: string, since: number): Promise<number> {
  return until(`${api.baseUrl} to serve claude-sonnet-4-5 input ${input}`, async () => {
    const { body } = await request<ModelBody>(api.baseUrl, MODEL_PATH);
    return body.input_cost_per_1m_tokens === input ? performance.now() - since : undefined;
  }, { deadlineMs: 30_000, everyMs: 1 });
}

describe('a price change reaching every API instance', () => {
  test('each instance holds a LISTEN connection of its own', async () => {
    const { rows } = await stack.pool.query<{ n: number }>(`
      select count(*)::int as n from pg_stat_activity
       where application_name = 'tariff-api-listener' and datname = current_database()`);

    expect(rows[0]?.n).toBe(2);
  });

  test('both instances serve each new price after the sync commits; the time it took is measured and reported', async () => {
    const rounds: { input: string; first_ms: number; second_ms: number; both_ms: number }[] = [];

    for (const input of ['3.3', '3.45', '3.6']) {
      await stack.syncModelsDev('anthropic', (payload) => {
        costOf(payload, 'anthropic', 'claude-sonnet-4-5').input = Number(input);
      });
      const committed = performance.now();
      const [firstMs, secondMs] = await Promise.all([servedAfter(first, input, committed), servedAfter(second, input, committed)]);
      rounds.push({ input, first_ms: round(firstMs), second_ms: round(secondMs), both_ms: round(Math.max(firstMs, secondMs)) });
    }

    const version = await catalogVersion(stack.pool);
    for (const api of [first, second]) {
      const { body } = await request<ModelBody>(api.baseUrl, MODEL_PATH);
      expect(body).toMatchObject({ catalog_version: version, input_cost_per_1m_tokens: '3.6', output_cost_per_1m_tokens: '15', stale: false });
    }
    process.stdout.write(`serving propagation, sync commit → both instances serve the new price: ${
      rounds.map((r) => `input ${r.input}: ${r.both_ms} ms (instances ${r.first_ms} / ${r.second_ms} ms)`).join('; ')}\n`);
  });
});

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
