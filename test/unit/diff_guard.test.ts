// The pure functions a sync is decided by, without a database: diffPrices,
// priceMoves and guard.
import {
  diffPrices, parentOf, priceMoves, priceOf, type PriceRecord, type SourceResult, type StoredPrice, UNIT_IDS, UNITS,
} from '@tariff/pricing';
import { loadConfig } from '../../src/config.ts';
import { guard } from '../../src/sync/provider.ts';

const config = loadConfig({});

function record(modelId: string, prices: Partial<PriceRecord> = {}): PriceRecord {
  return {
    model_id: modelId, name: null, state: 'priced', input: '1', output: '2', cache_read: null, cache_write: null,
    reasoning: null, request: null, tiers: [], ...prices,
  };
}

function stored(records: PriceRecord[], removed: string[] = []): Map<string, StoredPrice> {
  return new Map(records.map((r) => [r.model_id, { ...r, source: 'models_dev', removed_at: removed.includes(r.model_id) ? '2026-01-01T00:00:00.000Z' : null }]));
}

describe('diffPrices', () => {
  test('sorts every model into added, updated, unchanged, removed or restored, one change each', () => {
    const before = stored([record('same'), record('cheaper'), record('gone'), record('back')], ['back']);
    const diff = diffPrices(before, [record('same'), record('cheaper', { input: '0.5' }), record('new'), record('back')], 'models_dev');

    expect(diff.changes.map((c) => [c.model_id, c.change])).toEqual([
      ['cheaper', 'updated'], ['new', 'added'], ['back', 'restored'], ['gone', 'removed'],
    ]);
    expect({ added: diff.added, updated: diff.updated, unchanged: diff.unchanged, removed: diff.removed }).toEqual({
      added: 2, updated: 1, unchanged: 1, removed: ['gone'],
    });
  });

  test('a model the source listed but could not parse is kept, neither updated nor removed', () => {
    const diff = diffPrices(stored([record('broken')]), [], 'models_dev', new Set(['broken']));
    expect(diff.changes).toEqual([]);
  });

  test('a change in a newer dimension (an audio price) is a price change; a name or id-rule change is written but is not one', () => {
    const before = stored([record('a'), record('b')]);
    const diff = diffPrices(before, [
      record('a', { extra: { input_audio_tokens: '3' } }),
      record('b', { name: 'B', match: { starts_with: 'b' } }),
    ], 'models_dev');
    expect(diff.changes.map((c) => [c.model_id, c.change])).toEqual([['a', 'updated']]);
    expect(diff.writes.map((w) => w.model_id)).toEqual(['a', 'b']);
  });

  test('equal prices compare equal whatever the order of their dimensions', () => {
    const a = priceOf(record('x', { extra: { web_search_requests: '0.01', input_audio_tokens: '1' }, filled_from: { web_search_requests: 'litellm', input_audio_tokens: 'genai_prices' } }));
    const b = priceOf(record('x', { extra: { input_audio_tokens: '1', web_search_requests: '0.01' }, filled_from: { input_audio_tokens: 'genai_prices', web_search_requests: 'litellm' } }));
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });
});

describe('priceMoves', () => {
  test('measures every dimension, long-context tier and service tier, largest move first', () => {
    const diff = diffPrices(stored([record('m', {
      extra: { web_search_requests: '0.01' },
      tiers: [{ above_tokens: 200_000, input: '2', output: null, cache_read: null, cache_write: null, reasoning: null }],
      service_tiers: { batch: { input: '0.5', output: '1', cache_read: null, cache_write: null, reasoning: null, request: null, tiers: [] } },
    })]), [record('m', {
      input: '1.5',
      extra: { web_search_requests: '0.1' },
      tiers: [{ above_tokens: 200_000, input: '3', output: null, cache_read: null, cache_write: null, reasoning: null }],
      service_tiers: { batch: { input: '0.05', output: '1', cache_read: null, cache_write: null, reasoning: null, request: null, tiers: [] } },
    })], 'models_dev');

    expect(priceMoves(diff.changes).map((m) => [m.field, m.old, m.new])).toEqual([
      ['web_search_requests', '0.01', '0.1'], ['batch.input', '0.5', '0.05'], ['input', '1', '1.5'], ['tier>200000.input', '2', '3'],
    ]);
  });

  test('a price appearing or a zero price is not a move', () => {
    const diff = diffPrices(stored([record('m', { cache_read: null, output: '0' })]), [record('m', { cache_read: '0.1', output: '5' })], 'models_dev');
    expect(priceMoves(diff.changes)).toEqual([]);
  });
});

describe('guard', () => {
  const fetched = (records: PriceRecord[]): SourceResult => ({ records, skipped: [] });

  test('an empty upstream list is rejected', () => {
    const before = stored([record('a')]);
    expect(guard(fetched([]), before, diffPrices(before, [], 'models_dev'), config)?.reason).toBe('upstream returned no models');
  });

  test('a move of exactly ×10 in any dimension is rejected (decided on exact decimals), ×9.99 is not', () => {
    const before = stored([record('a', { extra: { input_audio_tokens: '0.029' } })]);
    const tenfold = [record('a', { extra: { input_audio_tokens: '0.29' } })];
    expect(guard(fetched(tenfold), before, diffPrices(before, tenfold, 'models_dev'), config)?.reason)
      .toBe('1 price(s) moved by ×10 or more, e.g. a input_audio_tokens 0.029 → 0.29');
    const under = [record('a', { extra: { input_audio_tokens: '0.2899' } })];
    expect(guard(fetched(under), before, diffPrices(before, under, 'models_dev'), config)).toBeUndefined();
  });

  test('losing more than 20% of the priced models, removed or left without a price, is rejected; exactly 20% is not', () => {
    const models = Array.from({ length: 10 }, (_, i) => record(`m${i}`));
    const before = stored(models);
    const twoGone = models.slice(2);
    expect(guard(fetched(twoGone), before, diffPrices(before, twoGone, 'models_dev'), config)).toBeUndefined();
    const oneGoneTwoUnpriced = [...models.slice(1, 8), record('m8', { state: 'unpriced', input: null, output: null }), record('m9', { state: 'unpriced', input: null, output: null })];
    expect(guard(fetched(oneGoneTwoUnpriced), before, diffPrices(before, oneGoneTwoUnpriced, 'models_dev'), config)?.reason)
      .toBe('would remove 1 and leave 2 without a price, of 10 priced models (more than 20%)');
  });
});

describe('the unit registry', () => {
  test('every parent is a unit, no unit is its own ancestor, and token units are priced per 1M', () => {
    for (const unit of UNIT_IDS) {
      const seen = new Set([unit]);
      for (let parent = parentOf(unit); parent !== null; parent = parentOf(parent)) {
        expect(UNIT_IDS).toContain(parent);
        expect(seen.has(parent)).toBe(false);
        seen.add(parent);
      }
      expect(UNITS[unit].scale === 6).toBe(unit.endsWith('_tokens'));
    }
  });
});
