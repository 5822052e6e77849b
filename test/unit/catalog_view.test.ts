// CatalogView.withDelta: the next served catalog from the previous one and the
// models a commit changed, without a database.
import { type CatalogEntry, CatalogView } from '@tariff/pricing';

function entry(provider: string, modelId: string, input = '1'): CatalogEntry {
  return {
    provider, model_id: modelId, name: null, state: 'priced', input, output: '2', cache_read: null, cache_write: null,
    reasoning: null, request: null, tiers: [], source: 'models_dev', effective_at: '2026-01-01T00:00:00.000Z',
    last_seen_at: null, removed_at: null, override_reason: null,
  };
}

const base = () => new CatalogView({
  version: 1, changed_at: '2026-01-01T00:00:00.000Z', providers: [], rates: [],
  entries: [entry('a', 'x'), entry('a', 'y'), entry('b', 'z'), entry('c', 'only')],
});

describe('CatalogView.withDelta', () => {
  test('rebuilds only the changed providers: the others share their model maps with the previous view', () => {
    const before = base();
    const after = before.withDelta({
      version: 2, changed_at: '2026-01-02T00:00:00.000Z', providers: [], rates: [],
      upserts: [entry('a', 'y', '5'), entry('a', 'w')], deleted: [],
    });

    expect(after.version).toBe(2);
    expect(after.etag).toBe('"catalog-2"');
    expect(after.byProvider.get('b')).toBe(before.byProvider.get('b'));
    expect(after.byProvider.get('a')).not.toBe(before.byProvider.get('a'));
    // Each provider's models stay in model_id order.
    expect([...after.byProvider.get('a')!.keys()]).toEqual(['w', 'x', 'y']);
    expect(after.byProvider.get('a')!.get('y')!.input).toBe('5');
    expect(before.byProvider.get('a')!.get('y')!.input).toBe('1');
    expect(after.modelCount).toBe(5);
  });

  test('deletes the rows a commit removed, and a provider left without models', () => {
    const after = base().withDelta({
      version: 2, changed_at: '2026-01-02T00:00:00.000Z', providers: [], rates: [],
      upserts: [], deleted: [{ provider: 'a', model_id: 'x' }, { provider: 'c', model_id: 'only' }],
    });
    expect([...after.byProvider.get('a')!.keys()]).toEqual(['y']);
    expect(after.byProvider.has('c')).toBe(false);
    expect(after.modelCount).toBe(2);
  });
});
