// Price modifiers and service tiers over HTTP, on the bundled snapshot: a call
// is billed at the price of the tier, mode or traffic it ran on, or refused
// with a 422 naming what tariff has no price for; never at the standard price.
// Bodies are the providers' documented examples (test/fixtures/responses/, each
// naming its source), with the one field under test set as the provider's
// documentation spells it.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../support/env.ts';
import { postJson, servingInstance } from './helpers.ts';

interface Answer {
  service_tier?: string;
  total_usd?: string;
  tier?: unknown;
  components?: Record<string, { units: number; unit_price: string | null; cost_usd: string; source?: string }>;
  price_modifiers?: unknown;
  error?: { code: string; message: string; details: Record<string, unknown> };
}

/** text × numerator ÷ 10^places, exactly, in tariff's plain decimal notation (no floats). */
function exactTimes(text: string, numerator: bigint, places: number): string {
  const [whole, fraction = ''] = text.split('.');
  const coef = BigInt(whole! + fraction) * numerator;
  const scale = fraction.length + places;
  const digits = coef.toString().padStart(scale + 1, '0');
  const result = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return result.includes('.') ? result.replace(/0+$/, '').replace(/\.$/, '') : result;
}

const serving = servingInstance();
const quote = (body: unknown) => postJson<Answer>(serving.api.baseUrl, '/costs/quote', body);
const example = (name: string) => (JSON.parse(readFileSync(path.join(REPO_ROOT, 'test/fixtures/responses', name), 'utf8')) as { body: Record<string, unknown> }).body;

describe('service tier × long context', () => {
  test('gpt-5.4 on priority with a 300k prompt is a 422: priority lists no long-context price, and the standard one is not it', async () => {
    const long = await quote({ provider: 'openai', model: 'gpt-5.4', usage: { input_tokens: 300_000, output_tokens: 100_000, service_tier: 'priority' } });
    const short = await quote({ provider: 'openai', model: 'gpt-5.4', usage: { input_tokens: 200_000, output_tokens: 100_000, service_tier: 'priority' } });

    expect(long.status).toBe(422);
    expect(long.body.error).toMatchObject({ code: 'service_tier_long_context_unpriced', details: { service_tier: 'priority', above_input_tokens: 272000 } });
    // Below the threshold, priority's own prices: 200,000 × 5 + 100,000 × 30 per 1M.
    expect(short.status).toBe(200);
    expect(short.body).toMatchObject({ service_tier: 'priority', total_usd: '4' });
  });
});

describe('price modifiers in a response', () => {
  // The API reference example's usage with the fields under test set (its own inference_geo is a placeholder, "inference_geo").
  const anthropicWith = (fields: Record<string, string>) => {
    const body = example('anthropic/messages_api_reference.json');
    return { ...body, usage: { ...(body.usage as object), ...fields } };
  };

  test('Anthropic usage.speed = fast on a model no source prices fast mode for is a 422 naming the field and value', async () => {
    const res = await quote({ provider: 'anthropic', response: { ...anthropicWith({ speed: 'fast', inference_geo: 'global' }), model: 'claude-sonnet-4-5' } });

    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'price_modifier_unpriced', details: { modifiers: [{ field: 'usage.speed', value: 'fast' }] } });
    expect(res.body.error!.message).toContain('usage.speed');
  });

  test('Anthropic usage.inference_geo = us on claude-opus-4-6 costs exactly 1.1 × the global quote in every component', async () => {
    const global = await quote({ provider: 'anthropic', response: anthropicWith({ inference_geo: 'global' }) });
    const us = await quote({ provider: 'anthropic', response: anthropicWith({ inference_geo: 'us' }) });

    expect(global.status).toBe(200);
    expect(us.status).toBe(200);
    // The example bills input, cache reads, cache writes and output: 1.1 × each, exactly.
    const times11 = (text: string) => exactTimes(text, 11n, 1);
    const priced = Object.entries(global.body.components!).filter(([, c]) => c.unit_price !== null && c.units > 0);
    expect(priced.length).toBeGreaterThanOrEqual(4);
    for (const [name, component] of Object.entries(global.body.components!)) {
      const scaled = us.body.components![name]!;
      expect(scaled.units).toBe(component.units);
      if (component.unit_price === null) {
        expect(scaled).toEqual(component);
        continue;
      }
      expect({ name, unit_price: scaled.unit_price, cost_usd: scaled.cost_usd })
        .toEqual({ name, unit_price: times11(component.unit_price), cost_usd: times11(component.cost_usd) });
      expect(scaled.source).toBe('rule:anthropic_us_inference');
    }
    expect(us.body.total_usd).toBe(times11(global.body.total_usd!));
    expect(us.body.price_modifiers).toEqual([expect.objectContaining({ rule: 'anthropic_us_inference', field: 'usage.inference_geo', value: 'us', factor: '1.1' })]);
  });

  test('usage.inference_geo = global bills the standard prices, the same as usage buckets without it', async () => {
    const global = await quote({ provider: 'anthropic', response: anthropicWith({ inference_geo: 'global', speed: 'standard' }) });
    const usage = await quote({
      provider: 'anthropic', model: 'claude-opus-4-6',
      usage: { input_tokens: 2095, cache_read_tokens: 2051, cache_write_tokens: 2051, output_tokens: 503 },
    });

    expect(global.status).toBe(200);
    expect(global.body.total_usd).toBe(usage.body.total_usd);
    expect(global.body.price_modifiers).toBeUndefined();
    expect(Object.values(global.body.components!).map((c) => c.source)).not.toContain('rule:anthropic_us_inference');
  });

  test.each(['eu', 'US', 'inference_geo'])('usage.inference_geo = %s is a 422 naming the field and the value', async (value) => {
    const res = await quote({ provider: 'anthropic', response: anthropicWith({ inference_geo: value }) });

    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'price_modifier_unknown', details: { modifiers: [{ field: 'usage.inference_geo', value }] } });
    expect(res.body.error!.message).toContain('usage.inference_geo');
    expect(res.body.error!.message).toContain(JSON.stringify(value));
  });

  test('usage.inference_geo = us on claude-sonnet-4-6, the other model Anthropic names, is billed by the rule too', async () => {
    const sonnet = (inference_geo: string) => ({ ...anthropicWith({ inference_geo }), model: 'claude-sonnet-4-6' });
    const global = await quote({ provider: 'anthropic', response: sonnet('global') });
    const us = await quote({ provider: 'anthropic', response: sonnet('us') });

    expect(global.status).toBe(200);
    expect(us.status).toBe(200);
    expect(us.body.total_usd).toBe(exactTimes(global.body.total_usd!, 11n, 1));
  });

  test('usage.inference_geo = us on a model the rule does not cover stays a 422', async () => {
    const res = await quote({ provider: 'anthropic', response: { ...anthropicWith({ inference_geo: 'us' }), model: 'claude-sonnet-4-5' } });

    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'price_modifier_unpriced', details: { modifiers: [{ field: 'usage.inference_geo', value: 'us' }] } });
  });

  test('Vertex trafficType picks the service tier; provisioned throughput is a 422, never the on-demand price', async () => {
    const body = example('gemini/vertexai_implicit_caching.json');
    const withTraffic = (trafficType: string) => ({ ...body, usageMetadata: { ...(body.usageMetadata as object), trafficType } });
    const onDemand = await quote({ provider: 'google', response: withTraffic('ON_DEMAND') });
    const priority = await quote({ provider: 'google', response: withTraffic('ON_DEMAND_PRIORITY') });
    const provisioned = await quote({ provider: 'google', response: withTraffic('PROVISIONED_THROUGHPUT') });

    expect(onDemand.body).toMatchObject({ service_tier: 'standard' });
    // Billed at gemini-2.5-flash's priority prices where a source has them, else refused as a tier it has no price for.
    if (priority.status === 200) expect(priority.body.service_tier).toBe('priority');
    else expect(priority.body.error).toMatchObject({ code: 'service_tier_unavailable', details: { service_tier: 'priority' } });
    expect(provisioned.status).toBe(422);
    expect(provisioned.body.error).toMatchObject({
      code: 'price_modifier_unpriced', details: { modifiers: [{ field: 'usageMetadata.trafficType', value: 'PROVISIONED_THROUGHPUT' }] },
    });
  });
});

describe('quote request items', () => {
  test('a top-level service_tier beside a response wins over the body\'s own ("default" in a Batch API output line)', async () => {
    const body = example('openai_chat/chat_completion_object.json');
    const asSaid = await quote({ provider: 'openai', response: body });
    const batch = await quote({ provider: 'openai', response: body, service_tier: 'batch' });
    const usage = await quote({ provider: 'openai', model: 'gpt-4o-2024-08-06', usage: { input_tokens: 1117, output_tokens: 46, service_tier: 'batch' } });

    expect(asSaid.body.service_tier).toBe('standard');
    expect(batch.status).toBe(200);
    expect(batch.body).toMatchObject({ service_tier: 'batch', total_usd: usage.body.total_usd });
    expect(batch.body.total_usd).not.toBe(asSaid.body.total_usd);
  });

  test('a top-level service_tier with usage is a 400 pointing at usage.service_tier', async () => {
    const res = await quote({ provider: 'openai', model: 'gpt-4o', usage: { input_tokens: 1, output_tokens: 1 }, service_tier: 'batch' });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('usage.service_tier');
  });

  test('output_tokens defaults to 0, so an embedding call is quoted from its input alone', async () => {
    const res = await quote({ provider: 'openai', model: 'text-embedding-3-small', usage: { input_tokens: 1_000_000 } });

    expect(res.status).toBe(200);
    expect(res.body.components!.output).toMatchObject({ units: 0, cost_usd: '0' });
    expect(res.body.components!.input).toMatchObject({ units: 1_000_000 });
  });
});
