import { parseOpenRouter } from '../../src/sources/openrouter.ts';
import { MODELS_DEV, OPENROUTER, editedPayload, fixturePayload, objectAt, recordOf, stateCounts } from './fixtures.ts';

const payload = () => fixturePayload(OPENROUTER);

describe('parseOpenRouter on the real OpenRouter models list', () => {
  test('every model becomes a record: routers priced "-1" dynamic, all-zero prices free, the rest priced', () => {
    const raw = payload() as { data: Array<{ pricing: Record<string, string> }> };
    const dynamic = raw.data.filter((m) => m.pricing.prompt === '-1' || m.pricing.completion === '-1').length;
    const free = raw.data.filter((m) => Object.values(m.pricing).every((p) => Number(p) === 0)).length;
    const result = parseOpenRouter(payload());

    expect(result.records).toHaveLength(raw.data.length);
    expect(result.skipped).toEqual([]);
    expect(dynamic).toBeGreaterThan(0);
    expect(free).toBeGreaterThan(0);
    expect(stateCounts(result)).toEqual({ priced: raw.data.length - dynamic - free, free, dynamic });
  });

  test('per-token decimal strings become exact prices per 1M tokens', () => {
    expect(recordOf(parseOpenRouter(payload()), 'anthropic/claude-opus-4.7-fast')).toEqual({
      model_id: 'anthropic/claude-opus-4.7-fast', name: 'Anthropic: Claude Opus 4.7 (Fast)', state: 'priced',
      input: '30', output: '150', cache_read: '3', cache_write: '37.5', reasoning: null, request: null, tiers: [],
      // web_search is USD per search, not per token. The image input the model lists has no price of its own: none is made up.
      extra: { web_search_requests: '0.01' },
    });
    expect(recordOf(parseOpenRouter(payload()), 'openai/gpt-4')).toMatchObject({
      input: '30', output: '60', cache_read: null, cache_write: null,
    });
  });

  test('long and tiny decimals keep every digit', () => {
    const result = parseOpenRouter(payload());
    expect(recordOf(result, 'google/gemini-3.1-flash-lite')).toMatchObject({
      input: '0.25', output: '1.5', cache_read: '0.025', cache_write: '0.08333333333333334', reasoning: '1.5',
    });
    expect(recordOf(result, 'inclusionai/ling-2.6-flash')).toMatchObject({ input: '0.01', output: '0.03', cache_read: '0.002' });
    expect(recordOf(result, 'deepseek/deepseek-v4-pro')).toMatchObject({
      input: '0.435', output: '0.87', cache_read: '0.003625',
    });
  });

  test('image, audio and web_search prices are not token prices and are ignored', () => {
    expect(recordOf(parseOpenRouter(payload()), 'x-ai/grok-4')).toEqual(expect.objectContaining({
      input: '3', output: '15', cache_read: '0.75', cache_write: null, reasoning: null, request: null,
    }));
  });

  test('"-1" prices mark a router whose cost is dynamic, with no prices', () => {
    const result = parseOpenRouter(payload());
    for (const id of ['openrouter/auto', 'openrouter/bodybuilder', 'openrouter/pareto-code']) {
      expect(recordOf(result, id)).toMatchObject({ state: 'dynamic', input: null, output: null, cache_read: null });
    }
  });

  test('a model with "0" prompt and completion is free', () => {
    const result = parseOpenRouter(payload());
    expect(recordOf(result, 'baidu/cobuddy:free')).toMatchObject({ state: 'free', input: '0', output: '0', cache_read: null });
    expect(recordOf(result, 'openrouter/owl-alpha').state).toBe('free');
  });

  test(':free variants and ~aliases keep their ids verbatim, apart from the paid model', () => {
    const result = parseOpenRouter(payload());
    expect(recordOf(result, 'deepseek/deepseek-v4-flash:free').state).toBe('free');
    expect(recordOf(result, 'deepseek/deepseek-v4-flash')).toMatchObject({
      state: 'priced', input: '0.126', output: '0.252', cache_read: '0.0252',
    });
    expect(recordOf(result, '~anthropic/claude-sonnet-latest')).toMatchObject({
      input: '3', output: '15', cache_read: '0.3', cache_write: '3.75',
    });
  });

  test('a model with a malformed price is skipped with a reason while the rest parse', () => {
    const corrupted = editedPayload(OPENROUTER, (json) => {
      objectAt(json, 'data', '0', 'pricing').prompt = 'free';
      objectAt(json, 'data', '1', 'pricing').input_cache_read = '-0.000001';
      delete objectAt(json, 'data', '2', 'pricing').completion;
    });

    const result = parseOpenRouter(corrupted);

    expect(result.records).toHaveLength(361);
    expect(result.skipped).toEqual([
      { model_id: 'anthropic/claude-opus-4.7-fast', reason: 'not a decimal number: "free"' },
      { model_id: 'perceptron/perceptron-mk1', reason: 'negative price -0.000001' },
      { model_id: 'inclusionai/ring-2.6-1t:free', reason: expect.stringContaining('pricing.completion') },
    ]);
  });

  test('a repeated id keeps the first model and skips the rest as duplicates', () => {
    const repeated = editedPayload(OPENROUTER, (json) => {
      const data = objectAt(json, 'data');
      // `data` is the array: writing at its length appends.
      data[String(Object.keys(data).length)] = { ...objectAt(json, 'data', '0'), name: 'impostor' };
    });

    const result = parseOpenRouter(repeated);

    expect(result.records).toHaveLength(364);
    expect(result.skipped).toEqual([{ model_id: 'anthropic/claude-opus-4.7-fast', reason: 'duplicate id' }]);
    expect(recordOf(result, 'anthropic/claude-opus-4.7-fast').name).toBe('Anthropic: Claude Opus 4.7 (Fast)');
  });

  describe('every pricing field OpenRouter documents (the fixture has 8; the rest are added to a real record, as documented)', () => {
    // openrouter.ai/docs/client-sdks/python/components/pricing, "Fields".
    const withPricing = (id: string, added: Record<string, unknown>) => editedPayload(OPENROUTER, (json) => {
      const data = objectAt(json, 'data');
      const index = Object.keys(data).find((key) => objectAt(data, key).id === id);
      if (index === undefined) throw new Error(`the OpenRouter fixture has no ${id}`);
      Object.assign(objectAt(data, index, 'pricing'), added);
    });

    test('image_output is per output image, image_token per image output token, audio_output, input_audio_cache and input_cache_write_1h per token', () => {
      const result = parseOpenRouter(withPricing('google/gemini-2.5-flash-image', {
        image_output: '0.039', image_token: '0.00003', audio_output: '0.000012', input_audio_cache: '0.0000001', input_cache_write_1h: '0.0000005',
      }));

      expect(result.skipped).toEqual([]);
      expect(recordOf(result, 'google/gemini-2.5-flash-image').extra).toMatchObject({
        images: '0.039', output_image_tokens: '30', output_audio_tokens: '12', cache_read_audio_tokens: '0.1', cache_write_1h_tokens: '0.5',
        // The fixture's own pricing.image stays a price per input image.
        input_images: '0.0000003',
      });
      for (const field of ['image_output', 'image_token', 'audio_output', 'input_audio_cache', 'input_cache_write_1h']) {
        expect(result.mapped).toContainEqual(expect.objectContaining({ field: `pricing.${field}` }));
        expect(result.unmapped).not.toContainEqual(expect.objectContaining({ field: `pricing.${field}` }));
      }
    });

    test('discount multiplies every price by (1 - discount), exactly', () => {
      const plain = recordOf(parseOpenRouter(payload()), 'google/gemini-2.5-flash-image');
      const discounted = recordOf(parseOpenRouter(withPricing('google/gemini-2.5-flash-image', { discount: 0.25 })), 'google/gemini-2.5-flash-image');

      // prompt 0.0000003, completion 0.0000025, input_cache_write 0.00000008333333333333334 per token; web_search 0.014 per search.
      expect(plain).toMatchObject({ input: '0.3', output: '2.5', cache_write: '0.08333333333333334' });
      expect(discounted).toMatchObject({ input: '0.225', output: '1.875', cache_read: '0.0225', cache_write: '0.062500000000000005' });
      expect(discounted.extra).toMatchObject({ web_search_requests: '0.0105', input_images: '0.000000225', input_audio_tokens: '0.75' });
    });

    test('a discount of 0 changes nothing and one of 1 makes the model free', () => {
      const plain = recordOf(parseOpenRouter(payload()), 'openai/gpt-4');
      expect(recordOf(parseOpenRouter(withPricing('openai/gpt-4', { discount: 0 })), 'openai/gpt-4')).toEqual(plain);
      expect(recordOf(parseOpenRouter(withPricing('openai/gpt-4', { discount: 1 })), 'openai/gpt-4')).toMatchObject({ state: 'free', input: '0', output: '0' });
    });

    test('a discount outside 0..1 refuses the model, naming the discount, while the rest parse', () => {
      const result = parseOpenRouter(withPricing('openai/gpt-4', { discount: 1.5 }));

      expect(result.skipped).toEqual([{ model_id: 'openai/gpt-4', reason: 'pricing.discount 1.5 is not a fraction from 0 to 1' }]);
      expect(result.records.map((r) => r.model_id)).not.toContain('openai/gpt-4');
    });
  });

  test('a payload without a data list is rejected whole', () => {
    expect(() => parseOpenRouter(fixturePayload(MODELS_DEV))).toThrow('OpenRouter payload is not {data: [...]}');
    expect(() => parseOpenRouter([])).toThrow('not {data: [...]}');
  });
});
