// Rules the published examples do not exercise (their counts are zero there),
// pinned on usage objects built from each provider's documented field list.
import { type Format, InconsistentUsageError, normalizeResponse, readResponse, UsageFieldError } from '@tariff/pricing';
import { parseExactJson } from '../../src/sources/json.ts';
import { thrown } from '../support/thrown.ts';

const usageOf = (body: unknown, format: Format) => normalizeResponse(body, format).usage;

describe('OpenAI Chat Completions', () => {
  test('cached and audio prompt tokens come out of input_tokens; reasoning and audio output out of output_tokens', () => {
    const usage = usageOf({
      prompt_tokens: 1000, completion_tokens: 500,
      prompt_tokens_details: { cached_tokens: 600, audio_tokens: 150 },
      completion_tokens_details: { reasoning_tokens: 200, audio_tokens: 120, accepted_prediction_tokens: 5, rejected_prediction_tokens: 7 },
    }, 'openai_chat');
    expect(usage).toEqual({
      input_tokens: 250, input_audio_tokens: 150, cache_read_tokens: 600,
      output_tokens: 180, reasoning_tokens: 200, output_audio_tokens: 120, requests: 1,
    });
  });

  test('cached audio, when the body breaks cached tokens down, is cache_read_audio_tokens and neither cached text nor fresh audio', () => {
    const usage = usageOf({
      prompt_tokens: 1000, completion_tokens: 10,
      prompt_tokens_details: { cached_tokens: 600, audio_tokens: 400, cached_tokens_details: { text_tokens: 500, audio_tokens: 100 } },
    }, 'openai_chat');
    expect(usage).toEqual({
      input_tokens: 100, input_audio_tokens: 300, cache_read_tokens: 500, cache_read_audio_tokens: 100,
      output_tokens: 10, requests: 1,
    });
  });

  test.each([['default', 'standard'], ['flex', 'flex'], ['priority', 'priority']])('service_tier %s is tariff tier %s', (reported, tier) => {
    const body = { id: 'chatcmpl-1', model: 'gpt-x', service_tier: reported, usage: { prompt_tokens: 1, completion_tokens: 1 } };
    expect(normalizeResponse(body).service_tier).toBe(tier);
  });

  test('a tier tariff has no price for (scale) is refused, naming service_tier', () => {
    const error = thrown(() => normalizeResponse({ id: 'chatcmpl-1', service_tier: 'scale', usage: { prompt_tokens: 1, completion_tokens: 1 } }));
    expect(error).toBeInstanceOf(UsageFieldError);
    expect((error as UsageFieldError).field).toBe('service_tier');
  });

  test('more cached tokens than prompt tokens is inconsistent usage naming both fields', () => {
    const error = thrown(() => normalizeResponse({
      id: 'chatcmpl-1', usage: { prompt_tokens: 100, completion_tokens: 5, prompt_tokens_details: { cached_tokens: 128 } },
    }));
    expect(error).toBeInstanceOf(InconsistentUsageError);
    expect((error as InconsistentUsageError).fields).toEqual(['usage.prompt_tokens', 'usage.prompt_tokens_details.cached_tokens']);
    expect(error.message).toBe('usage.prompt_tokens (100) is less than usage.prompt_tokens_details.cached_tokens (128)');
  });

  test('reasoning and audio output beyond completion_tokens names all three fields', () => {
    const error = thrown(() => usageOf({
      prompt_tokens: 1, completion_tokens: 10, completion_tokens_details: { reasoning_tokens: 8, audio_tokens: 3 },
    }, 'openai_chat'));
    expect((error as InconsistentUsageError).fields).toEqual([
      'completion_tokens', 'completion_tokens_details.reasoning_tokens', 'completion_tokens_details.audio_tokens',
    ]);
  });
});

describe('counts', () => {
  test.each([
    [1.5, '1.5'], [-3, '-3'], ['12a', '"12a"'], [true, 'true'], [{}, '{}'], ['-1', '"-1"'], [2 ** 60, String(2 ** 60)],
  ])('prompt_tokens %p is refused, naming the field', (value, shown) => {
    const error = thrown(() => usageOf({ prompt_tokens: value, completion_tokens: 1 }, 'openai_chat'));
    expect(error).toBeInstanceOf(UsageFieldError);
    expect((error as UsageFieldError).field).toBe('prompt_tokens');
    expect(error.message).toContain(shown);
  });

  test('exact number literals (text, as parseExactJson leaves them) read the same as JSON numbers', () => {
    const text = '{"id":"chatcmpl-1","usage":{"prompt_tokens":2006,"completion_tokens":300.0,"prompt_tokens_details":{"cached_tokens":1920}}}';
    expect(normalizeResponse(parseExactJson(text))).toEqual(normalizeResponse(JSON.parse(text)));
  });

  test('null details are read as absent', () => {
    expect(usageOf({ prompt_tokens: 7, completion_tokens: 3, prompt_tokens_details: null, completion_tokens_details: null }, 'openai_chat'))
      .toEqual({ input_tokens: 7, output_tokens: 3, requests: 1 });
  });

  test('unknown extra fields are tolerated', () => {
    expect(usageOf({ prompt_tokens: 7, completion_tokens: 3, surprise: { deep: [1, 'x'] }, prompt_tokens_details: { new_kind: 'x' } }, 'openai_chat'))
      .toEqual({ input_tokens: 7, output_tokens: 3, requests: 1 });
  });
});

describe('OpenAI Responses', () => {
  test('cached input and reasoning output are split out, and the tier is read from the response', () => {
    const result = normalizeResponse({
      object: 'response', model: 'o-x', service_tier: 'flex',
      usage: { input_tokens: 5000, input_tokens_details: { cached_tokens: 4096 }, output_tokens: 900, output_tokens_details: { reasoning_tokens: 700 } },
    });
    expect(result).toEqual({
      format: 'openai_responses', model: 'o-x', service_tier: 'flex', reported_cost_usd: null,
      usage: { input_tokens: 904, cache_read_tokens: 4096, output_tokens: 200, reasoning_tokens: 700, requests: 1 },
    });
  });
});

describe('Anthropic', () => {
  test('input_tokens excludes cache reads and writes; the 1h part of the writes is cache_write_1h_tokens', () => {
    const result = normalizeResponse({
      type: 'message', model: 'claude-x',
      usage: {
        input_tokens: 50, cache_read_input_tokens: 100000, cache_creation_input_tokens: 556,
        cache_creation: { ephemeral_5m_input_tokens: 456, ephemeral_1h_input_tokens: 100 },
        output_tokens: 503, output_tokens_details: { thinking_tokens: 300 },
        server_tool_use: { web_search_requests: 3, web_fetch_requests: 1 }, service_tier: 'priority',
      },
    });
    expect(result).toEqual({
      format: 'anthropic', model: 'claude-x', service_tier: 'priority', reported_cost_usd: null,
      usage: {
        input_tokens: 50, cache_read_tokens: 100000, cache_write_tokens: 456, cache_write_1h_tokens: 100,
        output_tokens: 203, reasoning_tokens: 300, web_search_requests: 3, requests: 1,
      },
    });
  });

  test('batch service tier is the batch tier', () => {
    expect(normalizeResponse({ type: 'message', usage: { input_tokens: 1, output_tokens: 1, service_tier: 'batch' } }).service_tier).toBe('batch');
  });

  test('an unknown service tier is refused, naming usage.service_tier', () => {
    const error = thrown(() => normalizeResponse({ type: 'message', usage: { input_tokens: 1, output_tokens: 1, service_tier: 'turbo' } }));
    expect((error as UsageFieldError).field).toBe('usage.service_tier');
  });
});

describe('Gemini and Vertex AI', () => {
  test('prompt tokens split by modality, cached audio kept apart, tool-use prompt billed as input, thoughts as reasoning', () => {
    const usage = usageOf({
      usageMetadata: {
        promptTokenCount: 10000, cachedContentTokenCount: 6000, toolUsePromptTokenCount: 300, candidatesTokenCount: 900, thoughtsTokenCount: 400,
        promptTokensDetails: [
          { modality: 'TEXT', tokenCount: 3000 }, { modality: 'DOCUMENT', tokenCount: 1000 }, { modality: 'AUDIO', tokenCount: 2500 },
          { modality: 'IMAGE', tokenCount: 1500 }, { modality: 'VIDEO', tokenCount: 2000 },
        ],
        cacheTokensDetails: [{ modality: 'TEXT', tokenCount: 2000 }, { modality: 'AUDIO', tokenCount: 2000 }, { modality: 'VIDEO', tokenCount: 2000 }],
        toolUsePromptTokensDetails: [{ modality: 'TEXT', tokenCount: 200 }, { modality: 'IMAGE', tokenCount: 100 }],
        candidatesTokensDetails: [{ modality: 'TEXT', tokenCount: 100 }, { modality: 'AUDIO', tokenCount: 500 }, { modality: 'IMAGE', tokenCount: 300 }],
      },
    }, 'gemini');
    expect(usage).toEqual({
      input_tokens: 2200, input_audio_tokens: 500, input_image_tokens: 1600,
      cache_read_tokens: 4000, cache_read_audio_tokens: 2000,
      output_tokens: 100, reasoning_tokens: 400, output_audio_tokens: 500, output_image_tokens: 300, requests: 1,
    });
  });

  test('more cached audio than prompt audio names both modality entries', () => {
    const error = thrown(() => usageOf({
      promptTokenCount: 100, cachedContentTokenCount: 50,
      promptTokensDetails: [{ modality: 'AUDIO', tokenCount: 10 }], cacheTokensDetails: [{ modality: 'AUDIO', tokenCount: 50 }],
    }, 'gemini'));
    expect((error as InconsistentUsageError).fields).toEqual(['promptTokensDetails[AUDIO]', 'cacheTokensDetails[AUDIO]']);
  });

  test('an output modality with no bucket is refused rather than priced as text', () => {
    const error = thrown(() => usageOf({ candidatesTokenCount: 10, candidatesTokensDetails: [{ modality: 'VIDEO', tokenCount: 10 }] }, 'gemini'));
    expect((error as UsageFieldError).field).toBe('candidatesTokensDetails[0].modality');
  });

  describe("the tier: Vertex AI's trafficType, the Gemini API's serviceTier", () => {
    const read = (tiers: Record<string, string>) => readResponse({ usageMetadata: { promptTokenCount: 10, candidatesTokenCount: 5, ...tiers } }, 'gemini');

    test.each([
      ['UNSPECIFIED', 'standard'], ['standard', 'standard'], ['STANDARD', 'standard'], ['flex', 'flex'], ['FLEX', 'flex'], ['Priority', 'priority'],
    ])('serviceTier %s is the %s tier', (serviceTier, tier) => {
      expect(read({ serviceTier })).toMatchObject({ service_tier: tier });
      expect(read({ serviceTier }).modifiers).toBeUndefined();
    });

    test('a serviceTier value with no tariff tier is a modifier naming the field and value, with no tier', () => {
      expect(read({ serviceTier: 'ULTRA' })).toMatchObject({ service_tier: null, modifiers: [{ field: 'usageMetadata.serviceTier', value: 'ULTRA' }] });
    });

    test('trafficType and serviceTier naming different tiers is a modifier, never either price', () => {
      expect(read({ trafficType: 'ON_DEMAND_FLEX', serviceTier: 'flex' })).toMatchObject({ service_tier: 'flex' });
      expect(read({ trafficType: 'ON_DEMAND', serviceTier: 'priority' })).toMatchObject({
        service_tier: null, modifiers: [{ field: 'usageMetadata.serviceTier', value: 'priority' }],
      });
    });
  });
});

describe('Bedrock Converse (no published example with values: built from the TokenUsage reference)', () => {
  test('inputTokens excludes cache reads and writes; cacheDetails gives the 1h writes; serviceTier.type is the tier', () => {
    const result = normalizeResponse({
      output: { message: { role: 'assistant', content: [{ text: 'ok' }] } }, stopReason: 'end_turn',
      usage: {
        inputTokens: 13, outputTokens: 4, totalTokens: 7287, cacheReadInputTokens: 0, cacheWriteInputTokens: 7270,
        cacheDetails: [{ ttl: '1h', inputTokens: 7000 }, { ttl: '5m', inputTokens: 270 }],
      },
      metrics: { latencyMs: 1 }, serviceTier: { type: 'flex' },
    });
    expect(result).toEqual({
      format: 'bedrock_converse', model: null, service_tier: 'flex', reported_cost_usd: null,
      usage: { input_tokens: 13, cache_write_tokens: 270, cache_write_1h_tokens: 7000, output_tokens: 4, requests: 1 },
    });
  });

  test('cacheDetails that do not add up to cacheWriteInputTokens name both', () => {
    const error = thrown(() => usageOf({ inputTokens: 1, outputTokens: 1, cacheWriteInputTokens: 10, cacheDetails: [{ ttl: '5m', inputTokens: 9 }] }, 'bedrock_converse'));
    expect((error as InconsistentUsageError).fields).toEqual(['cacheWriteInputTokens', 'cacheDetails']);
  });

  test('the reserved tier, paid by the month, is refused rather than quoted per token', () => {
    const error = thrown(() => normalizeResponse({ usage: { inputTokens: 1, outputTokens: 1 }, serviceTier: { type: 'reserved' } }));
    expect((error as UsageFieldError).field).toBe('serviceTier.type');
  });
});

describe('OpenRouter', () => {
  test('usage.cost is reported exactly, from the literal the API layer passes', () => {
    const body = parseExactJson('{"id":"gen-1","model":"openai/gpt-4o","usage":{"prompt_tokens":10,"completion_tokens":2,"cost":0.000123456789012345678}}');
    expect(normalizeResponse(body)).toMatchObject({ format: 'openrouter', model: 'openai/gpt-4o', reported_cost_usd: '0.000123456789012345678' });
  });

  test('an exponent literal is written out in plain decimals', () => {
    expect(normalizeResponse({ usage: { prompt_tokens: 1, completion_tokens: 1, cost: '1e-7' } }).reported_cost_usd).toBe('0.0000001');
  });

  test('a negative or non-numeric cost is refused, naming usage.cost', () => {
    for (const cost of [-0.5, 'abc', true]) {
      const error = thrown(() => normalizeResponse({ usage: { prompt_tokens: 1, completion_tokens: 1, cost } }));
      expect((error as UsageFieldError).field).toBe('usage.cost');
    }
  });

  test('cache writes come out of prompt_tokens like cache reads', () => {
    expect(usageOf({ prompt_tokens: 1000, completion_tokens: 1, cost: 0, prompt_tokens_details: { cached_tokens: 700, cache_write_tokens: 200 } }, 'openrouter'))
      .toEqual({ input_tokens: 100, cache_read_tokens: 700, cache_write_tokens: 200, output_tokens: 1, requests: 1 });
  });

  test('a Responses-shaped OpenRouter body is read with Responses semantics and its cost', () => {
    expect(normalizeResponse({ object: 'response', usage: { input_tokens: 10, output_tokens: 25, output_tokens_details: { reasoning_tokens: 5 }, cost: '0.002' } }))
      .toMatchObject({ format: 'openrouter', reported_cost_usd: '0.002', usage: { input_tokens: 10, output_tokens: 20, reasoning_tokens: 5 } });
  });
});
