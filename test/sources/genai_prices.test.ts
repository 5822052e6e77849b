import { calcPrice, type Provider } from '@pydantic/genai-prices';
import { firstMatching, priceAt, type PriceRecord } from '@tariff/pricing';
import { genaiPrices, parseGenaiPrices } from '../../src/sources/genai_prices.ts';
import { editedPayload, fixturePayload, fixtureText, recordOf } from './fixtures.ts';

const GENAI_PRICES = 'genai-prices-v2-data.json';
const payload = () => fixturePayload(GENAI_PRICES);
const plain = () => JSON.parse(fixtureText(GENAI_PRICES)) as Provider[];
const record = (provider: string, model: string) => recordOf(parseGenaiPrices(payload(), provider), model);

describe('parseGenaiPrices on the real genai-prices data', () => {
  test('every model of every provider becomes a record, in the provider\'s order', () => {
    for (const provider of plain()) {
      const result = parseGenaiPrices(payload(), provider.id);
      expect(result.skipped).toEqual([]);
      expect(result.records.map((r) => r.model_id)).toEqual(provider.models.map((m) => m.id));
      expect(result.records.map((r) => r.match_index)).toEqual(provider.models.map((_m, index) => index));
    }
    expect(genaiPrices.upstreamIds(payload())).toEqual(plain().map((p) => p.id));
  });

  test('prices per 1M tokens map 1:1, keep their exact literals, and carry the model\'s match rule', () => {
    expect(record('anthropic', 'claude-3-5-haiku-latest')).toMatchObject({
      state: 'priced', input: '0.8', output: '4', cache_read: '0.08', cache_write: '1', reasoning: null, request: null, tiers: [],
      match: { or: [{ starts_with: 'claude-3-5-haiku' }, { starts_with: 'claude-3.5-haiku' }] },
    });
  });

  test('audio prices go to the extra dimensions, and input modalities without a price of their own stay unpriced', () => {
    const realtime = record('openai', 'gpt-4o-mini-realtime-preview');
    expect(realtime).toMatchObject({
      input: '0.6', output: '2.4', cache_read: '0.3',
      extra: { input_audio_tokens: '10', cache_read_audio_tokens: '0.3', output_audio_tokens: '20' },
    });
    expect(realtime.extra?.input_image_tokens).toBeUndefined();
    expect(record('anthropic', 'claude-3-5-haiku-latest').extra?.input_audio_tokens).toBeUndefined();
  });

  test('requests_kcount (per 1,000 requests) becomes an exact price per request', () => {
    const raw = plain().flatMap((p) => p.models.map((m) => ({ provider: p.id, model: m })))
      .find(({ model }) => !Array.isArray(model.prices) && model.prices.requests_kcount !== undefined);
    if (!raw) throw new Error('the fixture has no requests_kcount price');
    const perThousand = String(raw.model.prices && !Array.isArray(raw.model.prices) ? raw.model.prices.requests_kcount : '');
    const expected = (Number(perThousand) / 1000).toString();
    expect(record(raw.provider, raw.model.id).request).toBe(expected);
  });

  test('tiered prices become long-context tiers above their start', () => {
    expect(record('google', 'gemini-1.5-pro')).toMatchObject({
      input: '1.25', output: '5',
      tiers: [{ above_tokens: 128_000, input: '2.5', output: '10', cache_read: null, cache_write: null, reasoning: null }],
    });
    expect(record('openrouter', 'x-ai/grok-4-fast')).toMatchObject({
      input: '0.2', output: '0.5', cache_read: '0.05', tiers: [{ above_tokens: 128_000, input: '0.4', output: '1', cache_read: null }],
    });
  });

  test('dated prices become variants from that day, time-of-day prices variants with a UTC window', () => {
    expect(record('openai', 'o3')).toMatchObject({
      input: '10', output: '40', variants: [{ from: '2025-06-10T00:00:00.000Z', input: '2', output: '8', cache_read: '0.5' }],
    });
    expect(record('deepseek', 'deepseek-chat')).toMatchObject({
      input: '0.135', output: '0.55', variants: [{ window: { start: '00:30:00Z', end: '16:30:00Z' }, input: '0.27', output: '1.1' }],
    });
  });

  test('an unknown price key is reported with how many models carry it, and the rest of the model still maps', () => {
    const edited = editedPayload(GENAI_PRICES, (json) => {
      const deepseek = (json as Provider[]).find((p) => p.id === 'deepseek')!;
      for (const model of deepseek.models.slice(0, 2)) {
        const prices = Array.isArray(model.prices) ? model.prices[0]!.prices : model.prices;
        prices.output_citation_mtok = 7;
      }
    });
    const result = parseGenaiPrices(edited, 'deepseek');
    expect(result.unmapped).toEqual([{ field: 'prices.output_citation_mtok', models: 2 }]);
    expect(result.skipped).toEqual([]);
    expect(result.records[0]!.unsupported).toEqual([{ field: 'prices.output_citation_mtok', value: '7' }]);
    expect(parseGenaiPrices(payload(), 'deepseek').unmapped).toEqual([]);
  });

  test('the v2 feed\'s 1-hour cache writes and web searches map to their dimensions, per 1,000 searches becoming per search', () => {
    expect(record('anthropic', 'claude-sonnet-4-5')).toMatchObject({
      extra: { cache_write_1h_tokens: '6', web_search_requests: '0.01' },
      tiers: [expect.objectContaining({ above_tokens: 200000, extra: expect.objectContaining({ cache_write_1h_tokens: '12' }) })],
    });
  });

  test('a malformed model is skipped with the reason, not fatal', () => {
    const edited = editedPayload(GENAI_PRICES, (json) => {
      const deepseek = (json as Provider[]).find((p) => p.id === 'deepseek')!;
      (deepseek.models[1] as unknown as { prices: unknown }).prices = { input_mtok: 'cheap' };
    });
    const result = parseGenaiPrices(edited, 'deepseek');
    expect(result.skipped).toEqual([{ model_id: plain().find((p) => p.id === 'deepseek')!.models[1]!.id, reason: expect.stringContaining('input_mtok') }]);
  });
});

describe('priceAt: the price list in effect at an instant', () => {
  test('DeepSeek: the 00:30–16:30 UTC window bills the standard price, the rest of the day the off-peak price', () => {
    const chat = record('deepseek', 'deepseek-chat');
    expect(priceAt(chat, new Date('2026-11-26T00:29:59Z')).input).toBe('0.135');
    expect(priceAt(chat, new Date('2026-11-26T00:30:00Z')).input).toBe('0.27');
    expect(priceAt(chat, new Date('2026-11-26T16:29:59Z')).output).toBe('1.1');
    expect(priceAt(chat, new Date('2026-11-26T16:30:00Z')).output).toBe('0.55');
  });

  test('a window that wraps past midnight holds on both sides of it', () => {
    const wrapped: PriceRecord = { ...record('deepseek', 'deepseek-chat'), variants: [{ ...priceAt(record('deepseek', 'deepseek-chat'), new Date(0)), input: '9', window: { start: '22:00:00Z', end: '02:00:00Z' } }] };
    expect(priceAt(wrapped, new Date('2026-11-26T23:00:00Z')).input).toBe('9');
    expect(priceAt(wrapped, new Date('2026-11-26T01:59:59Z')).input).toBe('9');
    expect(priceAt(wrapped, new Date('2026-11-26T02:00:00Z')).input).toBe('0.135');
  });

  test('o3: the June 2025 price cut applies from its day on, the original price before it', () => {
    const o3 = record('openai', 'o3');
    expect(priceAt(o3, new Date('2025-06-09T23:59:59Z'))).toMatchObject({ input: '10', output: '40' });
    expect(priceAt(o3, new Date('2025-06-10T00:00:00Z'))).toMatchObject({ input: '2', output: '8', cache_read: '0.5' });
    expect(priceAt(o3, new Date('2026-11-26T12:00:00Z'))).toMatchObject({ input: '2', output: '8' });
  });

  test('claude-sonnet-5: the introductory price until 1 September 2026, the list price from then', () => {
    const sonnet = record('anthropic', 'claude-sonnet-5');
    expect(priceAt(sonnet, new Date('2026-08-31T23:59:59Z'))).toMatchObject({ input: '2', output: '10', cache_write: '2.5' });
    expect(priceAt(sonnet, new Date('2026-09-01T00:00:00Z'))).toMatchObject({ input: '3', output: '15', cache_write: '3.75', cache_read: '0.3' });
  });

  test('picks the same prices as the genai-prices library for every model with a list, at instants around each change', () => {
    let compared = 0;
    for (const provider of plain()) {
      for (const model of provider.models.filter((m) => Array.isArray(m.prices))) {
        const instants = [new Date('2020-01-01T12:00:00Z'), new Date('2026-11-26T08:00:00Z'), new Date('2026-11-26T20:00:00Z'),
          ...(model.prices as Array<{ constraint?: { start_date?: string } }>).flatMap((p) => p.constraint?.start_date
            ? [new Date(`${p.constraint.start_date}T00:00:00Z`), new Date(Date.parse(`${p.constraint.start_date}T00:00:00Z`) - 1000)] : [])];
        for (const at of instants) {
          const theirs = calcPrice({ input_tokens: 1_000_000, output_tokens: 1_000_000 }, model.id, { provider, timestamp: at });
          // Some ids are labels no caller sends (aws `regional.…`): their own rule does not match them.
          if (theirs === null) continue;
          compared++;
          const ours = priceAt(record(provider.id, theirs.model.id), at);
          expect([model.id, at.toISOString(), ours.input, ours.output])
            .toEqual([model.id, at.toISOString(), baseOf(theirs.model_price.input_mtok), baseOf(theirs.model_price.output_mtok)]);
        }
      }
    }
    expect(compared).toBeGreaterThan(20);
  });
});

describe('match rules', () => {
  test('the first model of a provider whose rule matches wins, as the genai-prices library decides, for every id it lists', () => {
    for (const provider of plain()) {
      const records = parseGenaiPrices(payload(), provider.id).records;
      for (const model of provider.models) {
        const theirs = calcPrice({ input_tokens: 1 }, model.id, { provider });
        expect([provider.id, model.id, firstMatching(records, model.id)?.model_id]).toEqual([provider.id, model.id, theirs?.model.id]);
      }
    }
  });
});

function baseOf(price: unknown): string | null {
  if (price === undefined) return null;
  const value = typeof price === 'object' && price !== null && 'base' in price ? price.base : price;
  return String(value);
}
