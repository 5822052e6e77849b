// Which format a body is, from its shape alone, when the caller names none.
import { AmbiguousFormatError, detectFormat, FORMATS, normalizeResponse, UnrecognisedFormatError } from '@tariff/pricing';
import { thrown } from '../support/thrown.ts';

describe('format detection', () => {
  test.each([
    ['an OpenAI chat completion', { id: 'chatcmpl-9', object: 'chat.completion', usage: { prompt_tokens: 1, completion_tokens: 1 } }, 'openai_chat'],
    ['an OpenRouter chat completion (gen- id, upstream provider named)', { id: 'gen-9', provider: 'OpenAI', usage: { prompt_tokens: 1, completion_tokens: 1 } }, 'openrouter'],
    ['an OpenAI Responses response', { object: 'response', usage: { input_tokens: 1, output_tokens: 1 } }, 'openai_responses'],
    ['an Anthropic message', { type: 'message', role: 'assistant', usage: { input_tokens: 1, output_tokens: 1 } }, 'anthropic'],
    ['a Gemini response', { candidates: [], usageMetadata: { promptTokenCount: 1 } }, 'gemini'],
    ['a Bedrock Converse response', { output: {}, stopReason: 'end_turn', usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 } }, 'bedrock_converse'],
  ])('%s is detected from the full body', (_, body, format) => {
    expect(detectFormat(body)).toBe(format);
  });

  test.each([
    ['Gemini usageMetadata', { promptTokenCount: 5, candidatesTokenCount: 1, totalTokenCount: 6 }, 'gemini'],
    ['Bedrock usage', { inputTokens: 5, outputTokens: 1 }, 'bedrock_converse'],
    ['Anthropic usage with cache counts', { input_tokens: 5, output_tokens: 1, cache_read_input_tokens: 0 }, 'anthropic'],
    ['Anthropic usage with thinking tokens', { input_tokens: 5, output_tokens: 3, output_tokens_details: { thinking_tokens: 2 } }, 'anthropic'],
    ['Responses usage with details', { input_tokens: 5, output_tokens: 3, output_tokens_details: { reasoning_tokens: 2 } }, 'openai_responses'],
    ['Responses usage with total_tokens', { input_tokens: 5, output_tokens: 1, total_tokens: 6 }, 'openai_responses'],
    ['OpenRouter usage with cost', { prompt_tokens: 5, completion_tokens: 1, cost: 0.01 }, 'openrouter'],
  ])('a bare %s is detected', (_, body, format) => {
    expect(detectFormat(body)).toBe(format);
  });

  test.each([
    ['a bare usage object with prompt_tokens and completion_tokens but no cost', { prompt_tokens: 5, completion_tokens: 1, total_tokens: 6 }, ['openai_chat', 'openrouter']],
    ['a chat completion with neither a chatcmpl- nor a gen- id', { object: 'chat.completion', usage: { prompt_tokens: 5, completion_tokens: 1 } }, ['openai_chat', 'openrouter']],
    ['a bare usage object with only input_tokens and output_tokens', { input_tokens: 5, output_tokens: 1 }, ['openai_responses', 'anthropic']],
  ])('%s is ambiguous and the error names the candidates', (_, body, candidates) => {
    const error = thrown(() => normalizeResponse(body));
    expect(error).toBeInstanceOf(AmbiguousFormatError);
    expect((error as AmbiguousFormatError).candidates).toEqual(candidates);
    expect(error.message).toContain(candidates.join(' or '));
    expect((error as AmbiguousFormatError).details).toEqual({ candidates });
  });

  test('naming the format settles an ambiguous body', () => {
    expect(normalizeResponse({ prompt_tokens: 5, completion_tokens: 1 }, 'openrouter').format).toBe('openrouter');
    expect(normalizeResponse({ input_tokens: 5, output_tokens: 1 }, 'anthropic').usage).toEqual({ input_tokens: 5, output_tokens: 1, requests: 1 });
  });

  test.each([
    ['an empty object', {}],
    ['an unrelated object', { choices: [], data: [1, 2] }],
    ['an array', [{ prompt_tokens: 1 }]],
    ['a string', 'prompt_tokens: 5'],
    ['null', null],
  ])('%s matches no format and the error says what was expected', (_, body) => {
    const error = thrown(() => normalizeResponse(body));
    expect(error).toBeInstanceOf(UnrecognisedFormatError);
    expect((error as UnrecognisedFormatError).expected).toHaveLength(FORMATS.length);
    expect(error.message).toMatch(/expected|must be a JSON object/);
  });

  test('a body of another format, read as the format the caller named, says what that format looks like', () => {
    const error = thrown(() => normalizeResponse({ usageMetadata: { promptTokenCount: 3 } }, 'anthropic'));
    expect(error).toBeInstanceOf(UnrecognisedFormatError);
    expect(error.message).toContain('Anthropic');
  });
});
