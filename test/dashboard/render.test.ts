// The dashboard's rendering rules that hold without a browser: every value is
// escaped, and price dimensions come from a `prices` map when the record has
// one, else from the six legacy fields under their unit ids.
import { dimensionsOf, perUnit } from '../../src/dashboard/dimensions.ts';
import { html, jsonBlock, modelHref } from '../../src/dashboard/html.ts';
import { sortItems, type DiscrepancyItem } from '../../src/dashboard/discrepancies.ts';

describe('escaping', () => {
  test('interpolated text is escaped, nested html is kept, lists are joined', () => {
    const id = `<img src=x onerror="alert('1')">&`;

    const out = html`<td title="${id}">${id}</td>${[html`<b>${'a<b'}</b>`, 'c>']}`.text;

    expect(out).toBe('<td title="&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt;&amp;">'
      + '&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt;&amp;</td><b>a&lt;b</b>c&gt;');
  });

  test('a JSON block cannot be closed by a value', () => {
    const out = jsonBlock('chart-data', { name: '</script><script>alert(1)</script>' }).text;

    expect(out.match(/<\/script>/g)).toHaveLength(1);
    expect(JSON.parse(out.slice(out.indexOf('>') + 1, out.lastIndexOf('<')))).toEqual({ name: '</script><script>alert(1)</script>' });
  });

  test('model links encode each segment of ids that contain slashes', () => {
    expect(modelHref('openrouter', 'anthropic/claude 4?#')).toBe('/models/openrouter/anthropic/claude%204%3F%23');
  });
});

describe('price dimensions', () => {
  test('a record with a prices map shows every unit in it, in the registry order', () => {
    const record = {
      input_cost_per_1m_tokens: '3',
      prices: { output_tokens: '15', input_tokens: '3', input_audio_tokens: '10', web_search_requests: '0.01', future_unit: '1' },
    };

    expect([...dimensionsOf(record)]).toEqual([
      ['input_tokens', '3'], ['input_audio_tokens', '10'], ['output_tokens', '15'], ['web_search_requests', '0.01'], ['future_unit', '1'],
    ]);
    expect(perUnit('web_search_requests')).toBe('search request');
  });

  test('a record without one shows its priced legacy fields under their unit ids', () => {
    const record = {
      input_cost_per_1m_tokens: '3', output_cost_per_1m_tokens: '15', cache_read_cost_per_1m_tokens: null,
      cache_write_cost_per_1m_tokens: '3.75', reasoning_cost_per_1m_tokens: null, request_cost: '0.01',
    };

    expect([...dimensionsOf(record)]).toEqual([
      ['input_tokens', '3'], ['cache_write_tokens', '3.75'], ['output_tokens', '15'], ['requests', '0.01'],
    ]);
    expect(dimensionsOf(null).size).toBe(0);
  });
});

describe('discrepancy order', () => {
  const item = (model_id: string, spread: string): DiscrepancyItem => ({
    provider: 'p', model_id, dimension: 'input_tokens', served: { source: 's', price: '1' }, sources: {}, spread, class: 'markup', outliers: [],
  });

  test('spreads sort as exact decimals, not as text or floats', () => {
    const items = [item('a', '9.5'), item('b', '10'), item('c', '1.00000000000000001'), item('d', '1')];

    expect(sortItems(items, 'spread', 'desc').map((i) => i.model_id)).toEqual(['b', 'a', 'c', 'd']);
    expect(sortItems(items, 'spread', 'asc').map((i) => i.model_id)).toEqual(['d', 'c', 'a', 'b']);
  });
});
