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

  test('a payload without a data list is rejected whole', () => {
    expect(() => parseOpenRouter(fixturePayload(MODELS_DEV))).toThrow('OpenRouter payload is not {data: [...]}');
    expect(() => parseOpenRouter([])).toThrow('not {data: [...]}');
  });
});
