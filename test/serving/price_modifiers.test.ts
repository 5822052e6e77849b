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
  components?: Record<string, { units: number; unit_price: string | null; cost_usd: string }>;
  error?: { code: string; message: string; details: Record<string, unknown> };
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
  test.each([
    ['speed', 'fast'],
    ['inference_geo', 'us'],
  ])('Anthropic usage.%s = %s is a 422 naming the field and value', async (field, value) => {
    const body = example('anthropic/messages_api_reference.json');
    const res = await quote({ provider: 'anthropic', response: { ...body, usage: { ...(body.usage as object), [field]: value } } });

    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'price_modifier_unpriced', details: { modifiers: [{ field: `usage.${field}`, value }] } });
    expect(res.body.error!.message).toContain(`usage.${field}`);
  });

  test('the same Anthropic example at the standard speed and global inference is quoted as before', async () => {
    const body = example('anthropic/messages_api_reference.json');
    const plain = await quote({ provider: 'anthropic', response: body });
    const standard = await quote({ provider: 'anthropic', response: { ...body, usage: { ...(body.usage as object), speed: 'standard', inference_geo: 'global' } } });

    expect(standard.status).toBe(200);
    expect(standard.body.total_usd).toBe(plain.body.total_usd);
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
