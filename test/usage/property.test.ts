// Property-style: for random but consistent provider counts, the buckets are
// exactly the parts they were built from and add up to the provider's totals;
// for counts whose parts exceed their total, the error names those fields.
import { seededRandom, randomInt } from '../../scripts/support/random.ts';
import { InconsistentUsageError, INPUT_BUCKETS, normalizeResponse, TOKEN_BUCKETS, type Usage } from '@tariff/pricing';
import { thrown } from '../support/thrown.ts';

const RUNS = 300;
const random = seededRandom(20261126);
const int = (max: number) => randomInt(random, 0, max);
const sumOf = (usage: Usage, buckets: readonly string[]) =>
  buckets.reduce((acc, bucket) => acc + (usage[bucket as keyof Usage] ?? 0), 0);
const OUTPUT_BUCKETS = TOKEN_BUCKETS.filter((bucket) => !INPUT_BUCKETS.includes(bucket));

describe('buckets add up to what the provider reported', () => {
  test('OpenAI Chat: input side = prompt_tokens, output side = completion_tokens', () => {
    for (let i = 0; i < RUNS; i++) {
      const [text, audio, cached, reasoning, outAudio, outText] = [int(5000), int(800), int(4000), int(3000), int(500), int(2000)];
      const prompt = text + audio + cached;
      const completion = reasoning + outAudio + outText;
      const usage = normalizeResponse({
        prompt_tokens: prompt, completion_tokens: completion,
        prompt_tokens_details: { cached_tokens: cached, audio_tokens: audio },
        completion_tokens_details: { reasoning_tokens: reasoning, audio_tokens: outAudio },
      }, 'openai_chat').usage;
      expect(usage).toMatchObject({ input_tokens: text, output_tokens: outText });
      expect(sumOf(usage, INPUT_BUCKETS)).toBe(prompt);
      expect(sumOf(usage, OUTPUT_BUCKETS)).toBe(completion);
    }
  });

  test('Anthropic: input side = input + cache reads + cache writes, output side = output_tokens', () => {
    for (let i = 0; i < RUNS; i++) {
      const [input, read, fiveMinutes, oneHour, output] = [int(5000), int(90000), int(3000), int(3000), int(4000)];
      const thinking = int(output);
      const usage = normalizeResponse({
        input_tokens: input, cache_read_input_tokens: read, cache_creation_input_tokens: fiveMinutes + oneHour,
        cache_creation: { ephemeral_5m_input_tokens: fiveMinutes, ephemeral_1h_input_tokens: oneHour },
        output_tokens: output, output_tokens_details: { thinking_tokens: thinking },
      }, 'anthropic').usage;
      expect(sumOf(usage, INPUT_BUCKETS)).toBe(input + read + fiveMinutes + oneHour);
      expect(sumOf(usage, OUTPUT_BUCKETS)).toBe(output);
      expect(usage.cache_write_1h_tokens ?? 0).toBe(oneHour);
    }
  });

  test('Gemini: all buckets = totalTokenCount (prompt + tool-use prompt + candidates + thoughts)', () => {
    const media = ['TEXT', 'AUDIO', 'IMAGE', 'VIDEO', 'DOCUMENT'];
    for (let i = 0; i < RUNS; i++) {
      const prompt = media.map((modality) => ({ modality, tokenCount: int(3000) }));
      const cache = prompt.map(({ modality, tokenCount }) => ({ modality, tokenCount: int(tokenCount) }));
      const tool = media.slice(0, 3).map((modality) => ({ modality, tokenCount: int(200) }));
      const candidates = ['TEXT', 'AUDIO', 'IMAGE'].map((modality) => ({ modality, tokenCount: int(1000) }));
      const total = (list: { tokenCount: number }[]) => list.reduce((acc, item) => acc + item.tokenCount, 0);
      const thoughts = int(2000);
      const metadata = {
        promptTokenCount: total(prompt), cachedContentTokenCount: total(cache), toolUsePromptTokenCount: total(tool),
        candidatesTokenCount: total(candidates), thoughtsTokenCount: thoughts,
        totalTokenCount: total(prompt) + total(tool) + total(candidates) + thoughts,
        promptTokensDetails: prompt, cacheTokensDetails: cache, toolUsePromptTokensDetails: tool, candidatesTokensDetails: candidates,
      };
      const usage = normalizeResponse({ usageMetadata: metadata }).usage;
      expect(sumOf(usage, TOKEN_BUCKETS)).toBe(metadata.totalTokenCount);
      expect(usage.cache_read_audio_tokens ?? 0).toBe(cache[1]!.tokenCount);
      expect(usage.output_image_tokens ?? 0).toBe(candidates[2]!.tokenCount);
    }
  });

  test('Bedrock: all buckets = totalTokens', () => {
    for (let i = 0; i < RUNS; i++) {
      const [input, read, fiveMinutes, oneHour, output] = [int(5000), int(9000), int(3000), int(3000), int(4000)];
      const usage = normalizeResponse({
        inputTokens: input, outputTokens: output, cacheReadInputTokens: read, cacheWriteInputTokens: fiveMinutes + oneHour,
        totalTokens: input + output + read + fiveMinutes + oneHour,
        cacheDetails: [{ ttl: '1h', inputTokens: oneHour }, { ttl: '5m', inputTokens: fiveMinutes }],
      }).usage;
      expect(sumOf(usage, TOKEN_BUCKETS)).toBe(input + output + read + fiveMinutes + oneHour);
    }
  });
});

describe('parts larger than their total are refused, naming the fields', () => {
  test('OpenAI Chat: cached + audio beyond prompt_tokens', () => {
    for (let i = 0; i < RUNS; i++) {
      const [cached, audio] = [1 + int(4000), int(800)];
      const prompt = randomInt(random, 0, cached + audio - 1);
      const error = thrown(() => normalizeResponse({
        prompt_tokens: prompt, completion_tokens: 0, prompt_tokens_details: { cached_tokens: cached, audio_tokens: audio },
      }, 'openai_chat'));
      expect(error).toBeInstanceOf(InconsistentUsageError);
      expect((error as InconsistentUsageError).fields).toEqual([
        'prompt_tokens', 'prompt_tokens_details.cached_tokens', ...(audio > 0 ? ['prompt_tokens_details.audio_tokens'] : []),
      ]);
    }
  });

  test('Gemini: cached content beyond the prompt', () => {
    for (let i = 0; i < RUNS; i++) {
      const prompt = int(5000);
      const error = thrown(() => normalizeResponse({ promptTokenCount: prompt, cachedContentTokenCount: prompt + 1 + int(100) }));
      expect((error as InconsistentUsageError).fields).toEqual(['promptTokenCount', 'cachedContentTokenCount']);
    }
  });
});
