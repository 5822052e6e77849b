// OpenRouter's documented pricing fields end to end: the local OpenRouter
// upstream serves the real models list with fields OpenRouter's API reference
// documents (openrouter.ai/docs/client-sdks/python/components/pricing) added to
// real records, since the fixture carries only 8 of them; a forced sync applies
// it, and the API bills and serves what was synced. The body is OpenRouter's
// usage accounting example (test/fixtures/responses/openrouter/usage_accounting.json)
// with the image output tokens OpenRouter's API reference documents added.
import { readFileSync } from 'node:fs';
import { syncProvider } from '../../src/sync/provider.ts';
import { fixtureJson } from '../../scripts/support/upstream.ts';
import { until } from '../support/poll.ts';
import { logger, postJson, request, servingInstance } from './helpers.ts';

interface OpenRouterPayload { data: Array<{ id: string; pricing: Record<string, unknown> }> }
type Component = { units: number; unit_price: string | null; cost_usd: string; source?: string };
type Answer = { usage: Record<string, number>; components: Record<string, Component>; total_usd: string };
type ModelAnswer = { input_cost_per_1m_tokens: string; output_cost_per_1m_tokens: string; prices: Record<string, string>; price_sources: Record<string, string> };

const fixture = JSON.parse(readFileSync(new URL('../fixtures/responses/openrouter/usage_accounting.json', import.meta.url), 'utf8')) as
  { body: { usage: Record<string, unknown> } };
const imageOutput = { ...fixture.body, usage: { ...fixture.body.usage, completion_tokens: 1292, completion_tokens_details: { reasoning_tokens: 0, image_tokens: 1290 } } };

const IMAGE_MODEL = 'google/gemini-2.5-flash-image';
const DISCOUNTED = 'openai/gpt-4';
const serving = servingInstance();

/** Serves the OpenRouter fixture with `added` merged into each listed model's pricing, and syncs it (forced, applied). */
async function syncOpenRouter(added: Record<string, Record<string, unknown>>) {
  const payload = fixtureJson<OpenRouterPayload>('openrouter');
  for (const [id, fields] of Object.entries(added)) {
    const model = payload.data.find((m) => m.id === id);
    if (!model) throw new Error(`the OpenRouter fixture has no ${id}`);
    Object.assign(model.pricing, fields);
  }
  serving.stack.upstream.setBody('openrouter', JSON.stringify(payload));
  const result = await syncProvider({ pool: serving.stack.pool, config: serving.stack.config, logger }, {
    provider: 'openrouter', dry_run: false, force: true, triggered_by: 'manual', job_id: null, attempt: null,
  });
  if (result.status !== 'success') throw new Error(`the OpenRouter sync did not apply: ${JSON.stringify(result)}`);
  // The API instance reloads on NOTIFY: wait until it serves the synced version.
  const { rows } = await serving.stack.pool.query<{ version: string }>('select version from catalog_version');
  const synced = Number(rows[0]!.version);
  await until('the synced catalog served', async () => (serving.api.catalog.current.version >= synced ? true : undefined));
}

const quote = (body: unknown) => postJson<Answer>(serving.api.baseUrl, '/costs/quote', body);
const model = (id: string) => request<ModelAnswer>(serving.api.baseUrl, `/costs/openrouter/${id}`);

describe('after a sync of OpenRouter\'s models list with the documented fields on real records', () => {
  beforeAll(async () => {
    await syncOpenRouter({
      // Google's own image output price ($30 per 1M tokens, $0.039 per 1024px image), as OpenRouter would list it.
      [IMAGE_MODEL]: { image_token: '0.00003', image_output: '0.039' },
      [DISCOUNTED]: { discount: 0.25 },
    });
  });

  test('a body reporting image tokens is billed at OpenRouter\'s image token price, never as text output', async () => {
    const answer = await quote({ provider: 'openrouter', model: IMAGE_MODEL, response: imageOutput });

    expect(answer.status).toBe(200);
    expect(answer.body.usage).toMatchObject({ output_tokens: 2, output_image_tokens: 1290 });
    expect(answer.body.components.output_image_tokens).toMatchObject({ units: 1290, unit_price: '30', cost_usd: '0.0387', source: 'openrouter' });
    expect(answer.body.components.output).toMatchObject({ units: 2, unit_price: '2.5' });
  });

  test('image_token is served as the image output token price and image_output as the price per generated image', async () => {
    const answer = await model(IMAGE_MODEL);

    expect(answer.body.prices).toMatchObject({ output_image_tokens: '30', images: '0.039', input_images: '0.0000003' });
    const images = await quote({ provider: 'openrouter', model: IMAGE_MODEL, usage: { input_tokens: 0, images: 2 } });
    expect(images.body.total_usd).toBe('0.078');
  });

  test('a discounted model is served and billed at (1 - discount) × each price, exactly', async () => {
    // openrouter-models.json: openai/gpt-4 prompt 0.00003, completion 0.00006 per token; discount 0.25.
    const answer = await model(DISCOUNTED);
    const billed = await quote({ provider: 'openrouter', model: DISCOUNTED, usage: { input_tokens: 1_000_000, output_tokens: 1_000_000 } });

    expect(answer.body).toMatchObject({ input_cost_per_1m_tokens: '22.5', output_cost_per_1m_tokens: '45' });
    expect(billed.body.total_usd).toBe('67.5');
  });

  test('a later list whose discount is not a fraction from 0 to 1 refuses that model, and the prices synced before stay served', async () => {
    const before = await model(DISCOUNTED);
    expect(before.body.prices.input_tokens).toBe('22.5');
    await syncOpenRouter({ [DISCOUNTED]: { discount: 1.5 } });
    const after = await model(DISCOUNTED);

    expect(after.status).toBe(200);
    expect(after.body.prices).toEqual(before.body.prices);
  });
});
