// Fast mode, published modifier multipliers and batch at 50%, over HTTP on a
// catalog synced from the real upstream fixtures (models.dev the primary
// source of anthropic, openai and google; LiteLLM, genai-prices and OpenRouter
// filling). Expected prices are read from the fixtures the upstream serves.
// The Anthropic body is the API reference's example
// (test/fixtures/responses/anthropic/messages_api_reference.json, source named
// there) with `usage.speed` set to "fast" and its placeholder `inference_geo`
// set to "global" or "us", as Anthropic's fast-mode and data-residency docs
// spell them.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fixtureJson } from '../../scripts/support/upstream.ts';
import type { ApiInstance } from '../../src/service.ts';
import { REPO_ROOT } from '../support/env.ts';
import { until } from '../support/poll.ts';
import { catalogVersion, postJson, request, startServingStack, type ModelsDevPayload, type ServingStack } from './helpers.ts';

interface Component { units: number; unit_price: string | null; cost_usd: string; source?: string }
interface Answer {
  total_usd: string;
  tier: { above_input_tokens: number } | null;
  service_tier: string;
  components: Record<string, Component>;
  price_modifiers?: Array<Record<string, string>>;
  service_tier_rule?: Record<string, string>;
  price: { prices: Record<string, string>; service_tiers?: Record<string, { prices: Record<string, string> }>; multipliers?: Record<string, string> };
  error?: { code: string; message: string; details: Record<string, unknown> };
}

/** Exact decimal product of decimal strings, in plain notation (no floats). */
function times(...factors: string[]): string {
  let coef = 1n;
  let scale = 0;
  for (const factor of factors) {
    const [whole, fraction = ''] = factor.split('.');
    coef *= BigInt(whole! + fraction);
    scale += fraction.length;
  }
  const digits = coef.toString().padStart(scale + 1, '0');
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}
/** Exact sum of two non-negative decimal strings. */
function sum(a: string, b: string): string {
  const scale = Math.max(a.split('.')[1]?.length ?? 0, b.split('.')[1]?.length ?? 0);
  const coef = (text: string) => BigInt(text.replace('.', '') + '0'.repeat(scale - (text.split('.')[1]?.length ?? 0)));
  return scale === 0 ? String(coef(a) + coef(b)) : times(String(coef(a) + coef(b)), `0.${'0'.repeat(scale - 1)}1`);
}
const perMillion = (units: number, price: string) => times(String(units), price, '0.000001');

let stack: ServingStack;
let api: ApiInstance;
const modelsDev = fixtureJson<ModelsDevPayload>('models_dev') as unknown as Record<string, { models: Record<string, {
  cost?: Record<string, number>; experimental?: { modes?: Record<string, { cost: Record<string, number> }> };
}> }>;
const liteLlm = fixtureJson<Record<string, Record<string, unknown>>>('litellm');

beforeAll(async () => {
  stack = await startServingStack();
  api = await stack.startInstance();
  // claude-opus-4-8 without its models.dev fast mode: LiteLLM's multiplier is then the only fast price a source publishes.
  await stack.syncModelsDev('anthropic', (payload) => {
    delete (payload.anthropic!.models['claude-opus-4-8'] as { experimental?: unknown }).experimental;
  });
  await stack.syncModelsDev('openai', () => {});
  await stack.syncModelsDev('google', () => {});
  const version = await catalogVersion(stack.pool);
  await until('the synced catalog', async () => {
    const res = await request<{ catalog_version: number }>(api.baseUrl, '/costs/anthropic/claude-opus-4-6');
    return res.body.catalog_version >= version ? true : undefined;
  });
});

afterAll(async () => {
  await stack.release();
});

const quote = (body: unknown) => postJson<Answer>(api.baseUrl, '/costs/quote', body);
const anthropicWith = (fields: Record<string, string>, model?: string) => {
  const { body } = JSON.parse(readFileSync(path.join(REPO_ROOT, 'test/fixtures/responses/anthropic/messages_api_reference.json'), 'utf8')) as { body: Record<string, unknown> };
  return { ...body, ...(model ? { model } : {}), usage: { ...(body.usage as object), ...fields } };
};
/** The example's priced buckets by component name, and the models.dev cost field of each. */
const EXAMPLE_COMPONENTS = { input: 'input', cache_read: 'cache_read', cache_write: 'cache_write', output: 'output' } as const;

describe('Anthropic fast mode', () => {
  test('usage.speed = fast on claude-opus-4-6 costs exactly the models.dev fast prices in every component, sourced models_dev', async () => {
    const fast = modelsDev.anthropic!.models['claude-opus-4-6']!.experimental!.modes!.fast!.cost;
    const res = await quote({ provider: 'anthropic', response: anthropicWith({ speed: 'fast', inference_geo: 'global' }) });

    expect(res.status).toBe(200);
    for (const [name, field] of Object.entries(EXAMPLE_COMPONENTS)) {
      const component = res.body.components[name]!;
      const price = String(fast[field]);
      expect({ name, unit_price: component.unit_price, cost_usd: component.cost_usd, source: component.source })
        .toEqual({ name, unit_price: price, cost_usd: perMillion(component.units, price), source: 'models_dev' });
      expect(component.units).toBeGreaterThan(0);
    }
    expect(res.body.price_modifiers).toEqual([{ field: 'usage.speed', value: 'fast', source: 'models_dev', price_list: 'fast' }]);
  });

  test('usage.speed = fast with inference_geo = us: the fast prices × 1.1 in every component, the US rule on top (Anthropic: the multipliers stack)', async () => {
    const fast = await quote({ provider: 'anthropic', response: anthropicWith({ speed: 'fast', inference_geo: 'global' }) });
    const both = await quote({ provider: 'anthropic', response: anthropicWith({ speed: 'fast', inference_geo: 'us' }) });

    expect(both.status).toBe(200);
    for (const name of Object.keys(EXAMPLE_COMPONENTS)) {
      const one = fast.body.components[name]!;
      expect(both.body.components[name]).toMatchObject({
        unit_price: times(one.unit_price!, '1.1'), cost_usd: times(one.cost_usd, '1.1'), source: 'rule:anthropic_us_inference',
      });
    }
    expect(both.body.total_usd).toBe(times(fast.body.total_usd, '1.1'));
    expect(both.body.price_modifiers).toEqual([
      { field: 'usage.speed', value: 'fast', source: 'models_dev', price_list: 'fast' },
      expect.objectContaining({ field: 'usage.inference_geo', value: 'us', rule: 'anthropic_us_inference', factor: '1.1' }),
    ]);
  });

  test('a model with only LiteLLM\'s fast multiplier (claude-opus-4-8 without its models.dev mode) costs standard × that multiplier, sourced litellm; one with neither (claude-sonnet-4-5) stays a 422', async () => {
    const factor = liteLlm['claude-opus-4-8']!.provider_specific_entry as { fast: number };
    const standard = await quote({ provider: 'anthropic', response: anthropicWith({ inference_geo: 'global' }, 'claude-opus-4-8') });
    const fast = await quote({ provider: 'anthropic', response: anthropicWith({ speed: 'fast', inference_geo: 'global' }, 'claude-opus-4-8') });

    expect(standard.status).toBe(200);
    expect(fast.status).toBe(200);
    const published = fast.body.price.multipliers!['speed=fast']!;
    expect(Number(published)).toBe(factor.fast);
    for (const name of Object.keys(EXAMPLE_COMPONENTS)) {
      const one = standard.body.components[name]!;
      expect(fast.body.components[name]).toMatchObject({ unit_price: times(one.unit_price!, published), cost_usd: times(one.cost_usd, published), source: 'litellm' });
    }
    expect(fast.body.total_usd).toBe(times(standard.body.total_usd, published));
    expect(fast.body.price_modifiers).toEqual([{ field: 'usage.speed', value: 'fast', source: 'litellm', factor: published }]);

    const unpriced = await quote({ provider: 'anthropic', response: anthropicWith({ speed: 'fast', inference_geo: 'global' }, 'claude-sonnet-4-5') });
    expect(unpriced.status).toBe(422);
    expect(unpriced.body.error).toMatchObject({ code: 'price_modifier_unpriced', details: { modifiers: [{ field: 'usage.speed', value: 'fast' }] } });
  });
});

describe('fast mode: tokens only, documented values only', () => {
  test('web searches keep their standard per-search price in fast mode; 1-hour cache writes, which the fast list does not price, are a 422 naming the dimension', async () => {
    const standardPrice = await request<{ prices: Record<string, string>; price_sources: Record<string, string> }>(api.baseUrl, '/costs/anthropic/claude-opus-4-6');
    const body = anthropicWith({ speed: 'fast', inference_geo: 'global' });
    const usage = body.usage as Record<string, unknown>;
    const searches = await quote({ provider: 'anthropic', response: { ...body, usage: { ...usage, server_tool_use: { web_search_requests: 3, web_fetch_requests: 0 } } } });
    const hourly = await quote({
      provider: 'anthropic',
      response: { ...body, usage: { ...usage, cache_creation: { ephemeral_1h_input_tokens: 1000, ephemeral_5m_input_tokens: 1051 } } },
    });

    expect(searches.status).toBe(200);
    const perSearch = standardPrice.body.prices.web_search_requests!;
    expect(searches.body.components.web_search_requests).toMatchObject({
      units: 3, unit_price: perSearch, cost_usd: times('3', perSearch), source: standardPrice.body.price_sources.web_search_requests,
    });
    expect(searches.body.components.input).toMatchObject({ unit_price: String(modelsDev.anthropic!.models['claude-opus-4-6']!.experimental!.modes!.fast!.cost.input) });
    expect(hourly.status).toBe(422);
    expect(hourly.body.error).toMatchObject({ code: 'price_modifier_unpriced', details: { dimensions: ['cache_write_1h_tokens'] } });
    expect(hourly.body.error!.message).toContain('usage.speed');
  });

  test('a speed value Anthropic does not document (usage.speed = "turbo") is a 422 price_modifier_unknown, never the standard price', async () => {
    const res = await quote({ provider: 'anthropic', response: anthropicWith({ speed: 'turbo', inference_geo: 'global' }) });

    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'price_modifier_unknown', details: { modifiers: [{ field: 'usage.speed', value: 'turbo' }] } });
    expect(res.body.error!.message).toContain('"turbo"');
  });
});

describe('US-only inference', () => {
  test('claude-opus-4-7, a later Claude model the documented rule covers ("Claude 4.6 and later"), is billed by the rule, as LiteLLM\'s published multiplier agrees', async () => {
    const factor = (liteLlm['claude-opus-4-7']!.provider_specific_entry as { us: number }).us;
    const global = await quote({ provider: 'anthropic', response: anthropicWith({ inference_geo: 'global' }, 'claude-opus-4-7') });
    const us = await quote({ provider: 'anthropic', response: anthropicWith({ inference_geo: 'us' }, 'claude-opus-4-7') });

    expect(us.status).toBe(200);
    expect(factor).toBe(1.1);
    expect(us.body.total_usd).toBe(times(global.body.total_usd, '1.1'));
    expect(us.body.components.input).toMatchObject({ source: 'rule:anthropic_us_inference' });
    expect(us.body.price_modifiers).toEqual([expect.objectContaining({ field: 'usage.inference_geo', value: 'us', rule: 'anthropic_us_inference', factor: '1.1' })]);
  });

  test('claude-opus-4-6, which both the rule and LiteLLM cover, is billed by the documented rule', async () => {
    const us = await quote({ provider: 'anthropic', response: anthropicWith({ inference_geo: 'us' }) });

    expect(us.status).toBe(200);
    expect(us.body.price.multipliers).toMatchObject({ 'inference_geo=us': expect.any(String) });
    expect(us.body.components.input).toMatchObject({ source: 'rule:anthropic_us_inference' });
  });
});

describe('batch at 50%', () => {
  const opusUsage = { input_tokens: 2095, cache_read_tokens: 2051, cache_write_tokens: 2051, output_tokens: 503, web_search_requests: 2 };

  test('claude-opus-4-6 on batch, which no source prices, is exactly half the standard quote in every token component, by the named rule, web searches at their standard fee; a provider no rule covers (openrouter) stays a 422', async () => {
    const standard = await quote({ provider: 'anthropic', model: 'claude-opus-4-6', usage: opusUsage });
    const batch = await quote({ provider: 'anthropic', model: 'claude-opus-4-6', usage: { ...opusUsage, service_tier: 'batch' } });

    expect(standard.body.price.service_tiers?.batch).toBeUndefined();
    expect(batch.status).toBe(200);
    expect(batch.body.service_tier).toBe('batch');
    expect(standard.body.components.web_search_requests).toMatchObject({ units: 2, unit_price: expect.any(String) });
    for (const [name, component] of Object.entries(standard.body.components)) {
      if (component.unit_price === null || name === 'web_search_requests') {
        expect(batch.body.components[name]).toEqual(component);
        continue;
      }
      expect({ name, ...batch.body.components[name] }).toEqual({
        name, ...component, unit_price: times(component.unit_price, '0.5'), cost_usd: times(component.cost_usd, '0.5'),
        source: 'rule:anthropic_message_batches',
      });
    }
    const searches = standard.body.components.web_search_requests!.cost_usd;
    const tokens = await quote({ provider: 'anthropic', model: 'claude-opus-4-6', usage: { ...opusUsage, web_search_requests: 0 } });
    expect(batch.body.total_usd).toBe(sum(times(tokens.body.total_usd, '0.5'), searches));
    expect(batch.body.service_tier_rule).toMatchObject({ rule: 'anthropic_message_batches', service_tier: 'batch', factor: '0.5' });
    expect(batch.body.service_tier_rule!.citation).toMatch(/^https:\/\/platform\.claude\.com\//);

    const uncovered = await quote({ provider: 'openrouter', model: 'anthropic/claude-sonnet-4.5', usage: { ...opusUsage, service_tier: 'batch' } });
    expect(uncovered.status).toBe(422);
    expect(uncovered.body.error).toMatchObject({ code: 'service_tier_unavailable', details: { service_tier: 'batch' } });
  });

  test('above claude-sonnet-4-5\'s 200k threshold, batch is half the standard long-context prices (Anthropic: the batch discount applies to them)', async () => {
    const usage = { input_tokens: 250_000, output_tokens: 1_000 };
    const standard = await quote({ provider: 'anthropic', model: 'claude-sonnet-4-5', usage });
    const batch = await quote({ provider: 'anthropic', model: 'claude-sonnet-4-5', usage: { ...usage, service_tier: 'batch' } });

    expect(standard.body).toMatchObject({ tier: { above_input_tokens: 200000 } });
    expect(batch.status).toBe(200);
    expect(batch.body).toMatchObject({ tier: { above_input_tokens: 200000 } });
    expect(batch.body.components.input!.unit_price).toBe(times(standard.body.components.input!.unit_price!, '0.5'));
    expect(batch.body.total_usd).toBe(times(standard.body.total_usd, '0.5'));
  });

  test('gemini-2.5-pro on batch, which no source prices, is half the standard prices below and above its 200k threshold (Gemini API Batch Mode)', async () => {
    for (const input_tokens of [100_000, 250_000]) {
      const usage = { input_tokens, output_tokens: 1_000 };
      const standard = await quote({ provider: 'google', model: 'gemini-2.5-pro', usage });
      const batch = await quote({ provider: 'google', model: 'gemini-2.5-pro', usage: { ...usage, service_tier: 'batch' } });

      expect(standard.body.price.service_tiers?.batch).toBeUndefined();
      expect(batch.status).toBe(200);
      expect(batch.body).toMatchObject({ tier: standard.body.tier, service_tier_rule: { rule: 'gemini_batch_mode', factor: '0.5' } });
      expect(batch.body.components.input).toMatchObject({ unit_price: times(standard.body.components.input!.unit_price!, '0.5'), source: 'rule:gemini_batch_mode' });
      expect(batch.body.total_usd).toBe(times(standard.body.total_usd, '0.5'));
    }
  });

  test('gemini-2.5-pro cache reads on batch keep their standard price: Google lists batch\'s context caching price as the standard one', async () => {
    const usage = { input_tokens: 10_000, cache_read_tokens: 40_000, output_tokens: 1_000 };
    const standard = await quote({ provider: 'google', model: 'gemini-2.5-pro', usage });
    const batch = await quote({ provider: 'google', model: 'gemini-2.5-pro', usage: { ...usage, service_tier: 'batch' } });

    expect(batch.status).toBe(200);
    expect(standard.body.components.cache_read!.unit_price).not.toBeNull();
    expect(batch.body.components.cache_read).toMatchObject({ unit_price: standard.body.components.cache_read!.unit_price, cost_usd: standard.body.components.cache_read!.cost_usd });
    expect(batch.body.components.cache_read!.source).not.toBe('rule:gemini_batch_mode');
    expect(batch.body.components.input).toMatchObject({ unit_price: times(standard.body.components.input!.unit_price!, '0.5') });
  });

  test('gpt-5 on batch, which no source prices, is half the standard quote by OpenAI\'s Batch API rule; gpt-4.1, whose batch prices LiteLLM publishes, bills those and names no rule', async () => {
    const usage = { input_tokens: 10_000, cache_read_tokens: 5_000, output_tokens: 2_000 };
    const standard = await quote({ provider: 'openai', model: 'gpt-5', usage });
    const batch = await quote({ provider: 'openai', model: 'gpt-5', usage: { ...usage, service_tier: 'batch' } });

    expect(standard.body.price.service_tiers?.batch).toBeUndefined();
    expect(batch.status).toBe(200);
    expect(batch.body.total_usd).toBe(times(standard.body.total_usd, '0.5'));
    expect(batch.body.components.cache_read).toMatchObject({ unit_price: times(standard.body.components.cache_read!.unit_price!, '0.5'), source: 'rule:openai_batch_api' });
    expect(batch.body.service_tier_rule).toMatchObject({ rule: 'openai_batch_api', factor: '0.5', citation: 'https://platform.openai.com/docs/guides/batch' });

    const entry = liteLlm['gpt-4.1']!;
    const published = await quote({ provider: 'openai', model: 'gpt-4.1', usage: { input_tokens: 1_000_000, output_tokens: 1_000_000, service_tier: 'batch' } });
    expect(published.status).toBe(200);
    expect(Number(published.body.components.input!.unit_price) / 1e6).toBe(entry.input_cost_per_token_batches);
    expect(Number(published.body.components.output!.unit_price) / 1e6).toBe(entry.output_cost_per_token_batches);
    expect(published.body.components.input!.source).toBe('litellm');
    expect(published.body.service_tier_rule).toBeUndefined();
  });

  test('fast mode on batch is a 422 naming usage.speed: no source publishes a fast batch price', async () => {
    const body = anthropicWith({ speed: 'fast', inference_geo: 'global' });
    const res = await quote({ provider: 'anthropic', response: body, service_tier: 'batch' });

    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'price_modifier_unpriced', details: { modifiers: [{ field: 'usage.speed', value: 'fast' }], service_tier: 'batch' } });
  });
});
