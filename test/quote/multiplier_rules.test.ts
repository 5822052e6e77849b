// Which models a documented multiplier rule covers, read from the model id as
// the provider's documentation names them.
import { ANTHROPIC_US_INFERENCE, claudeVersion } from '@tariff/pricing';

describe('US-only inference (Anthropic: "Claude 4.6 and later models")', () => {
  test.each([
    'claude-opus-4-6', 'claude-sonnet-4-6', 'claude-sonnet-4-6-20260217', 'claude-opus-4-7', 'claude-opus-4-8',
    'claude-opus-5', 'claude-sonnet-5', 'claude-haiku-5-5', 'claude-fable-5',
  ])('covers %s', (id) => {
    expect(ANTHROPIC_US_INFERENCE.covers(id)).toBe(true);
  });

  test.each([
    'claude-sonnet-4-5', 'claude-haiku-4-5-20251001', 'claude-opus-4-1', 'claude-opus-4', 'claude-3-5-sonnet-20241022',
    'claude-3-haiku-20240307', 'claude-opus-4-6-fast', 'claude-opus-4-6-v1', 'gpt-4o',
  ])('does not cover %s', (id) => {
    expect(ANTHROPIC_US_INFERENCE.covers(id)).toBe(false);
  });

  test('a version is read from the id and its dated snapshot alike', () => {
    expect(claudeVersion('claude-opus-4-6')).toEqual({ major: 4, minor: 6 });
    expect(claudeVersion('claude-opus-4-6-20260205')).toEqual({ major: 4, minor: 6 });
    expect(claudeVersion('claude-sonnet-5')).toEqual({ major: 5, minor: 0 });
    expect(claudeVersion('claude-3-7-sonnet-20250219')).toBeUndefined();
  });
});
