import { type CatalogEntry, type CatalogView, resolveModel } from '@tariff/pricing';
import { snapshotView } from './catalog.ts';

// The real bundled catalog, indexed as the API serves it.
let view: CatalogView;

beforeAll(async () => {
  view = await snapshotView();
});

function models(provider: string): ReadonlyMap<string, CatalogEntry> {
  const map = view.byProvider.get(provider);
  if (!map) throw new Error(`provider ${provider} is not in the snapshot`);
  return map;
}

/** `matched_by → model_id`, or `unknown` */
function resolved(provider: string, requested: string): string {
  const result = resolveModel(models(provider), provider, requested);
  return result.entry ? `${result.matched_by} → ${result.entry.model_id}` : 'unknown';
}

describe('resolving a model id as callers send it', () => {
  test('the exact stored id wins, and a dated id that is stored resolves to its own entry', () => {
    expect(resolved('openai', 'gpt-4o')).toBe('exact → gpt-4o');
    expect(resolved('openai', 'gpt-4o-2024-08-06')).toBe('exact → gpt-4o-2024-08-06');
    expect(resolved('google-vertex-anthropic', 'claude-opus-4@20250514')).toBe('exact → claude-opus-4@20250514');
    expect(resolved('openrouter', 'openrouter/auto')).toBe('exact → openrouter/auto');
    expect(resolved('azure', 'deepseek-r1-0528')).toBe('exact → deepseek-r1-0528');
  });

  test('an OpenRouter-style <provider>/<id> and another letter case are aliases of the stored id', () => {
    expect(resolved('openai', 'openai/gpt-4o')).toBe('alias → gpt-4o');
    expect(resolved('openai', 'GPT-4o')).toBe('alias → gpt-4o');
    expect(resolved('openai', 'OpenAI/GPT-4o-2024-08-06')).toBe('alias → gpt-4o-2024-08-06');
    expect(resolved('anthropic', 'anthropic/claude-sonnet-4-5')).toBe('alias → claude-sonnet-4-5');
    expect(resolved('openrouter', 'openrouter/openai/gpt-4o')).toBe('alias → openai/gpt-4o');
  });

  test('a dated snapshot the provider does not list resolves to its base model', () => {
    expect(resolved('openai', 'gpt-4o-mini-2024-07-18')).toBe('normalized → gpt-4o-mini');
    expect(resolved('openai', 'gpt-5.2-20251211')).toBe('normalized → gpt-5.2');
    expect(resolved('openai', 'gpt-5.2-2025-12-11')).toBe('normalized → gpt-5.2');
    expect(resolved('helicone', 'claude-opus-4-20250514')).toBe('normalized → claude-opus-4');
    expect(resolved('openrouter', 'anthropic/claude-sonnet-4.5-20250929')).toBe('normalized → anthropic/claude-sonnet-4.5');
  });

  test('a vertex-style claude-opus-4@20250514 resolves to the base model, or to the same date written the anthropic way', () => {
    expect(resolved('helicone', 'claude-opus-4@20250514')).toBe('normalized → claude-opus-4');
    expect(resolved('anthropic', 'claude-opus-4@20250514')).toBe('normalized → claude-opus-4-20250514');
    expect(resolved('anthropic', 'claude-sonnet-4-5@20250929')).toBe('normalized → claude-sonnet-4-5-20250929');
  });

  test('prefix, case and date combine: openai/GPT-4o-mini-2024-07-18 is gpt-4o-mini', () => {
    expect(resolved('openai', 'openai/GPT-4o-mini-2024-07-18')).toBe('normalized → gpt-4o-mini');
  });

  test('a dated id whose base the provider lacks is unknown, not another snapshot of the model', () => {
    // llmgateway lists only claude-3-5-sonnet-20241022
    expect(resolved('llmgateway', 'claude-3-5-sonnet-20240620')).toBe('unknown');
    // anthropic lists claude-3-5-sonnet-20240620 and -20241022 but no claude-3-5-sonnet
    expect(resolved('anthropic', 'claude-3-5-sonnet')).toBe('unknown');
  });

  test.each([
    ['gpt-4o-2024-13-01', 'month 13'],
    ['gpt-4o-2024-08-32', 'day 32'],
    ['gpt-4o-20240800', 'day 00'],
    ['gpt-4o-2024-0806', 'mixed date forms'],
    ['gpt-4o-0806', 'a month-day suffix, not a date'],
    ['gpt-4o-2024-08-06:free', 'a date that is not trailing'],
  ])('openai %s is unknown (%s)', (requested) => {
    expect(resolved('openai', requested)).toBe('unknown');
  });
});

describe('an id never matches a different model by a loose prefix or suffix', () => {
  test('302ai lists gpt-4o but not gpt-4 or gpt-4o-mini: neither resolves to gpt-4o', () => {
    expect(resolved('302ai', 'gpt-4o')).toBe('exact → gpt-4o');
    expect(resolved('302ai', 'gpt-4')).toBe('unknown');
    expect(resolved('302ai', 'gpt-4o-mini')).toBe('unknown');
    expect(resolved('302ai', 'gpt-4o-mini-2024-07-18')).toBe('unknown');
  });

  test('claude-3-5-sonnet-v2 is not claude-3-5-sonnet, and claude-3.5-sonnet is not claude-3.5-sonnet-v2', () => {
    expect(resolved('llmgateway', 'claude-3-5-sonnet-v2')).toBe('unknown');
    expect(resolved('helicone', 'claude-3.5-sonnet-v2')).toBe('exact → claude-3.5-sonnet-v2');
    expect(resolved('helicone', 'claude-3.5-sonnet')).toBe('unknown');
  });

  test(':free variants and paid models never stand in for each other', () => {
    expect(resolved('openrouter', 'deepseek/deepseek-v4-flash:free')).toBe('exact → deepseek/deepseek-v4-flash:free');
    expect(resolved('openrouter', 'deepseek/deepseek-v4-flash')).toBe('exact → deepseek/deepseek-v4-flash');
    expect(resolved('openrouter', 'baidu/cobuddy')).toBe('unknown'); // only baidu/cobuddy:free exists
    expect(resolved('openrouter', 'openai/gpt-4o:free')).toBe('unknown'); // only the paid openai/gpt-4o exists
  });

  test('another provider\'s prefix is not stripped', () => {
    expect(resolved('openai', 'azure/gpt-4o')).toBe('unknown');
  });
});

describe('suggestions for an unknown id', () => {
  test('anthropic claude-sonet-4-5 suggests claude-sonnet-4-5 first, at most five, the same every time', () => {
    const first = resolveModel(models('anthropic'), 'anthropic', 'claude-sonet-4-5');
    const again = resolveModel(models('anthropic'), 'anthropic', 'claude-sonet-4-5');
    expect(first.entry).toBeNull();
    expect(first).toEqual(again);
    expect(first).toEqual({
      entry: null,
      suggestions: ['claude-sonnet-4-5', 'claude-sonnet-4-5-20250929', 'claude-sonnet-4-0', 'claude-sonnet-4-6', 'claude-opus-4-5'],
    });
  });

  test('a base id the provider lists only with dates suggests those dated ids', () => {
    const result = resolveModel(models('anthropic'), 'anthropic', 'claude-3-5-sonnet');
    expect(result.entry).toBeNull();
    expect(!result.entry && result.suggestions.slice(0, 2)).toEqual(['claude-3-5-sonnet-20240620', 'claude-3-5-sonnet-20241022']);
  });

  test('an id without its vendor prefix suggests the prefixed id, and a paid id suggests its :free variant', () => {
    const kilo = resolveModel(models('kilo'), 'kilo', 'gpt-4o');
    expect(!kilo.entry && kilo.suggestions[0]).toBe('openai/gpt-4o');
    const openrouter = resolveModel(models('openrouter'), 'openrouter', 'baidu/cobuddy');
    expect(!openrouter.entry && openrouter.suggestions).toEqual(['baidu/cobuddy:free']);
  });

  test('nothing is suggested when no id is close', () => {
    expect(resolveModel(models('anthropic'), 'anthropic', 'llama-3')).toEqual({ entry: null, suggestions: [] });
  });
});

test('a new catalog map is indexed afresh, not served from the index of the previous one', () => {
  const before = models('openai');
  expect(resolved('openai', 'GPT-4o-mini-2024-07-18')).toBe('normalized → gpt-4o-mini');
  const dated = { ...before.get('gpt-4o-mini')!, model_id: 'gpt-4o-mini-2024-07-18' };
  const after = new Map(before).set(dated.model_id, dated);
  const result = resolveModel(after, 'openai', 'GPT-4o-mini-2024-07-18');
  expect(result.entry && `${result.matched_by} → ${result.entry.model_id}`).toBe('alias → gpt-4o-mini-2024-07-18');
});
