import { parseExactJson, toPrice, toTokenCount } from '../../src/sources/json.ts';
import { LITELLM, MODELS_DEV, OPENROUTER, fixtureText, objectAt } from './fixtures.ts';

describe('parseExactJson', () => {
  test('keeps every JSON number as the literal it was written as', () => {
    const litellm = parseExactJson(fixtureText(LITELLM));
    const modelsDev = parseExactJson(fixtureText(MODELS_DEV));

    expect(objectAt(litellm, 'claude-sonnet-4-5').input_cost_per_token).toBe('3e-06');
    expect(objectAt(litellm, 'fireworks_ai/accounts/fireworks/models/SSD-1B').input_cost_per_token).toBe('1.3e-10');
    expect(objectAt(litellm, 'anthropic.claude-mythos-preview').input_cost_per_token).toBe('0');
    expect(objectAt(modelsDev, 'helicone', 'models', 'claude-3.7-sonnet', 'cost').cache_read).toBe('0.30000000000000004');
  });

  test('leaves strings, booleans and nulls as JSON.parse does', () => {
    const openRouter = parseExactJson(fixtureText(OPENROUTER));
    const auto = Object.values(objectAt(openRouter, 'data')).map((model) => objectAt(model))
      .find((model) => model.id === 'openrouter/auto');

    expect(auto?.pricing).toEqual({ prompt: '-1', completion: '-1' });
    expect(objectAt(auto, 'top_provider')).toEqual({ context_length: null, max_completion_tokens: null, is_moderated: false });
  });

  test('a truncated body is invalid JSON, reported by position and never quoted', () => {
    const text = fixtureText(OPENROUTER);
    const truncated = text.slice(0, 200_000);

    expect(() => parseExactJson(truncated)).toThrow(/^invalid JSON at position \d+ \(line 1 column \d+\) of 200000 characters$/);
    expect(() => parseExactJson('')).toThrow('invalid JSON: the text is empty');
  });

  test('an HTML error page is invalid JSON, and the message does not repeat the page', () => {
    const page = '<!DOCTYPE html><html><body>secret session 1234</body></html>';
    expect(() => parseExactJson(page)).toThrow(new Error('invalid JSON: unexpected "<"'));
  });
});

describe('reading number literals', () => {
  test('a price literal becomes a canonical decimal, shifted exactly', () => {
    expect(toPrice('3e-06', 6)).toBe('3');
    expect(toPrice('1.3e-10', 6)).toBe('0.00013');
    expect(toPrice('0.00000008333333333333334', 6)).toBe('0.08333333333333334');
    expect(toPrice('0.0')).toBe('0');
    expect(() => toPrice('-1')).toThrow('negative price -1');
    expect(() => toPrice('about $3')).toThrow('not a decimal number');
  });

  test('a token count may be written as a float, but must be a whole number', () => {
    expect(toTokenCount('256000.0')).toBe(256000);
    expect(toTokenCount('200000')).toBe(200000);
    expect(() => toTokenCount('1.5')).toThrow('not a token count: 1.5');
    expect(() => toTokenCount('-1')).toThrow('not a token count: -1');
  });
});
