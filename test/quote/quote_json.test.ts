// The quote answer is written by hand on the hot path: it must be exactly the
// text JSON.stringify gives for the same object, whatever the request holds,
// but for non-ASCII characters, which it writes as \u escapes so that the
// answer is all ASCII (writeReply sends it one byte per character).
import { asciiJson, CatalogView, jsonString, quoteJson, type QuoteRequest } from '@tariff/pricing';
import { responseBodies } from '../../scripts/support/responses.ts';
import { snapshotView } from './catalog.ts';

/** A model whose id and name are not ASCII: upstream names can hold any character (models.dev has an en dash). */
const UNICODE_ID = 'modèle-€-\u{1F600}';
const UNICODE_NAME = 'Modèle – “quoted” \u2028 \u{1F600}';

let view: CatalogView;
beforeAll(async () => {
  const base = await snapshotView();
  const entries = [...base.byProvider.values()].flatMap((models) => [...models.values()]);
  const sonnet = base.byProvider.get('anthropic')!.get('claude-sonnet-4-5')!;
  entries.push({ ...sonnet, model_id: UNICODE_ID, name: UNICODE_NAME });
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
  ['a model whose id and name are not ASCII', { provider: 'anthropic', model: UNICODE_ID, usage: { input_tokens: 1, output_tokens: 1 }, currency: 'ZAR' }],
];

const ASCII = /^[\u0000-\u007f]*$/;

test.each(requests)('%s: the text JSON.stringify gives, with non-ASCII escaped', (_name, request) => {
  const text = quoteJson(view, request, false);
  expect(text).toMatch(ASCII);
  expect(text).toBe(asciiJson(JSON.stringify(JSON.parse(text))));
});

test('non-ASCII ids and names reach the caller as they are', () => {
  const answer = JSON.parse(quoteJson(view, requests.at(-1)![1], false));
  expect(answer).toMatchObject({ model_id: UNICODE_ID, requested_model_id: UNICODE_ID, price: { model_id: UNICODE_ID, name: UNICODE_NAME } });
});

const STRINGS = ['gpt-4o', 'anthropic/claude-sonnet-4.5:free', 'no"such\\model', 'tab\there', '\u0000', '\u007f', 'lone \ud800', 'lone \udfff end',
  'pair \ud83d\ude00', 'line\u2028sep', 'ünïcode', '\u0080\u00ff\u0100\uffff'];

test('a string is written as JSON.stringify writes it, escaped where JSON escapes, and non-ASCII as \\u escapes', () => {
  for (const text of STRINGS) {
    const json = jsonString(text);
    expect(json).toMatch(ASCII);
    expect(JSON.parse(json)).toBe(text);
    if (ASCII.test(text)) expect(json).toBe(JSON.stringify(text));
  }
  expect(jsonString('pair \ud83d\ude00')).toBe('"pair \\ud83d\\ude00"');
});

test('asciiJson writes the same JSON value in ASCII', () => {
  const value = { strings: STRINGS, nested: { 'kéy €': [1, 'x', null, { '\u{1F600}': true }] } };
  const json = asciiJson(JSON.stringify(value));
  expect(json).toMatch(ASCII);
  expect(JSON.parse(json)).toEqual(value);
  expect(asciiJson('{"a":"plain"}')).toBe('{"a":"plain"}');
});
