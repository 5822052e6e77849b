import { parseLiteLlm } from '../../src/sources/litellm.ts';
import { LITELLM, OPENROUTER, editedPayload, fixturePayload, objectAt, recordOf, stateCounts } from './fixtures.ts';

const payload = () => fixturePayload(LITELLM);
const parse = (provider: string) => parseLiteLlm(payload(), provider);
const NO_TOKEN_PRICES = { input: null, output: null, cache_read: null, cache_write: null, reasoning: null };

describe('parseLiteLlm on the real LiteLLM cost map', () => {
  test('each provider\'s entries become records; only an entry with no price tariff can bill is unpriced', () => {
    // openai: 219 entries, 3 unprefixed sora keys repeat openai/sora-*.
    expect([parse('openai').records.length, parse('openai').skipped.length]).toEqual([216, 3]);
    expect(parse('anthropic').records).toHaveLength(24);
    expect(stateCounts(parse('anthropic'))).toEqual({ priced: 24 });
    // bedrock: 267 entries, one prefixed/unprefixed pair.
    expect([parse('bedrock').records.length, parse('bedrock').skipped.length]).toEqual([266, 1]);
    expect([parse('azure').records.length, parse('azure').skipped.length]).toEqual([218, 1]);
    for (const provider of ['openai', 'bedrock', 'azure', 'vertex_ai-language-models']) {
      for (const record of parse(provider).records) {
        const priced = [record.input, record.output, record.cache_read, record.cache_write, record.reasoning, record.request,
          ...Object.values(record.extra ?? {})].some((price) => price !== null);
        expect({ model: record.model_id, unpriced: record.state === 'unpriced' }).toEqual({ model: record.model_id, unpriced: !priced });
      }
    }
  });

  test('a side charged in another unit keeps that price in its own dimension, and the token side stays null, never $0', () => {
    // input_cost_per_video_per_second + output_cost_per_token
    expect(recordOf(parse('bedrock'), 'twelvelabs.pegasus-1-2-v1:0')).toMatchObject({
      state: 'priced', input: null, output: '7.5', extra: { input_video_seconds: '0.00049' },
    });
    // input_cost_per_token + output_cost_per_image_token, no output_cost_per_token
    expect(recordOf(parse('azure'), 'gpt-image-1')).toMatchObject({
      state: 'priced', input: '5', output: null, extra: { input_image_tokens: '10', output_image_tokens: '40' },
    });
  });

  test('every one of the 2,982 model entries is a record or a skipped row; sample_spec and fallback_generalizations are neither', () => {
    const providers = new Set(Object.entries(objectAt(payload()))
      .filter(([key]) => key !== 'sample_spec')
      .map(([, entry]) => objectAt(entry).litellm_provider)
      .filter((provider) => typeof provider === 'string'));
    const results = [...providers].map((provider) => parseLiteLlm(payload(), provider));
    const ids = results.flatMap(({ records, skipped }) => [...records, ...skipped].map((row) => row.model_id));

    // The README's 123 distinct litellm_provider values include sample_spec's prose one.
    expect(providers.size).toBe(122);
    expect(ids).toHaveLength(2982);
    expect(ids).not.toContain('sample_spec');
    expect(ids).not.toContain('fallback_generalizations');
  });

  test('per-token costs become exact prices per 1M tokens, with the above-200k fields as a tier', () => {
    expect(recordOf(parse('anthropic'), 'claude-sonnet-4-5')).toEqual({
      model_id: 'claude-sonnet-4-5', name: null, state: 'priced',
      input: '3', output: '15', cache_read: '0.3', cache_write: '3.75', reasoning: null, request: null,
      // cache_creation_input_token_cost_above_1hr(_above_200k_tokens): the 1-hour cache writes, base and tier.
      extra: { cache_write_1h_tokens: '6', web_search_requests: '0.01' },
      tiers: [{ above_tokens: 200000, input: '6', output: '22.5', cache_read: '0.6', cache_write: '7.5', reasoning: null, extra: { cache_write_1h_tokens: '12' } }],
      // supports_vision says the model reads images, not what they cost: no image price is made up.
      // Web search is priced by search context size; medium, OpenAI's default, is the one a quote uses.
      unsupported: [
        { field: 'search_context_cost_per_query.search_context_size_high', value: '0.01' },
        { field: 'search_context_cost_per_query.search_context_size_low', value: '0.01' },
      ],
    });
  });

  test('the tier threshold comes from the field name: above_272k and above_128k', () => {
    expect(recordOf(parse('openai'), 'gpt-5.4')).toMatchObject({
      input: '2.5', output: '15', cache_read: '0.25',
      tiers: [{ above_tokens: 272000, input: '5', output: '22.5', cache_read: '0.5', cache_write: null }],
    });
    expect(recordOf(parse('xai'), 'grok-4-0709')).toMatchObject({
      input: '3', output: '15',
      tiers: [{ above_tokens: 128000, input: '6', output: '30', cache_read: null }],
    });
  });

  test('tiered_pricing: the range from 0 is the base price and each later range a tier, thresholds as integers', () => {
    expect(recordOf(parse('dashscope'), 'qwen-flash')).toMatchObject({
      state: 'priced', input: '0.05', output: '0.4',
      tiers: [{ above_tokens: 256000, input: '0.25', output: '2', cache_read: null, reasoning: null }],
    });
    expect(recordOf(parse('dashscope'), 'qwen-plus-2025-07-28')).toMatchObject({
      input: '0.4', output: '1.2', reasoning: '4',
      tiers: [{ above_tokens: 256000, input: '1.2', output: '3.6', reasoning: '12' }],
    });
    expect(recordOf(parse('dashscope'), 'qwen3-coder-flash').tiers.map((tier) => [tier.above_tokens, tier.input, tier.cache_read]))
      .toEqual([[32000, '0.5', '0.12'], [128000, '0.8', '0.2'], [256000, '1.6', '0.4']]);
  });

  test('scientific notation and float noise are converted exactly', () => {
    expect(recordOf(parse('fireworks_ai'), 'accounts/fireworks/models/SSD-1B')).toMatchObject({
      input: '0.00013', output: '0.00013',
    });
    expect(recordOf(parse('databricks'), 'databricks-gemma-3-12b')).toMatchObject({
      input: '0.15000999999999998', output: '0.50001',
    });
    expect(recordOf(parse('databricks'), 'databricks-claude-opus-4')).toMatchObject({
      input: '15.000020000000002', output: '75.00003000000001',
    });
  });

  test('an upstream outlier is passed on exactly as published', () => {
    expect(recordOf(parse('wandb'), 'deepseek-ai/DeepSeek-R1-0528')).toMatchObject({ input: '135000', output: '540000' });
  });

  test('an integer zero input and output cost is free', () => {
    expect(recordOf(parse('bedrock'), 'anthropic.claude-mythos-preview')).toMatchObject({ state: 'free', input: '0', output: '0' });
    expect(recordOf(parse('gemini'), 'gemma-3-27b-it')).toMatchObject({
      state: 'free', input: '0', output: '0', tiers: [{ above_tokens: 128000, input: '0', output: '0' }],
    });
  });

  test('an embedding with a zero output cost is priced, not free', () => {
    expect(recordOf(parse('openai'), 'text-embedding-3-small')).toMatchObject({ state: 'priced', input: '0.02', output: '0' });
  });

  test('an entry priced only in a unit tariff cannot bill is unpriced and says what it is priced in, never $0', () => {
    const unpriced = { name: null, state: 'unpriced', ...NO_TOKEN_PRICES, request: null, tiers: [] };
    expect(recordOf(parse('azure'), 'container')).toEqual({
      model_id: 'container', ...unpriced, unsupported: [{ field: 'code_interpreter_cost_per_session', value: '0.03' }],
    });
    // exa_ai's tiered_pricing is per query by result count, not by tokens.
    expect(recordOf(parse('exa_ai'), 'search')).toMatchObject({ model_id: 'search', ...unpriced });
    // Provisioned throughput priced per second of commitment: its own dimension, no token price.
    expect(recordOf(parse('bedrock'), 'ap-northeast-1/1-month-commitment/anthropic.claude-v1'))
      .toMatchObject({ state: 'priced', ...NO_TOKEN_PRICES, extra: { input_seconds: '0.0455', output_seconds: '0.0455' } });
  });

  test('keys naming the same model by case or by prefix keep the first entry and skip the later one', () => {
    expect(recordOf(parse('together_ai'), 'baai/bge-base-en-v1.5').input).toBe('0.008');
    expect(parse('together_ai').skipped).toEqual([
      { model_id: 'BAAI/bge-base-en-v1.5', reason: 'together_ai/BAAI/bge-base-en-v1.5 repeats together_ai/baai/bge-base-en-v1.5' },
    ]);
    expect(recordOf(parse('bedrock'), 'us.anthropic.claude-3-5-haiku-20241022-v1:0')).toMatchObject({
      input: '0.8', output: '4', cache_read: '0.08', cache_write: '1',
    });
    expect(parse('bedrock').skipped).toEqual([{
      model_id: 'us.anthropic.claude-3-5-haiku-20241022-v1:0',
      reason: 'us.anthropic.claude-3-5-haiku-20241022-v1:0 repeats bedrock/us.anthropic.claude-3-5-haiku-20241022-v1:0',
    }]);
  });

  test('provider_specific_entry us and fast are published modifier multipliers; any other key there is reported, and the entry still parses', () => {
    const published = objectAt(payload(), 'claude-opus-4-6', 'provider_specific_entry') as Record<string, string>;
    const anthropic = parse('anthropic');
    const bedrock = parse('bedrock');

    expect(recordOf(anthropic, 'claude-opus-4-6').multipliers).toEqual({ 'inference_geo=us': String(Number(published.us)), 'speed=fast': String(Number(published.fast)) });
    expect(anthropic.mapped!.map((f) => f.field)).toEqual(expect.arrayContaining(['provider_specific_entry.us', 'provider_specific_entry.fast']));
    expect(recordOf(anthropic, 'claude-haiku-4-5').multipliers).toBeUndefined();
    expect(bedrock.unmapped).toContainEqual({ field: 'provider_specific_entry.bedrock_invocation_schema', models: 1 });
    expect(recordOf(bedrock, 'amazon.titan-embed-text-v2:0').multipliers).toBeUndefined();
  });

  test('a malformed entry is skipped with a reason while the rest parse', () => {
    const corrupted = editedPayload(LITELLM, (json) => {
      objectAt(json, 'claude-sonnet-4-5').input_cost_per_token = -3e-6;
      objectAt(json, 'claude-opus-4-1').output_cost_per_token = 'about $75';
      objectAt(json, 'claude-haiku-4-5').input_cost_per_token_above_200k_tokens = true;
    });

    const result = parseLiteLlm(corrupted, 'anthropic');

    expect(result.records).toHaveLength(21);
    expect(result.skipped).toEqual(expect.arrayContaining([
      { model_id: 'claude-sonnet-4-5', reason: 'negative price -0.000003' },
      { model_id: 'claude-opus-4-1', reason: 'not a decimal number: "about $75"' },
      { model_id: 'claude-haiku-4-5', reason: expect.stringContaining('input_cost_per_token_above_200k_tokens') },
    ]));
    expect(recordOf(result, 'claude-opus-4-5')).toMatchObject({ input: '5', output: '25' });
  });

  test('a payload that is not an object of entries, or a provider with no entry, is rejected whole', () => {
    const openRouterList = objectAt(fixturePayload(OPENROUTER), 'data');
    expect(() => parseLiteLlm(openRouterList, 'openai')).toThrow('LiteLLM payload is not an object of model entries');
    expect(() => parse('no-such-provider')).toThrow('no LiteLLM entry has litellm_provider no-such-provider');
  });
});
