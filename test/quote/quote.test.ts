import { readSnapshot } from '../../src/store/snapshot.ts';
import {
  type CatalogEntry, type CatalogView, convert, type Decimal, formatDecimal, multiply, parseDecimal, quote, QuoteError, type QuoteUsage, shift, subtract, ZERO,
} from '@tariff/pricing';
import { snapshotView } from './catalog.ts';

// The real bundled catalog, indexed as the API serves it.
let view: CatalogView;

beforeAll(async () => {
  view = await snapshotView();
});

function real(provider: string, modelId: string): CatalogEntry {
  const entry = view.byProvider.get(provider)?.get(modelId);
  if (!entry) throw new Error(`${provider}/${modelId} is not in the snapshot`);
  return entry;
}

function total(provider: string, modelId: string, usage: QuoteUsage): string {
  return quote(real(provider, modelId), usage).total_usd;
}

describe('quote on real catalog prices', () => {
  test('anthropic claude-sonnet-4-5 bills input, output, cache reads and cache writes at their own prices', () => {
    // input 3, output 15, cache_read 0.3, cache_write 3.75 per 1M
    const result = quote(real('anthropic', 'claude-sonnet-4-5'),
      { input_tokens: 1000, output_tokens: 500, cache_read_tokens: 2000, cache_write_tokens: 100 });

    expect(result).toEqual({
      state: 'priced',
      tier: null,
      service_tier: { name: 'standard', fallback: [] },
      usage: { input_tokens: 1000, cache_read_tokens: 2000, cache_write_tokens: 100, output_tokens: 500, reasoning_tokens: 0, requests: 1 },
      components: {
        input: { units: 1000, unit_price: '3', cost_usd: '0.003', source: 'snapshot' },
        output: { units: 500, unit_price: '15', cost_usd: '0.0075', source: 'snapshot' },
        cache_read: { units: 2000, unit_price: '0.3', cost_usd: '0.0006', source: 'snapshot' },
        cache_write: { units: 100, unit_price: '3.75', cost_usd: '0.000375', source: 'snapshot' },
        reasoning: { units: 0, unit_price: '15', cost_usd: '0', priced_as: 'output_tokens', source: 'snapshot' },
        requests: { units: 1, unit_price: null, cost_usd: '0' },
      },
      total_usd: '0.011475',
    });
  });

  test('302ai claude-opus-4-7 uses base prices up to 200000 prompt tokens and the tier prices for the whole request above', () => {
    // base 5 / 25 / 0.5 / 6.25; above 200000: 10 / 37.5 / 1 / 12.5
    const atThreshold = quote(real('302ai', 'claude-opus-4-7'),
      { input_tokens: 150_000, output_tokens: 2000, cache_read_tokens: 50_000 });
    // 150000×5 + 2000×25 + 50000×0.5 = 0.75 + 0.05 + 0.025
    expect(atThreshold.tier).toBeNull();
    expect(atThreshold.total_usd).toBe('0.825');

    const above = quote(real('302ai', 'claude-opus-4-7'),
      { input_tokens: 150_001, output_tokens: 2000, cache_read_tokens: 50_000 });
    // 150001×10 + 2000×37.5 + 50000×1 = 1.50001 + 0.075 + 0.05
    expect(above.tier).toEqual({ above_input_tokens: 200000 });
    expect(above.components.output).toEqual({ units: 2000, unit_price: '37.5', cost_usd: '0.075', source: 'snapshot' });
    expect(above.total_usd).toBe('1.62501');
  });

  test('cache write tokens count toward the prompt size that selects a tier', () => {
    // 302ai claude-opus-4-7: 190000 input + 10001 cache write = 200001 prompt tokens
    // 190000×10 + 10001×12.5 = 1.9 + 0.1250125
    expect(total('302ai', 'claude-opus-4-7', { input_tokens: 190_000, output_tokens: 0, cache_write_tokens: 10_001 }))
      .toBe('2.0250125');
  });

  test('aihubmix doubao-seed-2-0-pro applies the highest tier the prompt exceeds', () => {
    // base 0.48 / 2.41 / cache_read 0.09644; above 32000: 0.72 / 3.62 / 0.144656; above 128000: 1.45 / 7.23 / 0.28932
    const usage = (input: number) => ({ input_tokens: input, output_tokens: 1000, cache_read_tokens: 10_000 });
    // 20000×0.48 + 1000×2.41 + 10000×0.09644 = 0.0096 + 0.00241 + 0.0009644
    expect(total('aihubmix', 'doubao-seed-2-0-pro', usage(20_000))).toBe('0.0129744');
    // 100000×0.72 + 1000×3.62 + 10000×0.144656 = 0.072 + 0.00362 + 0.00144656
    expect(total('aihubmix', 'doubao-seed-2-0-pro', usage(100_000))).toBe('0.07706656');
    // 130000×1.45 + 1000×7.23 + 10000×0.28932 = 0.1885 + 0.00723 + 0.0028932
    const top = quote(real('aihubmix', 'doubao-seed-2-0-pro'), usage(130_000));
    expect(top.tier).toEqual({ above_input_tokens: 128000 });
    expect(top.total_usd).toBe('0.1986232');
  });

  test('302ai gpt-5.4: a tier field left null keeps the base price, and a zero cache price is charged as zero, not as input', () => {
    // base 2.5 / 15 / cache_read 0.25 / cache_write 0; above 272000: input 5, output 22.5, cache prices null
    const result = quote(real('302ai', 'gpt-5.4'),
      { input_tokens: 300_000, output_tokens: 1000, cache_read_tokens: 10_000, cache_write_tokens: 5000 });
    // 300000×5 + 1000×22.5 + 10000×0.25 + 5000×0 = 1.5 + 0.0225 + 0.0025 + 0
    expect(result.components.cache_read).toEqual({ units: 10_000, unit_price: '0.25', cost_usd: '0.0025', source: 'snapshot' });
    expect(result.components.cache_write).toEqual({ units: 5000, unit_price: '0', cost_usd: '0', source: 'snapshot' });
    expect(result.total_usd).toBe('1.525');
  });

  test('amazon-bedrock google.gemma-3-12b-it keeps float-noise prices exact', () => {
    // input 0.049999999999999996, output 0.09999999999999999 per 1M
    // 1000000×0.049999999999999996 + 1000×0.09999999999999999 = 0.049999999999999996 + 0.00009999999999999999
    expect(total('amazon-bedrock', 'google.gemma-3-12b-it', { input_tokens: 1_000_000, output_tokens: 1000 }))
      .toBe('0.05009999999999999599');
  });

  test('helicone claude-3.7-sonnet bills cache reads at its float-noise cache price exactly', () => {
    // cache_read 0.30000000000000004 per 1M
    expect(total('helicone', 'claude-3.7-sonnet', { input_tokens: 0, output_tokens: 0, cache_read_tokens: 1_000_000 }))
      .toBe('0.30000000000000004');
  });

  test('OpenRouter google/gemini-3.1-flash-lite, priced from per-token strings, bills every component exactly', () => {
    // input 0.25, output 1.5, cache_read 0.025, cache_write 0.08333333333333334, reasoning 1.5 per 1M
    const result = quote(real('openrouter', 'google/gemini-3.1-flash-lite'), {
      input_tokens: 10_000, output_tokens: 2000, cache_read_tokens: 4000, cache_write_tokens: 3000, reasoning_tokens: 1000,
    });
    // 0.0025 + 0.003 + 0.0001 + 0.00025000000000000002 + 0.0015
    expect(result.components.cache_write.cost_usd).toBe('0.00025000000000000002');
    expect(result.total_usd).toBe('0.00735000000000000002');
  });

  test('openai gpt-4o-mini bills cache writes at the input price when the model has no cache write price', () => {
    // input 0.15, output 0.6, cache_read 0.075, no cache_write
    const result = quote(real('openai', 'gpt-4o-mini'), { input_tokens: 1000, output_tokens: 100, cache_write_tokens: 2000 });
    // 1000×0.15 + 100×0.6 + 2000×0.15 = 0.00015 + 0.00006 + 0.0003
    expect(result.components.cache_write).toEqual({ units: 2000, unit_price: '0.15', cost_usd: '0.0003', priced_as: 'input_tokens', source: 'snapshot' });
    expect(result.total_usd).toBe('0.00051');
  });

  test('openai o3 bills reasoning tokens at the output price when the model has no reasoning price', () => {
    // input 2, output 8, no reasoning price
    const result = quote(real('openai', 'o3'), { input_tokens: 1000, output_tokens: 1000, reasoning_tokens: 5000 });
    // 1000×2 + 1000×8 + 5000×8 = 0.002 + 0.008 + 0.04
    expect(result.components.reasoning).toEqual({ units: 5000, unit_price: '8', cost_usd: '0.04', priced_as: 'output_tokens', source: 'snapshot' });
    expect(result.total_usd).toBe('0.05');
  });

  test('perplexity sonar-deep-research bills reasoning tokens at its own reasoning price', () => {
    // input 2, output 8, reasoning 3
    // 1000×2 + 1000×8 + 10000×3 = 0.002 + 0.008 + 0.03
    expect(total('perplexity', 'sonar-deep-research', { input_tokens: 1000, output_tokens: 1000, reasoning_tokens: 10_000 }))
      .toBe('0.04');
  });

  test('a free OpenRouter model costs "0" and says free', () => {
    const result = quote(real('openrouter', 'deepseek/deepseek-v4-flash:free'),
      { input_tokens: 120_000, output_tokens: 8000, cache_read_tokens: 5000 });
    expect(result.state).toBe('free');
    expect(result.total_usd).toBe('0');
  });

  test('a request fee is charged per request, one request by default', () => {
    // No snapshot model has a request price (OpenRouter never sends `request`), so this is
    // anthropic claude-sonnet-4-5's real entry with a request price of 0.005 USD added.
    const entry: CatalogEntry = { ...real('anthropic', 'claude-sonnet-4-5'), request: '0.005' };
    // 1000×3 + 500×15 + 3×0.005 = 0.003 + 0.0075 + 0.015
    const three = quote(entry, { input_tokens: 1000, output_tokens: 500, requests: 3 });
    expect(three.components.requests).toEqual({ units: 3, unit_price: '0.005', cost_usd: '0.015', source: 'snapshot' });
    expect(three.total_usd).toBe('0.0255');
    expect(quote(entry, { input_tokens: 1000, output_tokens: 500 }).total_usd).toBe('0.0155');
  });

  // Small counts, and counts whose costs and sums pass 2^53 at the entry's
  // common exponent, where a Number would no longer hold them exactly.
  const COUNTS = {
    small: { input_tokens: 1234, output_tokens: 567, cache_read_tokens: 890, cache_write_tokens: 12, reasoning_tokens: 345 },
    'near 2^53': { input_tokens: 2 ** 53 - 1, output_tokens: 2 ** 52 + 3, cache_read_tokens: 2 ** 51 + 5, cache_write_tokens: 2 ** 50 + 7, reasoning_tokens: 2 ** 49 + 9 },
    'near 2^40': { input_tokens: 2 ** 40 + 1, output_tokens: 2 ** 39 + 3, cache_read_tokens: 2 ** 41 + 5, cache_write_tokens: 2 ** 38 + 7, reasoning_tokens: 2 ** 40 + 9 },
    // Costs a double holds exactly at many models' exponents, whose sum it does not.
    'costs below 2^53, sums past it': { input_tokens: 2 ** 51 + 1, output_tokens: 2 ** 49 + 1, cache_read_tokens: 2 ** 50 + 3, cache_write_tokens: 2 ** 48 + 1, reasoning_tokens: 2 ** 47 + 1 },
  };
  test.each(Object.entries(COUNTS))('every priced and free snapshot model below its tiers totals what money/decimal.ts computes from the rules: %s counts', async (_name, usage) => {
    const cost = (tokens: number, price: string | null) =>
      price === null ? ZERO : shift(multiply(parseDecimal(String(tokens)), parseDecimal(price)), -6);
    let checked = 0;
    const mismatches: string[] = [];
    for (const models of view.byProvider.values()) {
      for (const entry of models.values()) {
        if (entry.state !== 'priced' && entry.state !== 'free') continue;
        const prompt = usage.input_tokens + usage.cache_read_tokens + usage.cache_write_tokens;
        if (entry.tiers.some((tier) => prompt > tier.above_tokens)) continue;
        const expected = [
          cost(usage.input_tokens, entry.input),
          cost(usage.output_tokens, entry.output),
          cost(usage.cache_read_tokens, entry.cache_read ?? entry.input),
          cost(usage.cache_write_tokens, entry.cache_write ?? entry.input),
          cost(usage.reasoning_tokens, entry.reasoning ?? entry.output),
          // one request, at the model's per-request fee when it has one
          entry.request === null ? ZERO : parseDecimal(entry.request),
        ].reduce((sum: Decimal, term) => subtract(sum, subtract(ZERO, term)), ZERO);
        const actual = quote(entry, usage).total_usd;
        if (actual !== formatDecimal(expected)) mismatches.push(`${entry.provider}/${entry.model_id}: ${actual} ≠ ${formatDecimal(expected)}`);
        checked++;
      }
    }
    expect(mismatches).toEqual([]);
    const snapshot = await readSnapshot();
    const quotable = snapshot.providers.flatMap((p) => p.models).filter((m) => m.state === 'priced' || m.state === 'free');
    if (usage.input_tokens < 10_000) expect(checked).toBe(quotable.length);
    else expect(checked).toBeGreaterThan(quotable.length / 2);
  });

  test('a price whose coefficient is past 2^53 at the entry\'s exponent is billed exactly', () => {
    const entry = { ...real('anthropic', 'claude-sonnet-4-5'), input: '1.000000000000000000003' };
    expect(quote(entry, { input_tokens: 1, output_tokens: 0 }).total_usd).toBe('0.000001000000000000000000003');
    expect(quote(entry, { input_tokens: 3, output_tokens: 1 }).components.input.cost_usd).toBe('0.000003000000000000000000009');
    expect(quote(entry, { input_tokens: 3, output_tokens: 1 }).total_usd).toBe('0.000018000000000000000000009');
  });

  test('an entry changed by copy is priced by its own prices, not a parse cached for the original', () => {
    const original = real('anthropic', 'claude-sonnet-4-5');
    expect(quote(original, { input_tokens: 100_000, output_tokens: 0 }).total_usd).toBe('0.3');
    expect(quote({ ...original, input: '2.5' }, { input_tokens: 100_000, output_tokens: 0 }).total_usd).toBe('0.25');
    expect(quote(original, { input_tokens: 100_000, output_tokens: 0 }).total_usd).toBe('0.3');
  });
});

describe('entries that cannot be quoted', () => {
  test('openrouter/auto has dynamic pricing: QuoteError says its price is set per request upstream', () => {
    const call = () => quote(real('openrouter', 'openrouter/auto'), { input_tokens: 10, output_tokens: 10 });
    expect(call).toThrow(QuoteError);
    expect(call).toThrow('model openrouter/auto has dynamic pricing: its price is set per request upstream');
  });

  test('anyapi anthropic/claude-opus-4-7 has no price upstream: QuoteError', () => {
    let error: unknown;
    try {
      quote(real('anyapi', 'anthropic/claude-opus-4-7'), { input_tokens: 10, output_tokens: 10 });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(QuoteError);
    expect(error).toMatchObject({
      code: 'price_unpriced',
      message: 'model anthropic/claude-opus-4-7 has no price upstream that tariff can bill',
      provider: 'anyapi',
      model_id: 'anthropic/claude-opus-4-7',
    });
  });

  test.each([
    [{ input_tokens: -1, output_tokens: 0 }],
    [{ input_tokens: 1.5, output_tokens: 0 }],
    [{ input_tokens: 0, output_tokens: Number.NaN }],
    [{ input_tokens: 0, output_tokens: 0, cache_read_tokens: 2 ** 53 }],
    [{ input_tokens: 0, output_tokens: 0, requests: -2 }],
  ])('usage %j is refused with a RangeError', (usage) => {
    expect(() => quote(real('anthropic', 'claude-sonnet-4-5'), usage)).toThrow(RangeError);
  });
});

describe('convert', () => {
  test('multiplies a USD amount by an exchange rate exactly', () => {
    // 0.011475 × 0.9533 = 0.0109391175
    expect(convert('0.011475', '0.9533')).toBe('0.0109391175');
    expect(convert('0.00735000000000000002', '18.25')).toBe('0.134137500000000000365');
  });
});
