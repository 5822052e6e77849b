// prices/assemble.ts on small records: what a filler may fill, and which
// filler wins. The served-price behaviour on the real fixtures is in
// test/serving/filled_prices.test.ts.
import { assemble, priceDimensions, priceMoves, priceOf, priceSources, storedFills, type PriceRecord } from '@tariff/pricing';

const record = (over: Partial<PriceRecord>): PriceRecord => ({
  model_id: 'm', name: null, state: 'priced', input: '1', output: '2', cache_read: null, cache_write: null, reasoning: null,
  request: null, tiers: [], ...over,
});

describe('assembling a record from its primary source and fillers', () => {
  test('a dimension the primary prices is never replaced; one it leaves unpriced comes from the first filler, and a differing later filler is a disagreement', () => {
    const primary = record({});
    const { record: served, disagreements } = assemble(primary, [
      { source: 'genai_prices', record: record({ input: '9', extra: { web_search_requests: '0.01' } }) },
      { source: 'litellm', record: record({ extra: { web_search_requests: '0.02', input_audio_tokens: '0.7' } }) },
    ]);

    expect(served).toMatchObject({ input: '1', output: '2', extra: { web_search_requests: '0.01', input_audio_tokens: '0.7' } });
    expect(priceSources(served, 'models_dev')).toEqual({
      input_tokens: 'models_dev', output_tokens: 'models_dev', web_search_requests: 'genai_prices', input_audio_tokens: 'litellm',
    });
    expect(disagreements).toEqual([{
      model_id: 'm', dimension: 'web_search_requests',
      chosen: { source: 'genai_prices', model_id: 'm', price: '0.01' }, other: { source: 'litellm', model_id: 'm', price: '0.02' },
    }]);
  });

  test('long-context prices fill only at the primary\'s own thresholds, or at any when the primary has none', () => {
    const filler = { source: 'litellm', record: record({ tiers: [{ above_tokens: 128_000, input: '5', output: null, cache_read: null, cache_write: null, reasoning: null }] }) };
    const tiered = record({ tiers: [{ above_tokens: 200_000, input: '3', output: null, cache_read: null, cache_write: null, reasoning: null }] });

    expect(assemble(tiered, [filler]).record.tiers.map((t) => t.above_tokens)).toEqual([200_000]);
    expect(assemble(record({}), [filler]).record).toMatchObject({ tiers: [{ above_tokens: 128_000, input: '5' }], filled_from: { 'tier>128000.input_tokens': 'litellm' } });
  });

  test('a service tier the primary lacks is filled whole, and a free, dynamic or unpriced primary record is left as it is', () => {
    const batch = { input: '0.5', output: '1', cache_read: null, cache_write: null, reasoning: null, request: null, tiers: [] };
    const filler = { source: 'litellm', record: record({ service_tiers: { batch }, extra: { web_search_requests: '0.01' } }) };

    expect(priceSources(assemble(record({}), [filler]).record, 'models_dev')).toMatchObject({ 'batch.input_tokens': 'litellm', 'batch.output_tokens': 'litellm' });
    for (const state of ['free', 'dynamic', 'unpriced'] as const) {
      const primary = record({ state });
      expect(assemble(primary, [filler]).record).toBe(primary);
    }
  });

  test('a speed mode\'s list and a published multiplier the primary lacks are filled, named in provenance, and come back from the stored record as that filler\'s', () => {
    const fast = { input: '30', output: '150', cache_read: null, cache_write: null, reasoning: null, request: null, tiers: [] };
    const { record: served, disagreements } = assemble(record({ multipliers: { 'inference_geo=us': '1.1' } }), [
      { source: 'genai_prices', record: record({ speed_modes: { fast } }) },
      { source: 'litellm', record: record({ multipliers: { 'speed=fast': '6', 'inference_geo=us': '1.2' } }) },
      { source: 'openrouter', record: record({ multipliers: { 'speed=fast': '5' } }) },
    ]);

    expect(served).toMatchObject({ speed_modes: { fast: { input: '30', output: '150' } }, multipliers: { 'inference_geo=us': '1.1', 'speed=fast': '6' } });
    expect(priceSources(served, 'models_dev')).toMatchObject({
      'fast.input_tokens': 'genai_prices', 'fast.output_tokens': 'genai_prices', 'multipliers.speed=fast': 'litellm', 'multipliers.inference_geo=us': 'models_dev',
    });
    expect(disagreements).toEqual([{
      model_id: 'm', dimension: 'multipliers.speed=fast',
      chosen: { source: 'litellm', model_id: 'm', price: '6' }, other: { source: 'openrouter', model_id: 'm', price: '5' },
    }]);
    expect(storedFills(served, 'litellm')).toMatchObject({ multipliers: { 'speed=fast': '6' } });
    expect(storedFills(served, 'genai_prices')).toMatchObject({ speed_modes: { fast: { input: '30', output: '150' } } });
  });

  test('a change of a fast price or a published multiplier is a price change, a move and a changed dimension', () => {
    const before = record({ speed_modes: { fast: { input: '30', output: '150', cache_read: null, cache_write: null, reasoning: null, request: null, tiers: [] } }, multipliers: { 'speed=fast': '6' } });
    const after = record({ speed_modes: { fast: { input: '60', output: '150', cache_read: null, cache_write: null, reasoning: null, request: null, tiers: [] } }, multipliers: { 'speed=fast': '2' } });

    expect(JSON.stringify(priceOf(before))).not.toBe(JSON.stringify(priceOf(after)));
    expect(priceMoves([{ model_id: 'm', change: 'updated', old_price: priceOf(before), new_price: priceOf(after) }]))
      .toContainEqual(expect.objectContaining({ field: 'fast.input', old: '30', new: '60' }));
    expect(priceDimensions(priceOf(after))).toEqual(new Map([
      ['state', 'priced'], ['input', '1'], ['output', '2'], ['fast.input', '60'], ['fast.output', '150'], ['multipliers.speed=fast', '2'],
    ]));
  });
});
