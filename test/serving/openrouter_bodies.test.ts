// OpenRouter response bodies over POST /costs/quote, and OpenRouter's own
// prices over GET /costs. The bodies are OpenRouter's usage accounting example
// (test/fixtures/responses/openrouter/usage_accounting.json names its source)
// with the fields OpenRouter's API reference documents for image output
// (completion_tokens_details.image_tokens) and server-side web search
// (server_tool_use.web_search_requests) added: no published example carries them.
import { readFileSync } from 'node:fs';
import { postJson, request, servingInstance } from './helpers.ts';

const fixture = JSON.parse(readFileSync(new URL('../fixtures/responses/openrouter/usage_accounting.json', import.meta.url), 'utf8')) as
  { body: { usage: Record<string, unknown> & { completion_tokens_details: Record<string, unknown> } } };

type Component = { units: number; unit_price: string | null; cost_usd: string; source?: string };
type Answer = { usage: Record<string, number>; components: Record<string, Component>; total_usd: string };
type ErrorAnswer = { error: { code: string; message: string; details?: Record<string, unknown> } };

const serving = servingInstance();
const quote = <T = Answer>(body: unknown) => postJson<T>(serving.api.baseUrl, '/costs/quote', body);

/** The documented body, with `usage` merged over its usage object. */
const body = (usage: Record<string, unknown>) => ({ ...fixture.body, usage: { ...fixture.body.usage, ...usage } });
const imageOutput = body({ completion_tokens: 1292, completion_tokens_details: { reasoning_tokens: 0, image_tokens: 1290 } });

test('completion_tokens_details.image_tokens are image output tokens, billed at the image output price, not as text', async () => {
  const answer = await quote({ provider: 'google', model: 'gemini-2.5-flash-image', format: 'openrouter', response: imageOutput });
  expect(answer.status).toBe(200);
  expect(answer.body.usage).toMatchObject({ output_tokens: 2, output_image_tokens: 1290 });
  expect(answer.body.components.output).toMatchObject({ units: 2 });
  // Google bills gemini-2.5-flash-image's image output at $30 per 1M tokens.
  expect(answer.body.components.output_image_tokens).toMatchObject({ units: 1290, unit_price: '30', cost_usd: '0.0387' });
});

test('on OpenRouter, which publishes no image output price, image output tokens are a 422 naming them, never the text price', async () => {
  const answer = await quote<ErrorAnswer>({ provider: 'openrouter', model: 'google/gemini-2.5-flash-image', response: imageOutput });
  expect(answer.status).toBe(422);
  expect(answer.body.error).toMatchObject({ code: 'dimension_unpriced', details: { dimensions: ['output_image_tokens'] } });
});

test('the web searches a body reports bill at the model\'s web search price', async () => {
  const answer = await quote({ provider: 'openrouter', model: 'google/gemini-2.5-flash', response: body({ server_tool_use: { web_search_requests: 2 } }) });
  expect(answer.status).toBe(200);
  expect(answer.body.usage.web_search_requests).toBe(2);
  expect(answer.body.components.web_search_requests).toMatchObject({ units: 2, unit_price: '0.014', cost_usd: '0.028' });
});

test('OpenRouter\'s pricing.image is a price per input image (input_images), not per image token', async () => {
  const model = await request<{ prices: Record<string, string>; price_sources: Record<string, string> }>(serving.api.baseUrl, '/costs/openrouter/google/gemini-2.5-flash');
  expect(model.status).toBe(200);
  // openrouter-models.json: google/gemini-2.5-flash pricing.image "0.0000003" (USD per input image)
  expect(model.body.prices.input_images).toBe('0.0000003');
  expect(model.body.prices).not.toHaveProperty('input_image_tokens');
  const images = await quote({ provider: 'openrouter', model: 'google/gemini-2.5-flash', usage: { input_tokens: 0, input_images: 1000 } });
  expect(images.body.total_usd).toBe('0.0003');
});
