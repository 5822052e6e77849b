// Per-dimension comparison and classification, on price lists shaped as the
// adapters produce them.
import { parseDecimal, type PriceList, type UnitId } from '@tariff/pricing';
import { compareModel, spreadOf, type OtherModel, type ServedModel } from '../../src/discrepancy/compare.ts';
import { newDiscrepancies, presentReport, type DiscrepancyReport } from '../../src/discrepancy/report.ts';

const list = (prices: Partial<PriceList>): PriceList => ({
  input: null, output: null, cache_read: null, cache_write: null, reasoning: null, request: null, tiers: [], ...prices,
});
const served = (prices: Partial<PriceList>, extra: Partial<ServedModel> = {}): ServedModel => ({
  provider: 'anthropic', model_id: 'claude-sonnet-4-5', source: 'models_dev', list: list(prices), earlier: new Map(), ...extra,
});
const other = (source: string, prices: Partial<PriceList>, extra: Partial<OtherModel> = {}): OtherModel => ({
  source, model_id: 'claude-sonnet-4-5', list: list(prices), superseded: [], ...extra,
});

describe('spread', () => {
  test('largest ÷ smallest, exact, rounded half-up to 4 places; zero against non-zero has none', () => {
    expect(spreadOf(['3', '15'].map(parseDecimal))).toEqual(parseDecimal('5'));
    expect(spreadOf(['0.3', '0.30000000000000004'].map(parseDecimal))).toEqual(parseDecimal('1'));
    expect(spreadOf(['3', '1'].map(parseDecimal))).toEqual(parseDecimal('3'));
    expect(spreadOf(['0.00000003', '0.0000001'].map(parseDecimal))).toEqual(parseDecimal('3.3333'));
    expect(spreadOf(['2', '3'].map(parseDecimal))).toEqual(parseDecimal('1.5'));
    expect(spreadOf(['0', '1'].map(parseDecimal))).toBeNull();
  });
});

describe('classifying by consensus where no structural cause explains a disagreement', () => {
  const classOf = (servedInput: string, others: Record<string, string>) => {
    const [item] = compareModel(served({ input: servedInput }), Object.entries(others).map(([source, input]) => other(source, { input })));
    return item && { class: item.class, outliers: item.outliers };
  };

  test('two other sources agreeing against the served price: outlier_served, the operator\'s case', () => {
    expect(classOf('0.3', { models_dev: '0.075', genai_prices: '0.075' })).toEqual({ class: 'outlier_served', outliers: ['served'] });
    // Agreement allows for a price written with fewer digits (0.0509 against 0.051).
    expect(classOf('0.01', { models_dev: '0.0509', genai_prices: '0.051' })).toEqual({ class: 'outlier_served', outliers: ['served'] });
  });

  test('the served price agreeing with another source against a third: outlier_other naming it', () => {
    expect(classOf('0.89', { models_dev: '0.8001', genai_prices: '0.89', litellm: '0.28' }))
      .toEqual({ class: 'outlier_other', outliers: ['models_dev', 'litellm'] });
  });

  test('a zero where the others charge: zero_price, naming the zero when the others agree', () => {
    expect(classOf('0.03', { models_dev: '0.03', litellm: '0', genai_prices: '0.03' })).toEqual({ class: 'zero_price', outliers: ['litellm'] });
    expect(classOf('0', { litellm: '2' })).toEqual({ class: 'zero_price', outliers: [] });
  });

  test('one price ×1,000 or ×1,000,000 the agreed one: unit_slip', () => {
    expect(classOf('3000', { litellm: '3', genai_prices: '3' })).toEqual({ class: 'unit_slip', outliers: ['served'] });
    expect(classOf('2', { litellm: '2', models_dev: '0.000002' })).toEqual({ class: 'unit_slip', outliers: ['models_dev'] });
    expect(classOf('2', { litellm: '2', models_dev: '0.02' })).toEqual({ class: 'outlier_other', outliers: ['models_dev'] });
  });

  test('no consensus (two prices, a tie, or all different): unknown', () => {
    expect(classOf('10', { litellm: '2.5' })).toEqual({ class: 'unknown', outliers: [] });
    expect(classOf('0.2', { litellm: '0.2', models_dev: '0.0036', genai_prices: '0.0036' })).toEqual({ class: 'unknown', outliers: [] });
    expect(classOf('6', { models_dev: '0.65', genai_prices: '0.9' })).toEqual({ class: 'unknown', outliers: [] });
  });
});

describe('comparing a served model with other sources', () => {
  test('agreeing prices (float noise included) make no item; a differing dimension makes one, naming every source\'s price', () => {
    const items = compareModel(served({ input: '3', output: '15', cache_read: '0.3' }), [
      other('litellm', { input: '3', output: '15', cache_read: '0.30000000000000004' }),
      other('genai_prices', { input: '3', output: '16', cache_read: '0.3' }),
    ]);
    expect(items).toEqual([{
      provider: 'anthropic', model_id: 'claude-sonnet-4-5', dimension: 'output_tokens',
      served: { source: 'models_dev', price: '15' },
      sources: { litellm: { model_id: 'claude-sonnet-4-5', price: '15' }, genai_prices: { model_id: 'claude-sonnet-4-5', price: '16' } },
      spread: '1.0667', class: 'outlier_other', outliers: ['genai_prices'],
    }]);
  });

  test('extra dimensions are compared like the original ones', () => {
    const items = compareModel(served({ input: '2.5', extra: { input_audio_tokens: '40' } }), [
      other('genai_prices', { input: '2.5', extra: { input_audio_tokens: '32' } }),
    ]);
    expect(items.map((i) => [i.dimension, i.spread])).toEqual([['input_audio_tokens' as UnitId, '1.25']]);
  });

  test('OpenRouter dearer by its 5.5% fee is markup; the same ratio from another source is not', () => {
    expect(compareModel(served({ input: '1' }), [other('openrouter', { input: '1.055' })])[0]?.class).toBe('markup');
    expect(compareModel(served({ input: '1' }), [other('litellm', { input: '1.055' })])[0]?.class).toBe('unknown');
  });

  test('a regional endpoint dearer by 10% is regional', () => {
    const items = compareModel(served({ input: '3' }, { provider: 'bedrock', model_id: 'anthropic.claude-sonnet-5-v1:0' }), [
      other('genai_prices', { input: '3.3' }, { model_id: 'regional.anthropic.claude-sonnet-5-v1:0' }),
    ]);
    expect(items[0]).toMatchObject({ spread: '1.1', class: 'regional' });
  });

  test('a price tariff served before, or an earlier genai-prices variant, is stale', () => {
    const history = new Map<UnitId, Set<string>>([['input_tokens', new Set(['10'])]]);
    expect(compareModel(served({ input: '2' }, { earlier: history }), [other('litellm', { input: '10' })])[0]?.class).toBe('stale');
    // tariff still serves claude-sonnet-5's introductory price; genai-prices has moved on from it.
    const sonnet5 = other('genai_prices', { input: '3' }, { superseded: [list({ input: '2' })] });
    expect(compareModel(served({ input: '2' }), [sonnet5])[0]?.class).toBe('stale');
  });

  test('base prices agreeing but one source lacking the long-context tier is missing_tier, priced above the threshold', () => {
    const tier = { above_tokens: 200_000, input: '6', output: '22.5', cache_read: null, cache_write: null, reasoning: null };
    const items = compareModel(served({ input: '3', output: '15' }), [other('genai_prices', { input: '3', output: '15', tiers: [tier] })]);
    expect(items.map((i) => [i.dimension, i.served.price, i.sources.genai_prices?.price, i.class])).toEqual([
      ['input_tokens', '3', '6', 'missing_tier'],
      ['output_tokens', '15', '22.5', 'missing_tier'],
    ]);
  });
});

describe('the report', () => {
  const report = (items: ReturnType<typeof compareModel>): DiscrepancyReport => ({
    generated_at: '2026-11-26T12:00:00.000Z', catalog_version: 7,
    providers: { anthropic: { source: 'models_dev', compared: 2, matched: { litellm: 2 }, unmatched: { litellm: 0 } } },
    items, unmatched: [],
  });
  const a = compareModel(served({ input: '3' }), [other('litellm', { input: '4' })]);
  const b = compareModel(served({ output: '15' }, { model_id: 'claude-opus-4-1' }), [other('litellm', { output: '75' })]);

  test('new discrepancies are those the previous report did not have, or had with other prices', () => {
    expect(newDiscrepancies(null, report(a))).toEqual(a);
    expect(newDiscrepancies(report(a), report([...a, ...b]))).toEqual(b);
    const moved = compareModel(served({ input: '3' }), [other('litellm', { input: '5' })]);
    expect(newDiscrepancies(report(a), report(moved))).toEqual(moved);
  });

  test('filters by dimension and minimum spread, and summarises what it shows', () => {
    const body = presentReport(report([...b, ...a]), { dimension: 'input_tokens' });
    expect(body.items).toEqual(a);
    expect(body.summary).toEqual({
      models_compared: 2, matched: { litellm: 2 }, unmatched: { litellm: 0 },
      disagreements: { by_dimension: { input_tokens: 1 }, by_class: {
        outlier_served: 0, outlier_other: 0, zero_price: 0, unit_slip: 0, markup: 0, regional: 0, stale: 0, missing_tier: 0, unknown: 1,
      } },
    });
    expect(presentReport(report([...b, ...a]), { min_spread: '2' }).items).toEqual(b);
  });
});
