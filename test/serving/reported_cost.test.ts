// POST /costs/quote of a response that reports its cost (OpenRouter's usage
// accounting example, test/fixtures/responses/openrouter/usage_accounting.json,
// which names its source): the answer carries the call's whole reported cost
// and tariff's total minus it, exactly; GET /metrics has the relative delta per
// provider, and a delta above 1% is logged with the model and both totals.
import { readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import pino from 'pino';
import { startApi, type ApiInstance } from '../../src/service.ts';
import { until } from '../support/poll.ts';
import { request, startServingStack, type ServingStack } from './helpers.ts';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/responses/openrouter/usage_accounting.json', import.meta.url), 'utf8')) as
  { body: { usage: Record<string, unknown> } };
const MODEL = 'anthropic/claude-sonnet-4.5';

type Answer = { total_usd: string; reported_cost_usd?: string; reported_delta_usd?: string };

let stack: ServingStack;
let api: ApiInstance;
const lines: Array<Record<string, unknown>> = [];

beforeAll(async () => {
  stack = await startServingStack();
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  api = await startApi({ url: stack.db.url, config: stack.config, logger: pino({ level: 'warn' }, sink), port: 0 });
  await until('the first catalog load', async () => (api.catalog.loaded ? true : undefined));
});

afterAll(async () => {
  await api?.stop();
  await stack?.release();
});

/** The documented body with its usage edited as `usage` says, posted as JSON text (numbers as written). */
function post(usage: Record<string, unknown>, path = '/costs/quote') {
  const body = JSON.stringify({ provider: 'openrouter', model: MODEL, response: { ...fixture.body, usage: { ...fixture.body.usage, ...usage } } });
  return request<Answer>(api.baseUrl, path, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
}

const warnings = () => lines.filter((line) => line.msg === 'quoted total differs from the reported cost by more than 1%');

test('the documented body: reported_cost_usd is usage.cost, and reported_delta_usd is the total minus it, exactly', async () => {
  const answer = await post({});
  expect(answer.status).toBe(200);
  // 94 input × $3 + 100 cache writes × $3.75 + 2 output × $15, per 1M tokens
  expect(answer.body.total_usd).toBe('0.000687');
  expect(answer.body).toMatchObject({ reported_cost_usd: '0.95', reported_delta_usd: '-0.949313' });
  expect(warnings()).toContainEqual(expect.objectContaining({
    provider: 'openrouter', model: 'anthropic/claude-sonnet-4.5', total_usd: '0.000687', reported_cost_usd: '0.95',
  }));
});

test('a BYOK call (is_byok: true) reports the upstream cost plus OpenRouter\'s fee as the call\'s cost, on both paths alike', async () => {
  const lean = await post({ is_byok: true });
  expect(lean.body).toMatchObject({ total_usd: '0.000687', reported_cost_usd: '19.95', reported_delta_usd: '-19.949313' });
  // A query string sends the quote through Express rather than the lean path.
  const express = await request<Answer>(api.baseUrl, '/costs/quote?', {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ provider: 'openrouter', model: MODEL, response: { ...fixture.body, usage: { ...fixture.body.usage, is_byok: true } } }),
  });
  expect(express.body).toEqual(lean.body);
});

test('a BYOK body without the upstream cost reports no cost, never the fee alone', async () => {
  const answer = await post({ is_byok: true, cost_details: {} });
  expect(answer.status).toBe(200);
  expect(answer.body).not.toHaveProperty('reported_cost_usd');
  expect(answer.body).not.toHaveProperty('reported_delta_usd');
});

test('a reported cost equal to the total is a zero delta, observed in /metrics and not logged', async () => {
  const before = warnings().length;
  const answer = await post({ cost: 0.000687 });
  expect(answer.body).toMatchObject({ reported_cost_usd: '0.000687', reported_delta_usd: '0' });
  expect(warnings()).toHaveLength(before);
  const metrics = await (await fetch(`${api.baseUrl}/metrics`)).text();
  // Three quotes so far reported a cost: 0.95 and 19.95 (about -100%), and this one (0).
  expect(metrics).toMatch(/^tariff_quote_reported_cost_relative_delta_count\{provider="openrouter"\} 4$/m);
  expect(metrics).toMatch(/^tariff_quote_reported_cost_relative_delta_bucket\{le="-0.1",provider="openrouter"\} 3$/m);
  expect(metrics).toMatch(/^tariff_quote_reported_cost_relative_delta_bucket\{le="0",provider="openrouter"\} 4$/m);
});
