// The quote answer is written by hand on the hot path: it must be exactly the
// text JSON.stringify gives for the same object, whatever the request holds.
import { CatalogView } from '../../src/cache/catalog.ts';
import { jsonString, quoteJson, type QuoteRequest } from '../../src/serving/quote.ts';
import { responseBodies } from '../../scripts/bench/responses.ts';
import { snapshotView } from './catalog.ts';

let view: CatalogView;
beforeAll(async () => {
  const base = await snapshotView();
  const entries = [...base.byProvider.values()].flatMap((models) => [...models.values()]);
  view = new CatalogView({
    version: 7, changed_at: base.changedAt, providers: [], entries,
    rates: [{ base: 'USD', quote: 'ZAR', rate: '18.2345', market_time: '2026-11-01T00:00:00.000Z', source: 'yahoo_finance' }],
  });
});

const openrouter = responseBodies().find((body) => body.name === 'openrouter/usage_accounting')!;
const requests: Array<[string, QuoteRequest]> = [
  ['usage', { provider: 'anthropic', model: 'claude-sonnet-4-5', usage: { input_tokens: 1200, output_tokens: 350, cache_read_tokens: 4000 } }],
  ['a dated id, a currency and a time', {
    provider: 'openai', model: 'gpt-4o-2024-08-06', currency: 'ZAR', at: new Date('2026-01-31T12:00:00Z'),
    usage: { input_tokens: 10, output_tokens: 5, service_tier: 'standard' },
  }],
  ['a case-folded id, resolved as an alias', {
    provider: 'openrouter', model: 'Anthropic/Claude-Sonnet-4.5', usage: { input_tokens: 1, output_tokens: 1 },
  }],
  ['a response with a reported cost', { provider: 'openrouter', model: 'anthropic/claude-sonnet-4.5', response: openrouter.exact as Record<string, unknown>, format: 'openrouter' }],
];

test.each(requests)('%s: the text JSON.stringify gives', (_name, request) => {
  const text = quoteJson(view, request, false);
  expect(text).toBe(JSON.stringify(JSON.parse(text)));
});

test('a string is written exactly as JSON.stringify writes it, escaped where JSON escapes', () => {
  for (const text of ['gpt-4o', 'anthropic/claude-sonnet-4.5:free', 'no"such\\model', 'tab\there', '\u0000', 'lone \ud800', 'pair \ud83d\ude00', 'line\u2028sep', 'ünïcode']) {
    expect(jsonString(text)).toBe(JSON.stringify(text));
  }
});
