// Id resolution for providers fed by a source that publishes match rules
// (genai-prices), on the real genai-prices data, beside a models.dev provider
// whose resolution must stay as strict as before.
import { type CatalogEntry, CatalogView, type PriceRecord, resolveModel } from '@tariff/pricing';
import { parseGenaiPrices } from '../../src/sources/genai_prices.ts';
import { fixturePayload } from '../sources/fixtures.ts';
import { snapshotView } from './catalog.ts';

const entry = (provider: string, source: string) => (record: PriceRecord): CatalogEntry => ({
  ...record, provider, source, effective_at: '2026-11-26T00:00:00.000Z', last_seen_at: null, removed_at: null, override_reason: null,
});

/** genai-prices' providers as the catalog would hold them: keyed and ordered by model id, as read from the database. */
function genaiView(...providers: string[]): CatalogView {
  const payload = fixturePayload('genai-prices-data.json');
  const entries = providers.flatMap((provider) => parseGenaiPrices(payload, provider).records.map(entry(provider, 'genai_prices')))
    .sort((a, b) => (a.model_id < b.model_id ? -1 : 1));
  return new CatalogView({ version: 1, changed_at: '2026-11-26T00:00:00.000Z', providers: [], entries, rates: [] });
}

let view: CatalogView;
let snapshot: CatalogView;
beforeAll(async () => {
  view = genaiView('anthropic', 'openai', 'deepseek', 'aws', 'openrouter', 'google');
  snapshot = await snapshotView();
});

function resolved(catalog: CatalogView, provider: string, requested: string): string {
  const result = resolveModel(catalog.byProvider.get(provider)!, provider, requested);
  return result.entry ? `${result.matched_by} → ${result.entry.model_id}` : 'unknown';
}

describe('resolving ids by the source\'s match rules', () => {
  test('an id no stored id equals resolves to the model whose rule matches it', () => {
    expect(resolved(view, 'anthropic', 'claude-sonnet-4.5')).toBe('rule → claude-sonnet-4-5');
    expect(resolved(view, 'anthropic', 'claude-3.5-haiku')).toBe('rule → claude-3-5-haiku-latest');
    expect(resolved(view, 'openai', 'o3-mini-high')).toBe('rule → o3-mini');
    expect(resolved(view, 'anthropic', 'claude-sonnet-4-5-20250929')).toBe('normalized → claude-sonnet-4-5');
    expect(resolved(view, 'deepseek', 'deepseek-chat-v3-0324')).toBe('rule → deepseek-chat');
    expect(resolved(view, 'aws', 'us.anthropic.claude-sonnet-5-v1:0')).toBe('rule → regional.anthropic.claude-sonnet-5-v1:0');
    expect(resolved(view, 'aws', 'global.anthropic.claude-sonnet-5-v1:0')).toBe('exact → global.anthropic.claude-sonnet-5-v1:0');
    expect(resolved(view, 'openrouter', 'openrouter/anthropic/claude-sonnet-4.5')).toBe('alias → anthropic/claude-sonnet-4.5');
  });

  test('matching is on the lower-cased id, and the rule may read the provider-prefixed form', () => {
    expect(resolved(view, 'anthropic', 'Claude-Sonnet-4.5')).toBe('rule → claude-sonnet-4-5');
    expect(resolved(view, 'anthropic', 'anthropic/claude-sonnet-4.5')).toBe('rule → claude-sonnet-4-5');
  });

  test('where rules overlap, the first model in the source\'s order wins, not the first by id', () => {
    const payload = fixturePayload('genai-prices-data.json');
    const sonnet = parseGenaiPrices(payload, 'anthropic').records.find((r) => r.model_id === 'claude-sonnet-4-5')!;
    const broad: PriceRecord = { ...sonnet, model_id: 'zz-any-claude', match: { starts_with: 'claude' }, match_index: (sonnet.match_index ?? 0) + 1 };
    const models = new Map([broad, sonnet].map((r) => [r.model_id, entry('anthropic', 'genai_prices')(r)] as const));
    expect(resolveModel(models, 'anthropic', 'claude-sonnet-4.5')).toMatchObject({ matched_by: 'rule', entry: { model_id: 'claude-sonnet-4-5' } });
    expect(resolveModel(models, 'anthropic', 'claude-opus-4.1')).toMatchObject({ matched_by: 'rule', entry: { model_id: 'zz-any-claude' } });
  });

  test('an id no rule matches is unknown, with suggestions', () => {
    const result = resolveModel(view.byProvider.get('deepseek')!, 'deepseek', 'qwen-max');
    expect(result.entry).toBeNull();
  });

  test('a provider fed without match rules keeps the no-loose-prefix guarantee', () => {
    expect(resolved(snapshot, 'openai', 'gpt-4')).toBe('exact → gpt-4');
    expect(resolved(snapshot, 'openai', 'gpt-4-turbo-preview-x')).toBe('unknown');
    expect(resolved(snapshot, 'anthropic', 'claude-sonnet-4-5-extra')).toBe('unknown');
  });
});

