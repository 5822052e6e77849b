import { parseModelsDev } from '../../src/sources/models_dev.ts';
import { MODELS_DEV, OPENROUTER, editedPayload, fixturePayload, objectAt, recordOf, stateCounts } from './fixtures.ts';

const payload = () => fixturePayload(MODELS_DEV);
const NO_TOKEN_PRICES = { input: null, output: null, cache_read: null, cache_write: null, reasoning: null };

describe('parseModelsDev on the real models.dev snapshot', () => {
  test('every model of a provider becomes a record, and models without cost are unpriced', () => {
    const anthropic = parseModelsDev(payload(), 'anthropic');
    const openai = parseModelsDev(payload(), 'openai');
    const google = parseModelsDev(payload(), 'google');

    expect(anthropic.records).toHaveLength(25);
    expect(stateCounts(anthropic)).toEqual({ priced: 25 });
    // openai: chatgpt-image-latest, gpt-image-1, gpt-image-1-mini and gpt-image-1.5 have no cost.
    expect(stateCounts(openai)).toEqual({ priced: 46, unpriced: 4 });
    // google: gemma-4-26b-a4b-it and gemma-4-31b-it have no cost.
    expect(stateCounts(google)).toEqual({ priced: 20, unpriced: 2 });
    expect([...anthropic.skipped, ...openai.skipped, ...google.skipped]).toEqual([]);
  });

  test('costs are USD per 1M tokens already and become canonical decimal strings', () => {
    expect(recordOf(parseModelsDev(payload(), 'anthropic'), 'claude-sonnet-4-5')).toEqual({
      model_id: 'claude-sonnet-4-5', name: 'Claude Sonnet 4.5 (latest)', state: 'priced',
      input: '3', output: '15', cache_read: '0.3', cache_write: '3.75', reasoning: null, request: null, tiers: [],
      // modalities.input lists image (and pdf): what the model accepts, not a price; none is made up.
    });
    expect(recordOf(parseModelsDev(payload(), 'anthropic'), 'claude-opus-4-1')).toMatchObject({
      input: '15', output: '75', cache_read: '1.5', cache_write: '18.75',
    });
    expect(recordOf(parseModelsDev(payload(), 'openai'), 'o1-pro')).toMatchObject({ input: '150', output: '600', cache_read: null });
  });

  test('float noise in the payload keeps every digit it was written with', () => {
    expect(recordOf(parseModelsDev(payload(), 'amazon-bedrock'), 'google.gemma-3-12b-it')).toMatchObject({
      input: '0.049999999999999996', output: '0.09999999999999999',
    });
    expect(recordOf(parseModelsDev(payload(), 'helicone'), 'claude-3.7-sonnet').cache_read).toBe('0.30000000000000004');
  });

  test('the smallest price and a cache read above input are kept as published', () => {
    expect(recordOf(parseModelsDev(payload(), 'vercel'), 'alibaba/qwen3.5-flash')).toMatchObject({
      input: '0.1', output: '0.4', cache_read: '0.001', cache_write: '0.125',
    });
    expect(recordOf(parseModelsDev(payload(), 'cloudflare-ai-gateway'), 'openai/gpt-3.5-turbo')).toMatchObject({
      input: '0.5', output: '1.5', cache_read: '1.25',
    });
  });

  test('a reasoning price is read', () => {
    expect(recordOf(parseModelsDev(payload(), 'alibaba'), 'qwen-plus')).toMatchObject({
      input: '0.4', output: '1.2', reasoning: '4',
    });
  });

  test('a model with tiers and the legacy context_over_200k counts its long-context tier once, from tiers', () => {
    // gpt-5.4's tier starts above 272k; context_over_200k repeats its prices under the old 200k name.
    expect(recordOf(parseModelsDev(payload(), 'openai'), 'gpt-5.4')).toMatchObject({
      input: '2.5', output: '15', cache_read: '0.25',
      tiers: [{ above_tokens: 272000, input: '5', output: '22.5', cache_read: '0.5', cache_write: null, reasoning: null }],
    });
    expect(recordOf(parseModelsDev(payload(), 'google'), 'gemini-2.5-pro').tiers).toEqual([
      { above_tokens: 200000, input: '2.5', output: '15', cache_read: '0.25', cache_write: null, reasoning: null },
    ]);
  });

  test('several tiers are sorted by their threshold', () => {
    const doubao = recordOf(parseModelsDev(payload(), 'aihubmix'), 'doubao-seed-2-0-code-preview');
    expect(doubao.tiers.map((tier) => [tier.above_tokens, tier.input, tier.output, tier.cache_read])).toEqual([
      [32000, '0.72', '3.62', '0.144656'],
      [128000, '1.45', '7.23', '0.28932'],
    ]);
  });

  test('without tiers, the legacy context_over_200k is the tier above 200k tokens', () => {
    const legacyOnly = editedPayload(MODELS_DEV, (json) => {
      delete objectAt(json, 'google', 'models', 'gemini-2.5-pro', 'cost').tiers;
    });
    expect(recordOf(parseModelsDev(legacyOnly, 'google'), 'gemini-2.5-pro').tiers).toEqual([
      { above_tokens: 200000, input: '2.5', output: '15', cache_read: '0.25', cache_write: null, reasoning: null },
    ]);
  });

  test('experimental mode prices are not the list price', () => {
    expect(recordOf(parseModelsDev(payload(), 'aihubmix'), 'gpt-5.4')).toMatchObject({
      input: '2.5', output: '15', cache_read: '0.25',
    });
  });

  test('a mode whose request sets speed is that speed mode\'s price list, and its prices are no longer reported as unsupported', () => {
    const mode = objectAt(payload(), 'anthropic', 'models', 'claude-opus-4-6', 'experimental', 'modes', 'fast') as { cost: Record<string, string>; provider: { body: Record<string, string> } };
    const result = parseModelsDev(payload(), 'anthropic');
    const record = recordOf(result, 'claude-opus-4-6');

    expect(mode.provider.body.speed).toBe('fast');
    expect(record.speed_modes?.fast).toEqual({
      input: mode.cost.input, output: mode.cost.output, cache_read: mode.cost.cache_read, cache_write: mode.cost.cache_write,
      reasoning: null, request: null, tiers: [],
    });
    expect(record.unsupported).toBeUndefined();
    expect(result.unmapped!.map((f) => f.field)).not.toContain('experimental.modes.fast.cost.input');
    // The mode whose request sets service_tier stays that tier's list, not a speed mode.
    const openai = recordOf(parseModelsDev(payload(), 'openai'), 'gpt-5.4');
    expect(openai.speed_modes).toBeUndefined();
    expect(openai.service_tiers?.priority).toBeDefined();
  });

  test('a models.dev model without cost is unpriced, never $0', () => {
    expect(recordOf(parseModelsDev(payload(), 'anyapi'), 'anthropic/claude-opus-4-7')).toEqual({
      model_id: 'anthropic/claude-opus-4-7', name: 'Claude Opus 4.7', state: 'unpriced',
      ...NO_TOKEN_PRICES, request: null, tiers: [],
    });
    expect(recordOf(parseModelsDev(payload(), 'openai'), 'gpt-image-1').state).toBe('unpriced');
  });

  test('a model whose input and output are zero is free', () => {
    expect(recordOf(parseModelsDev(payload(), 'aihubmix'), 'coding-glm-5.1-free')).toMatchObject({
      state: 'free', input: '0', output: '0',
    });
  });

  test('a model with a negative or non-numeric cost is skipped with a reason while the rest parse', () => {
    const corrupted = editedPayload(MODELS_DEV, (json) => {
      objectAt(json, 'anthropic', 'models', 'claude-sonnet-4-5', 'cost').input = -3;
      objectAt(json, 'anthropic', 'models', 'claude-opus-4-1', 'cost').output = 'NaN';
    });

    const result = parseModelsDev(corrupted, 'anthropic');

    expect(result.records).toHaveLength(23);
    expect(result.skipped).toHaveLength(2);
    expect(result.skipped).toEqual(expect.arrayContaining([
      { model_id: 'claude-sonnet-4-5', reason: 'negative price -3' },
      { model_id: 'claude-opus-4-1', reason: expect.stringContaining('"NaN"') },
    ]));
    expect(recordOf(result, 'claude-haiku-4-5')).toMatchObject({ input: '1', output: '5' });
  });

  test('a payload that is not an object of providers is rejected whole', () => {
    const openRouterList = objectAt(fixturePayload(OPENROUTER), 'data');
    expect(() => parseModelsDev(openRouterList, 'anthropic')).toThrow('models.dev payload is not an object of providers');
    expect(() => parseModelsDev(null, 'anthropic')).toThrow('not an object of providers');
  });

  test('a provider missing from models.dev is an error, not an empty price list', () => {
    expect(() => parseModelsDev(payload(), 'no-such-provider')).toThrow('provider no-such-provider is not in models.dev');
  });
});
