// Cross-source id matching on the real payloads of the four sources.
import { candidateIds, dottedVersions, findCounterpart, indexRecords, undated, upstreamIdsFor } from '../../src/discrepancy/match.ts';
import { sourceNamed } from '../../src/sources/registry.ts';
import { fixturePayload } from '../sources/fixtures.ts';

const FILES: Record<string, string> = {
  models_dev: 'models-dev-api.json',
  openrouter: 'openrouter-models.json',
  litellm: 'litellm-model_prices.json',
  genai_prices: 'genai-prices-data.json',
};

/** `<upstream id>:<model id>` of the counterpart in `source`, or `none`. */
function counterpart(source: string, provider: string, modelId: string): string {
  const payload = fixturePayload(FILES[source]!);
  const indexes = upstreamIdsFor(source, provider).flatMap((upstreamId) => {
    try {
      return [indexRecords(upstreamId, sourceNamed(source).parse(payload, upstreamId).records)];
    } catch {
      return [];
    }
  });
  const found = findCounterpart(source, provider, modelId, indexes);
  return found ? `${found.upstreamId}:${found.record.model_id}` : 'none';
}

describe('id conventions', () => {
  test.each([
    ['claude-sonnet-4-5', 'claude-sonnet-4.5'],
    ['claude-3-5-haiku', 'claude-3.5-haiku'],
    ['claude-opus-4-1', 'claude-opus-4.1'],
    ['gpt-4.1', 'gpt-4.1'],
    ['deepseek-r1-0528', 'deepseek-r1-0528'],
    ['qwen3-235b-a22b-2507', 'qwen3-235b-a22b-2507'],
    ['llama-3-1-8b-instruct', 'llama-3.1-8b-instruct'],
  ])('version dashes become dots: %s → %s', (id, dotted) => {
    expect(dottedVersions(id)).toBe(dotted);
  });

  test.each([
    ['claude-sonnet-4-5-20250929', 'claude-sonnet-4-5'],
    ['gpt-4o-2024-08-06', 'gpt-4o'],
    ['claude-opus-4@20250514', 'claude-opus-4'],
    ['deepseek-r1-0528', null],
    ['gpt-4o', null],
  ])('a snapshot date is dropped: %s → %s', (id, base) => {
    expect(undated(id)).toBe(base);
  });

  test('OpenRouter ids are built with the provider\'s slug and never as a variant', () => {
    expect(candidateIds('openrouter', 'xai', 'grok-4')).toEqual(['x-ai/grok-4']);
    expect(candidateIds('openrouter', 'anthropic', 'claude-sonnet-4-5-20250929'))
      .toEqual(['anthropic/claude-sonnet-4-5-20250929', 'anthropic/claude-sonnet-4.5-20250929', 'anthropic/claude-sonnet-4-5', 'anthropic/claude-sonnet-4.5']);
    expect(candidateIds('openrouter', 'openrouter', 'deepseek/deepseek-v4-flash')).toEqual(['deepseek/deepseek-v4-flash']);
    expect(candidateIds('openrouter', 'mistral', 'mistral-large')).toEqual(['mistralai/mistral-large']);
  });
});

describe('the same model in each source, on real ids', () => {
  test.each([
    // source, tariff provider, served id, counterpart
    ['openrouter', 'anthropic', 'claude-sonnet-4-5', 'openrouter:anthropic/claude-sonnet-4.5'],
    ['openrouter', 'anthropic', 'claude-sonnet-4-5-20250929', 'openrouter:anthropic/claude-sonnet-4.5'],
    ['openrouter', 'anthropic', 'claude-3-5-haiku-20241022', 'openrouter:anthropic/claude-3.5-haiku'],
    ['openrouter', 'openai', 'gpt-4o', 'openrouter:openai/gpt-4o'],
    ['openrouter', 'openai', 'gpt-4', 'openrouter:openai/gpt-4'],
    ['openrouter', 'xai', 'grok-4', 'openrouter:x-ai/grok-4'],
    ['openrouter', 'google', 'gemini-2.5-pro', 'openrouter:google/gemini-2.5-pro'],
    ['openrouter', 'deepseek', 'deepseek-v4-flash', 'openrouter:deepseek/deepseek-v4-flash'],
    ['litellm', 'anthropic', 'claude-sonnet-4-5', 'anthropic:claude-sonnet-4-5'],
    ['litellm', 'anthropic', 'claude-opus-4-6', 'anthropic:claude-opus-4-6'],
    ['litellm', 'google', 'gemini-2.5-pro', 'gemini:gemini-2.5-pro'],
    ['litellm', 'openai', 'gpt-4o-mini-2024-07-18', 'openai:gpt-4o-mini-2024-07-18'],
    ['litellm', 'openrouter', 'anthropic/claude-sonnet-4.5', 'openrouter:anthropic/claude-sonnet-4.5'],
    ['litellm', 'bedrock', 'anthropic.claude-sonnet-4-5-20250929-v1:0', 'bedrock_converse:anthropic.claude-sonnet-4-5-20250929-v1:0'],
    ['genai_prices', 'anthropic', 'claude-sonnet-4-5-20250929', 'anthropic:claude-sonnet-4-5'],
    ['genai_prices', 'anthropic', 'claude-3-5-haiku-latest', 'anthropic:claude-3-5-haiku-latest'],
    ['genai_prices', 'openai', 'o3-mini', 'openai:o3-mini'],
    ['genai_prices', 'xai', 'grok-4', 'x-ai:grok-4-0709'],
    ['genai_prices', 'bedrock', 'us.anthropic.claude-sonnet-5-v1:0', 'aws:regional.anthropic.claude-sonnet-5-v1:0'],
    ['genai_prices', 'google', 'gemini-2.5-pro', 'google:gemini-2.5-pro'],
    ['genai_prices', 'openrouter', 'anthropic/claude-sonnet-4.5', 'openrouter:anthropic/claude-sonnet-4.5'],
    ['models_dev', 'anthropic', 'claude-sonnet-4-5', 'anthropic:claude-sonnet-4-5'],
    ['models_dev', 'bedrock', 'anthropic.claude-sonnet-4-5-20250929-v1:0', 'amazon-bedrock:anthropic.claude-sonnet-4-5-20250929-v1:0'],
    ['models_dev', 'openrouter', 'anthropic/claude-sonnet-4.5', 'openrouter:anthropic/claude-sonnet-4.5'],
  ])('%s has %s %s as %s', (source, provider, modelId, expected) => {
    expect(counterpart(source, provider, modelId)).toBe(expected);
  });

  test('no loose prefix: gpt-4 is never gpt-4o, and a :free variant never stands for the paid model', () => {
    expect(counterpart('openrouter', 'openai', 'gpt-4')).not.toBe('openrouter:openai/gpt-4o');
    expect(counterpart('litellm', 'openai', 'gpt-4')).toBe('openai:gpt-4');
    expect(counterpart('openrouter', 'deepseek', 'deepseek-v4-flash')).not.toContain(':free');
    expect(counterpart('models_dev', 'openai', 'gpt-4-nonexistent')).toBe('none');
  });
});
