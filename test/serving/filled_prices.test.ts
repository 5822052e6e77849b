// A served record is assembled per dimension: the provider's own source
// (models.dev for anthropic and google) prices what it prices, and the
// dimensions it leaves unpriced come from the other sources that have the same
// model at the same provider. The prices expected here are the upstream
// fixtures' own: Google bills gemini-2.0-flash audio input at $0.70 per 1M
// (LiteLLM input_cost_per_audio_token 7e-7, genai-prices input_audio_mtok 0.7);
// Anthropic bills 1-hour cache writes on claude-sonnet-4-5 at $6 per 1M, $12
// above 200k prompt tokens (LiteLLM cache_creation_input_token_cost_above_1hr
// 6e-6, genai-prices v2 cache_write_1h_mtok), and web searches at $10 per
// 1,000 (LiteLLM search_context_cost_per_query medium 0.01).
import type { ApiInstance } from '../../src/service.ts';
import { catalogVersion, postJson, request, startServingStack, type ServingStack } from './helpers.ts';
import { until } from '../support/poll.ts';
import type { RouteName } from '../../scripts/support/upstream.ts';

let stack: ServingStack;
let api: ApiInstance;

interface Component { units: number; unit_price: string | null; cost_usd: string; source?: string }
interface Body {
  total_usd: string;
  components: Record<string, Component>;
  price: { source: string; prices: Record<string, string>; price_sources: Record<string, string>; tiers: Array<{ above_input_tokens: number; prices: Record<string, string> }> };
}

beforeAll(async () => {
  stack = await startServingStack();
  api = await stack.startInstance();
  // Syncs of the providers from the fixtures, as the worker runs them: primary source and fillers.
  await stack.syncModelsDev('anthropic', () => {});
  await stack.syncModelsDev('google', () => {});
  const version = await catalogVersion(stack.pool);
  await until('the synced catalog', async () => {
    const res = await request<{ catalog_version: number }>(api.baseUrl, '/costs/anthropic/claude-sonnet-4-5');
    return res.body.catalog_version >= version ? true : undefined;
  });
});

afterAll(async () => {
  await stack.release();
});

const quote = (body: unknown) => postJson<Body>(api.baseUrl, '/costs/quote', body);

describe('dimensions the primary source leaves unpriced are served from the other sources', () => {
  test('gemini-2.0-flash audio input costs $0.70 per 1M, not the text price', async () => {
    const res = await quote({ provider: 'google', model: 'gemini-2.0-flash', usage: { input_tokens: 0, output_tokens: 0, input_audio_tokens: 1_000_000 } });

    expect(res.status).toBe(200);
    expect(res.body.total_usd).toBe('0.7');
    expect(res.body.components.input_audio_tokens).toMatchObject({ unit_price: '0.7', cost_usd: '0.7' });
    expect(['genai_prices', 'litellm']).toContain(res.body.components.input_audio_tokens!.source);
    expect(res.body.components.input).toMatchObject({ source: 'models_dev' });
  });

  test('claude-sonnet-4-5 1-hour cache writes cost $6 per 1M, and $12 above 200k prompt tokens', async () => {
    const large = await quote({ provider: 'anthropic', model: 'claude-sonnet-4-5', usage: { input_tokens: 0, output_tokens: 0, cache_write_1h_tokens: 1_000_000 } });
    // prompt 1,000,000 + 0 > 200,000: the long-context tier; so a 100,000-token write stays below it
    const below = await quote({ provider: 'anthropic', model: 'claude-sonnet-4-5', usage: { input_tokens: 0, output_tokens: 0, cache_write_1h_tokens: 100_000 } });
    const above = await quote({ provider: 'anthropic', model: 'claude-sonnet-4-5', usage: { input_tokens: 150_000, output_tokens: 0, cache_write_1h_tokens: 100_000 } });

    expect(large.status).toBe(200);
    expect(large.body.components.cache_write_1h_tokens).toMatchObject({ unit_price: '12', cost_usd: '12' });
    expect(below.body.components.cache_write_1h_tokens).toMatchObject({ unit_price: '6', cost_usd: '0.6' });
    // 150,000 × 6 (long-context input) + 100,000 × 12
    expect(above.body.components.cache_write_1h_tokens).toMatchObject({ unit_price: '12', cost_usd: '1.2' });
    expect(above.body.total_usd).toBe('2.1');
  });

  test('claude-sonnet-4-5 web searches cost $0.01 each', async () => {
    const res = await quote({ provider: 'anthropic', model: 'claude-sonnet-4-5', usage: { input_tokens: 1000, output_tokens: 100, web_search_requests: 3 } });

    expect(res.status).toBe(200);
    expect(res.body.components.web_search_requests).toMatchObject({ units: 3, unit_price: '0.01', cost_usd: '0.03' });
    // 1,000 × 3 + 100 × 15 per 1M, + 3 × 0.01
    expect(res.body.total_usd).toBe('0.0345');
  });

  test('every priced dimension of an answer names its source, tiers included', async () => {
    const res = await request<Body['price']>(api.baseUrl, '/costs/anthropic/claude-sonnet-4-5');
    const paths = [
      ...Object.keys(res.body.prices),
      ...res.body.tiers.flatMap((tier) => Object.keys(tier.prices).map((unit) => `tier>${tier.above_input_tokens}.${unit}`)),
    ];

    expect(res.body.source).toBe('models_dev');
    // Every priced dimension, and besides them only the dimensions a documented text-rate rule prices.
    expect(Object.keys(res.body.price_sources).filter((path) => !res.body.price_sources[path]!.startsWith('rule:')).sort()).toEqual(paths.sort());
    expect(res.body.price_sources.input_tokens).toBe('models_dev');
    expect(['genai_prices', 'litellm']).toContain(res.body.price_sources.cache_write_1h_tokens);
    expect(['genai_prices', 'litellm']).toContain(res.body.price_sources['tier>200000.cache_write_1h_tokens']);
    const quoted = await quote({ provider: 'anthropic', model: 'claude-sonnet-4-5', usage: { input_tokens: 1, output_tokens: 1, cache_write_1h_tokens: 1 } });
    for (const component of Object.values(quoted.body.components)) {
      if (component.unit_price !== null) expect(typeof component.source).toBe('string');
    }
    expect(quoted.body.components.cache_write_1h_tokens!.source).toBe(res.body.price_sources.cache_write_1h_tokens);
  });
});

describe('no guessed modality prices', () => {
  test('audio input that no source prices for gemini-2.5-pro is a 422 naming the dimension, not the text price', async () => {
    const res = await postJson<{ error: { code: string; message: string; details: { dimensions: string[] } } }>(api.baseUrl, '/costs/quote',
      { provider: 'google', model: 'gemini-2.5-pro', usage: { input_tokens: 100, output_tokens: 10, input_audio_tokens: 1000 } });

    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'dimension_unpriced', details: { dimensions: ['input_audio_tokens'] } });
    expect(res.body.error.message).toContain('input_audio_tokens');
  });

  test('image input on claude-sonnet-4-5 bills at the input price under Anthropic\'s documented rule, which the answer names', async () => {
    const res = await quote({ provider: 'anthropic', model: 'claude-sonnet-4-5', usage: { input_tokens: 0, output_tokens: 0, input_image_tokens: 1000 } });

    expect(res.status).toBe(200);
    expect(res.body.components.input_image_tokens).toMatchObject({ unit_price: '3', cost_usd: '0.003', priced_as: 'input_tokens', source: 'rule:anthropic_image_input' });
    expect(res.body.price.price_sources.input_image_tokens).toBe('rule:anthropic_image_input');
  });
});

describe('a filling source that cannot be read', () => {
  test('when a source that filled prices answers 500, a sync of anthropic still applies its own prices, and keeps every price that source filled', async () => {
    const before = await request<Body['price']>(api.baseUrl, '/costs/anthropic/claude-sonnet-4-5');
    const filler = Object.values(before.body.price_sources).find((source) => source !== 'models_dev' && !source.startsWith('rule:'));
    expect(filler).toBeDefined();
    stack.upstream.setFault(filler as RouteName, { kind: 'status', status: 500 });
    try {
      await stack.syncModelsDev('anthropic', (payload) => {
        payload.anthropic!.models['claude-sonnet-4-5']!.cost!.input = 3.3;
      });
    } finally {
      stack.upstream.setFault(filler as RouteName, null);
    }
    const version = await catalogVersion(stack.pool);
    const after = await until('the re-synced price', async () => {
      const res = await request<Body['price'] & { catalog_version: number }>(api.baseUrl, '/costs/anthropic/claude-sonnet-4-5');
      return res.body.catalog_version >= version ? res : undefined;
    });

    expect(after.body.prices.input_tokens).toBe('3.3');
    expect({ ...after.body.prices, input_tokens: before.body.prices.input_tokens }).toEqual(before.body.prices);
    expect(after.body.price_sources).toEqual(before.body.price_sources);
  });
});
