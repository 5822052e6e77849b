// The Gemini API's service tier over POST /costs/quote, on the bundled snapshot:
// a call is billed at the tier it ran on (usageMetadata.serviceTier, or the
// quote request's top-level service_tier for what Google reports only in the
// x-gemini-service-tier header), or refused with a 422; never at the standard
// price. The body is Google's code execution example with serviceTier added
// (test/fixtures/responses/gemini/googleai_flex_service_tier.json names both).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../support/env.ts';
import { postJson, request, servingInstance } from './helpers.ts';

interface Answer {
  service_tier?: string;
  total_usd?: string;
  components?: Record<string, { units: number; unit_price: string | null; cost_usd: string }>;
  service_tier_fallback?: string[];
  error?: { code: string; message: string; details: Record<string, unknown> };
}
interface Model { service_tiers?: Record<string, { prices: Record<string, string> }> }

const serving = servingInstance();
const quote = (body: unknown) => postJson<Answer>(serving.api.baseUrl, '/costs/quote', body);
const flexBody = (JSON.parse(readFileSync(path.join(REPO_ROOT, 'test/fixtures/responses/gemini/googleai_flex_service_tier.json'), 'utf8')) as {
  body: { usageMetadata: Record<string, unknown>; modelVersion: string };
}).body;
const metadata = (serviceTier?: string) => {
  const { serviceTier: _documented, ...rest } = flexBody.usageMetadata;
  return serviceTier === undefined ? rest : { ...rest, serviceTier };
};
/** A model the snapshot prices in both tiers, and its published tier prices. */
const TIERED = 'gemini-3.1-flash-lite';
const tierPrices = async () => (await request<Model>(serving.api.baseUrl, `/costs/google/${TIERED}`)).body.service_tiers!;

test('usageMetadata.serviceTier FLEX on a model with no flex price is a 422 service_tier_unavailable, never the standard price', async () => {
  const res = await quote({ provider: 'google', response: flexBody });

  expect(res.status).toBe(422);
  expect(res.body.error).toMatchObject({ code: 'service_tier_unavailable', details: { service_tier: 'flex' } });
});

test('a flex call is billed at the model\'s flex prices, read from the body or, as the header reports it, from the request\'s service_tier', async () => {
  const prices = await tierPrices();
  const fromBody = await quote({ provider: 'google', model: TIERED, format: 'gemini', response: metadata('FLEX') });
  const fromRequest = await quote({ provider: 'google', model: TIERED, format: 'gemini', response: metadata(), service_tier: 'flex' });
  const standard = await quote({ provider: 'google', model: TIERED, format: 'gemini', response: metadata() });

  expect(fromBody.status).toBe(200);
  expect(fromBody.body.service_tier).toBe('flex');
  expect(fromBody.body.components!.input).toMatchObject({ units: 181, unit_price: prices.flex!.prices.input_tokens });
  expect(fromBody.body.components!.output).toMatchObject({ units: 96, unit_price: prices.flex!.prices.output_tokens });
  expect(fromRequest.body).toEqual(fromBody.body);
  expect(standard.body.service_tier).toBe('standard');
  expect(fromBody.body.total_usd).not.toBe(standard.body.total_usd);
});

test('serviceTier is read in any letter case: "priority" bills the priority prices', async () => {
  const prices = await tierPrices();
  const res = await quote({ provider: 'google', model: TIERED, format: 'gemini', response: metadata('priority') });

  expect(res.status).toBe(200);
  expect(res.body.service_tier).toBe('priority');
  expect(res.body.components!.input!.unit_price).toBe(prices.priority!.prices.input_tokens);
});

test('a serviceTier tariff has no tier for is a 422 naming the field and value', async () => {
  const res = await quote({ provider: 'google', model: TIERED, format: 'gemini', response: metadata('PROVISIONED') });

  expect(res.status).toBe(422);
  expect(res.body.error).toMatchObject({
    code: 'price_modifier_unpriced', details: { modifiers: [{ field: 'serviceTier', value: 'PROVISIONED' }] },
  });
  expect(res.body.error!.message).toContain('PROVISIONED');
});
