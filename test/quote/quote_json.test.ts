// The quote answer (quoteJson) is JSON text in ASCII: it must be exactly the
// text JSON.stringify gives for the answer object, with non-ASCII characters
// written as \u escapes (writeReply sends it one byte per character), and
// parse to exactly what JSON.stringify of that object gives. The object is
// spelled out here from quote() and the presenters; fast-check generates
// usages, ids with non-ASCII and control characters, and picks real entries
// with every service tier and long-context tier.
import fc from 'fast-check';
import {
  asciiJson, type CatalogEntry, CatalogView, convert, type ExchangeRate, findModel, presentEntry, presentRate, type PriceRecord, quote, QuoteError, quoteJson,
  type QuoteRequest, type QuoteUsage, SERVICE_TIERS, type ServiceTier, sheetPrices, type UnitId,
} from '@tariff/pricing';
import { readFileSync } from 'node:fs';
import { parseGenaiPrices } from '../../src/sources/genai_prices.ts';
import { parseLiteLlm } from '../../src/sources/litellm.ts';
import { GENAI_PRICES, LITELLM, fixturePayload } from '../sources/fixtures.ts';
import { snapshotView } from './catalog.ts';

const ZAR: ExchangeRate = { base: 'USD', quote: 'ZAR', rate: '18.2345', market_time: '2026-11-01T00:00:00.000Z', source: 'yahoo_finance' };
const ASCII = /^[\u0000-\u007f]*$/;

let base: CatalogView;
/**
 * Real entries, from the snapshot and from the upstream fixtures that carry
 * service tiers (LiteLLM, genai-prices): some with each service tier, some
 * with long-context tiers (plain and within a service tier), some plain.
 */
let entries: CatalogEntry[];
beforeAll(async () => {
  base = await snapshotView();
  const served = (record: PriceRecord): CatalogEntry => ({
    ...record, provider: 'openai', source: 'test', effective_at: base.changedAt, last_seen_at: null, removed_at: null, override_reason: null,
  });
  const all = [
    ...[...base.byProvider.values()].flatMap((models) => [...models.values()]),
    ...[parseLiteLlm(fixturePayload(LITELLM), 'openai'), parseGenaiPrices(fixturePayload(GENAI_PRICES), 'openai')].flatMap((result) => result.records.map(served)),
  ].filter((entry) => entry.state === 'priced' || entry.state === 'free');
  const some = (keep: (entry: CatalogEntry) => boolean) => all.filter(keep).slice(0, 4);
  entries = [
    ...SERVICE_TIERS.filter((tier) => tier !== 'standard').flatMap((tier) => some((entry) => entry.service_tiers?.[tier] !== undefined)),
    ...some((entry) => entry.tiers.length > 0),
    ...some((entry) => Object.values(entry.service_tiers ?? {}).some((list) => list.tiers.length > 0)),
    ...some((entry) => entry.tiers.length === 0 && !entry.service_tiers),
  ];
});

test('the entries the properties draw from cover every service tier and long-context tiers', () => {
  for (const tier of SERVICE_TIERS.filter((t) => t !== 'standard')) expect(entries.some((entry) => entry.service_tiers?.[tier])).toBe(true);
  expect(entries.some((entry) => entry.tiers.length > 0)).toBe(true);
});

/** The answer quoteJson writes, as an object: what JSON.stringify of it gives is the reference. */
function answerObject(view: CatalogView, request: QuoteRequest & { model: string; usage: QuoteUsage }, stale: boolean) {
  const { entry, matched_by } = findModel(view, request.provider, request.model);
  const result = quote(entry, request.usage, request.at);
  const rate = request.currency ? view.rates.get(`USD/${request.currency}`)! : undefined;
  return {
    provider: request.provider,
    model_id: entry.model_id,
    requested_model_id: request.model,
    matched_by,
    catalog_version: view.version,
    stale,
    ...(request.at ? { at: request.at.toISOString() } : {}),
    usage: result.usage,
    service_tier: result.service_tier.name,
    ...(result.service_tier.fallback.length > 0 ? { service_tier_fallback: result.service_tier.fallback } : {}),
    tier: result.tier,
    components: result.components,
    total_usd: result.total_usd,
    ...(rate ? { currency: rate.quote, total: convert(result.total_usd, rate.rate), exchange_rate: presentRate(rate) } : {}),
    price: presentEntry(entry),
  };
}

/** Any UTF-16 code unit: control characters, quotes, backslashes, lone surrogates, non-ASCII. */
const anyUnit = fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code));
/** Ids and names as upstreams may send them: ASCII, any code point, any code unit, or the characters JSON must escape. */
const text = fc.oneof(
  fc.string({ minLength: 1, maxLength: 30 }),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }),
  fc.string({ unit: anyUnit, minLength: 1, maxLength: 30 }),
  fc.string({ unit: fc.constantFrom('"', '\\', '\u0000', '\u001f', '\u007f', '\u2028', '\u2029', 'é', '€', '\u{1F600}', '\ud800', 'a'), minLength: 1, maxLength: 30 }),
);
const count = fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 5_000_000 }), fc.maxSafeNat());

/** A usage of the units the entry prices, with prompts around its long-context thresholds, and one of its service tiers. */
function usageFor(entry: CatalogEntry): fc.Arbitrary<QuoteUsage> {
  const units = [...new Set<UnitId>(['input_tokens', 'output_tokens', ...Object.keys(sheetPrices(entry)) as UnitId[]])];
  const thresholds = [entry, ...Object.values(entry.service_tiers ?? {})].flatMap((list) => list.tiers.map((tier) => tier.above_tokens));
  const prompt = thresholds.length > 0
    ? fc.oneof(fc.constantFrom(...thresholds.flatMap((t) => [t, t + 1])), fc.integer({ min: 0, max: 2 * Math.max(...thresholds) }))
    : fc.integer({ min: 0, max: 5_000_000 });
  const tiers: Array<ServiceTier | undefined> = [undefined, 'standard', ...Object.keys(entry.service_tiers ?? {}) as ServiceTier[]];
  return fc.record({
    counts: fc.record(Object.fromEntries(units.map((unit) => [unit, count])) as Record<UnitId, fc.Arbitrary<number>>, { requiredKeys: [] }),
    input: prompt,
    output: count,
    service_tier: fc.constantFrom(...tiers),
  }).map(({ counts, input, output, service_tier }) => ({
    ...counts, input_tokens: input, output_tokens: output, ...(service_tier === undefined ? {} : { service_tier }),
  }));
}

test('over generated usages, ids and names, every service tier and long-context tier: the ASCII text of JSON.stringify of the answer', () => {
  let quoted = 0;
  let tiered = 0;
  const serviceTiers = new Set<string>();
  fc.assert(fc.property(
    fc.integer({ min: 0, max: entries.length - 1 }).chain((i) => fc.record({
      entry: fc.constant(entries[i]!), usage: usageFor(entries[i]!), provider: text, model_id: text, name: text,
      currency: fc.constantFrom(undefined, 'ZAR'), at: fc.option(fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }), { nil: undefined }),
      stale: fc.boolean(), version: fc.nat(),
    })),
    ({ entry, usage, provider, model_id, name, currency, at, stale, version }) => {
      const renamed: CatalogEntry = { ...entry, provider, model_id, name };
      const view = new CatalogView({ version, changed_at: base.changedAt, providers: [], entries: [renamed], rates: [ZAR] });
      const request = { provider, model: model_id, usage, currency, at };
      let json: string;
      try {
        json = asciiJson(JSON.stringify(answerObject(view, request, stale)));
      } catch (err) {
        // A bucket the entry cannot bill in the tier asked for: quoteJson refuses it alike.
        expect(err).toBeInstanceOf(QuoteError);
        expect(() => quoteJson(view, request, stale)).toThrow(QuoteError);
        return;
      }
      const answer = quoteJson(view, request, stale);
      expect(answer).toMatch(ASCII);
      expect(answer).toBe(json);
      expect(JSON.parse(answer)).toEqual(JSON.parse(JSON.stringify(answerObject(view, request, stale))));
      expect(JSON.parse(answer)).toMatchObject({ provider, model_id, requested_model_id: model_id, price: { name } });
      quoted++;
      if (JSON.parse(answer).tier !== null) tiered++;
      serviceTiers.add(JSON.parse(answer).service_tier);
    },
  ), { numRuns: 400, seed: 18 });
  // The runs above quoted (not only refused), across long-context tiers and every service tier.
  expect(quoted).toBeGreaterThan(200);
  expect(tiered).toBeGreaterThan(0);
  expect([...serviceTiers].sort()).toEqual([...SERVICE_TIERS].sort());
});

/** OpenRouter's usage accounting example (test/fixtures/responses/README.md names its source). */
const openrouter = JSON.parse(readFileSync(new URL('../fixtures/responses/openrouter/usage_accounting.json', import.meta.url), 'utf8')) as { body: Record<string, unknown> };

test('a quote from a response body carries its format and reported cost, in the same text', async () => {
  const view = new CatalogView({ version: 7, changed_at: base.changedAt, providers: [], entries: [...base.byProvider.values()].flatMap((m) => [...m.values()]), rates: [ZAR] });
  const answer = quoteJson(view, { provider: 'openrouter', model: 'anthropic/claude-sonnet-4.5', response: openrouter.body, format: 'openrouter' }, false);
  expect(answer).toMatch(ASCII);
  expect(answer).toBe(asciiJson(JSON.stringify(JSON.parse(answer))));
  expect(JSON.parse(answer)).toMatchObject({ format: 'openrouter', reported_cost_usd: expect.any(String) });
});

test('asciiJson writes the same JSON value in ASCII', () => {
  fc.assert(fc.property(fc.jsonValue(), fc.string({ unit: anyUnit }), (value, key) => {
    const json = asciiJson(JSON.stringify({ [key]: value }));
    expect(json).toMatch(ASCII);
    expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify({ [key]: value })));
  }), { seed: 18 });
  expect(asciiJson('{"a":"plain"}')).toBe('{"a":"plain"}');
});
