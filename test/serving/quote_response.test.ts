// POST /costs/quote straight from a provider's own response: the examples from
// each provider's API reference (test/fixtures/responses/, each naming its
// source) are read as that provider bills them, and billed exactly as the same
// call in tariff's usage buckets; new dimensions quote through HTTP too.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../support/env.ts';
import { postJson, request, servingInstance } from './helpers.ts';

interface Fixture {
  source: string;
  format: string;
  provider: string;
  body: Record<string, unknown>;
  expected: { model?: string | null; usage?: Record<string, number>; service_tier?: string | null; reported_cost_usd?: string | null; error?: string; fields?: string[] };
}

const DIR = path.join(REPO_ROOT, 'test/fixtures/responses');
const fixtures = readdirSync(DIR, { withFileTypes: true }).filter((d) => d.isDirectory()).flatMap((d) =>
  readdirSync(path.join(DIR, d.name)).filter((f) => f.endsWith('.json')).map((f) =>
    [`${d.name}/${f}`, JSON.parse(readFileSync(path.join(DIR, d.name, f), 'utf8')) as Fixture] as const));

/** The catalog's provider for each fixture's, and a model to bill the examples that name none. */
const PROVIDERS: Record<string, { provider: string; model: string }> = {
  openai: { provider: 'openai', model: 'gpt-4o' },
  anthropic: { provider: 'anthropic', model: 'claude-sonnet-4-5' },
  google: { provider: 'google', model: 'gemini-2.5-flash' },
  'google-vertex': { provider: 'google', model: 'gemini-2.5-flash' },
  openrouter: { provider: 'openrouter', model: 'anthropic/claude-sonnet-4.5' },
};

type QuoteAnswer = { format?: string; usage: Record<string, number>; total_usd: string; model_id: string; reported_cost_usd?: string; service_tier: string };
type ErrorAnswer = { error: { code: string; message: string; details?: Record<string, unknown> } };

const serving = servingInstance();

const quote = <T = QuoteAnswer>(body: unknown) => postJson<T>(serving.api.baseUrl, '/costs/quote', body);
const placeholderGeo = (body: Record<string, unknown>) => (body.usage as { inference_geo?: unknown } | undefined)?.inference_geo === 'inference_geo';
const nonzero = (usage: Record<string, number>) => Object.fromEntries(Object.entries(usage).filter(([, n]) => n !== 0));

describe('quotes from providers\' own responses', () => {
  // Output images and web searches have no price on the models.dev entries these are billed on: tested below.
  // The Messages API reference example's usage.inference_geo is a placeholder ("inference_geo"): refused, tested below.
  const billable = fixtures.filter(([, f]) => f.expected.error === undefined && !placeholderGeo(f.body)
    && f.expected.usage?.output_image_tokens === undefined && f.expected.usage?.web_search_requests === undefined);

  test.each(billable)('%s: read as its provider bills it, and billed as the same call in usage buckets', async (_name, fixture) => {
    const { provider, model } = PROVIDERS[fixture.provider]!;
    const named = fixture.expected.model ?? undefined;
    const request = { provider, ...(named ? {} : { model }), response: fixture.body, format: fixture.format };

    const fromResponse = await quote(request);
    const tier = fixture.expected.service_tier ?? undefined;
    const fromUsage = await quote({ provider, model: named ?? model, usage: { ...fixture.expected.usage, service_tier: tier } });
    if (tier !== undefined && tier !== 'standard' && fromUsage.status === 422) {
      // A tier the model has no price for here (gemini_service_tier.test.ts bills it where it has one): the same refusal.
      expect(fromResponse.status).toBe(422);
      expect((fromResponse.body as unknown as ErrorAnswer).error.code).toBe((fromUsage.body as unknown as ErrorAnswer).error.code);
      return;
    }
    expect(fromResponse.status).toBe(200);
    expect(fromResponse.body.format).toBe(fixture.format);
    expect(nonzero(fromResponse.body.usage)).toEqual(nonzero(fixture.expected.usage!));
    expect(fromUsage.status).toBe(200);
    expect(fromResponse.body.total_usd).toBe(fromUsage.body.total_usd);
    expect(fromResponse.body.model_id).toBe(fromUsage.body.model_id);
    if (fixture.expected.reported_cost_usd) expect(fromResponse.body.reported_cost_usd).toBe(fixture.expected.reported_cost_usd);
  });

  test('Anthropic\'s Messages API reference example on claude-opus-4-6, inferred globally, costs exactly $0.03689425', async () => {
    const fixture = fixtures.find(([name]) => name === 'anthropic/messages_api_reference.json')![1];
    const asDocumented = await quote<ErrorAnswer>({ provider: 'anthropic', response: fixture.body });
    const global = { ...fixture.body, usage: { ...(fixture.body.usage as object), inference_geo: 'global' } };
    const answer = await quote({ provider: 'anthropic', response: global });
    // Its usage.inference_geo is the reference's placeholder string, a value with no known price.
    expect(asDocumented.body.error).toMatchObject({ code: 'price_modifier_unknown', details: { modifiers: [{ field: 'usage.inference_geo', value: 'inference_geo' }] } });
    // 2095×5 + 2051×0.5 (cache read) + 2051×6.25 (cache write) + 503×25, per 1M tokens
    expect(answer.body).toMatchObject({ format: 'anthropic', model_id: 'claude-opus-4-6', service_tier: 'standard', total_usd: '0.03689425' });
  });

  test('a web search on claude-sonnet-4-5, which models.dev leaves unpriced, bills at $0.01 from another source, never $0', async () => {
    const fixture = fixtures.find(([name]) => name === 'anthropic/web_search_usage.json')![1];
    const answer = await quote<{ total_usd: string; components: Record<string, { unit_price: string; source: string }> }>(
      { provider: 'anthropic', model: 'claude-sonnet-4-5', response: fixture.body });
    expect(answer.status).toBe(200);
    expect(answer.body.components.web_search_requests).toMatchObject({ unit_price: '0.01' });
    expect(answer.body.components.web_search_requests!.source).not.toBe('models_dev');
    // 105×3 + 7123×0.3 (cache read) + 7345×3.75 (cache write) + 6039×15, per 1M tokens, + 1 search × 0.01
    expect(answer.body.total_usd).toBe('0.13058065');
  });

  test('the format is detected from the body when not given; an ambiguous body is a 400 naming the candidates', async () => {
    const chat = fixtures.find(([name]) => name === 'openai_chat/chat_completion_object.json')![1];
    expect((await quote({ provider: 'openai', response: chat.body })).body.format).toBe('openai_chat');
    const bare = fixtures.find(([name]) => name === 'openai_chat/prompt_caching_usage.json')![1];
    const ambiguous = await quote<ErrorAnswer>({ provider: 'deepseek', model: 'deepseek-chat', response: bare.body });
    expect(ambiguous.status).toBe(400);
    expect(ambiguous.body.error.code).toBe('ambiguous_format');
    expect(ambiguous.body.error.message).toMatch(/^body\.response: /);
    expect(ambiguous.body.error.details).toMatchObject({ candidates: expect.arrayContaining(['openai_chat', 'openrouter']) });
  });

  test('the provider settles a shape several formats share: openai with prompt_tokens is openai_chat, openrouter is openrouter', async () => {
    // OpenAI's prompt caching guide: a bare usage object with prompt_tokens fits Chat Completions and OpenRouter alike.
    const bare = fixtures.find(([name]) => name === 'openai_chat/prompt_caching_usage.json')![1];
    const openai = await quote({ provider: 'openai', model: 'gpt-4o', response: bare.body });
    expect(openai.status).toBe(200);
    expect(openai.body.format).toBe('openai_chat');
    const openrouter = await quote({ provider: 'openrouter', model: 'openai/gpt-4o', response: bare.body });
    expect(openrouter.status).toBe(200);
    expect(openrouter.body.format).toBe('openrouter');
  });

  test.each([
    ['openai_chat/prompt_caching_usage.json', (body: Record<string, unknown>) => body, ['prompt_tokens', 'completion_tokens']],
    ['anthropic/messages_api_reference.json', (body: Record<string, unknown>) => body.usage, ['cache_read_input_tokens']],
    ['gemini/vertexai_implicit_caching.json', (body: Record<string, unknown>) => body.usageMetadata, ['promptTokenCount']],
  ] as const)('%s: its usage object sent as usage is a 400 naming its keys and saying to send it as response', async (name, usageOf, keys) => {
    const fixture = fixtures.find(([file]) => file === name)![1];
    const answer = await quote<ErrorAnswer>({ provider: fixture.provider, model: 'any-model', usage: usageOf(fixture.body) });
    expect(answer.status).toBe(400);
    for (const key of keys) expect(answer.body.error.message).toContain(key);
    expect(answer.body.error.message).toMatch(/send .* as `response`/);
  });

  test('numbers in a response are read exactly: a reported cost of 0.000123456789012345678 comes back with every digit, alone or in a batch', async () => {
    const fixture = fixtures.find(([name]) => name === 'openrouter/usage_accounting.json')![1];
    const item = JSON.stringify({ provider: 'openrouter', model: 'anthropic/claude-sonnet-4.5', response: fixture.body });
    const text = item.replace('"cost":0.95', '"cost":0.000123456789012345678');
    expect(text).not.toBe(item);
    const post = (body: string) => request<QuoteAnswer & { results?: QuoteAnswer[] }>(serving.api.baseUrl, '/costs/quote',
      { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const single = await post(text);
    expect(single.status).toBe(200);
    expect(single.body.reported_cost_usd).toBe('0.000123456789012345678');
    const batch = await post(`[{"provider":"openai","model":"gpt-4o","usage":{"input_tokens":1,"output_tokens":1}},${text}]`);
    expect(batch.status).toBe(200);
    expect(batch.body.results![0]!.total_usd).toBe('0.0000125');
    expect(batch.body.results![1]!.reported_cost_usd).toBe('0.000123456789012345678');
  });

  test('usage that does not add up is a 400 naming the fields that disagree', async () => {
    const fixture = fixtures.find(([name]) => name === 'anthropic/prompt_caching_1h_usage.json')![1];
    const answer = await quote<ErrorAnswer>({ provider: 'anthropic', model: 'claude-sonnet-4-5', response: fixture.body, format: 'anthropic' });
    expect(answer.status).toBe(400);
    expect(answer.body.error.details).toMatchObject({ fields: fixture.expected.fields });
  });

  test('a response that names no model, with no model beside it, is a 400 naming body.model', async () => {
    const fixture = fixtures.find(([name]) => name === 'openrouter/usage_accounting.json')![1];
    const answer = await quote<ErrorAnswer>({ provider: 'openrouter', response: fixture.body });
    expect(answer.status).toBe(400);
    expect(answer.body.error.message).toMatch(/^body\.model: /);
  });

  test('a batch mixes both forms, each item answered on its own', async () => {
    const chat = fixtures.find(([name]) => name === 'openai_chat/chat_completion_object.json')![1];
    const answer = await quote<{ count: number; results: Array<Record<string, unknown>> }>([
      { provider: 'openai', response: chat.body },
      { provider: 'openai', model: 'gpt-4o', usage: { input_tokens: 1117, output_tokens: 46 } },
      { provider: 'openai', model: 'gpt-4o', usage: { input_tokens: 1, output_tokens: 0, output_audio_tokens: 5 } },
    ]);
    expect(answer.status).toBe(200);
    expect(answer.body.results[0]!.total_usd).toBe(answer.body.results[1]!.total_usd);
    expect(answer.body.results[2]).toMatchObject({ index: 2, error: { code: 'dimension_unpriced' } });
  });
});

describe('quotes in the new dimensions over HTTP', () => {
  test('google/gemini-2.5-flash with 1,000,000 audio input tokens is exactly $1', async () => {
    const answer = await quote({ provider: 'google', model: 'gemini-2.5-flash', usage: { input_tokens: 0, output_tokens: 0, input_audio_tokens: 1_000_000 } });
    expect(answer.body.total_usd).toBe('1');
  });

  test('OpenRouter google/gemini-3.1-flash-lite: one web search includes $0.014', async () => {
    const answer = await quote<QuoteAnswer & { components: Record<string, { cost_usd: string }> }>({
      provider: 'openrouter', model: 'google/gemini-3.1-flash-lite', usage: { input_tokens: 0, output_tokens: 0, web_search_requests: 1 },
    });
    expect(answer.body.components.web_search_requests).toMatchObject({ cost_usd: '0.014' });
    expect(answer.body.total_usd).toBe('0.014');
  });

  test('a quote touching a dimension the model has no price for is a 422 naming it', async () => {
    const answer = await quote<ErrorAnswer>({ provider: 'anthropic', model: 'claude-sonnet-4-5', usage: { input_tokens: 10, output_tokens: 0, output_image_tokens: 3 } });
    expect(answer.status).toBe(422);
    expect(answer.body.error).toMatchObject({ code: 'dimension_unpriced', details: { dimensions: ['output_image_tokens'] } });
    expect(answer.body.error.message).toMatch(/^usage\.output_image_tokens: /);
  });

  test('a service tier the model has no price for (and no documented rule prices) is a 422, never a silent standard price', async () => {
    const answer = await quote<ErrorAnswer>({ provider: 'anthropic', model: 'claude-sonnet-4-5', usage: { input_tokens: 10, output_tokens: 0, service_tier: 'flex' } });
    expect(answer.status).toBe(422);
    expect(answer.body.error.code).toBe('service_tier_unavailable');
  });

  test('GET /costs/:provider/:model serves every dimension with its unit legend in GET /costs', async () => {
    const model = await postJson(serving.api.baseUrl, '/costs/quote', {}).then(() => fetch(`${serving.api.baseUrl}/costs/google/gemini-2.5-flash`)).then((r) => r.json()) as Record<string, unknown>;
    expect(model).toMatchObject({
      prices: { input_tokens: '0.3', input_audio_tokens: '1' },
      // Google's pricing bills image and video input at the text input price: a documented rule, named with its source.
      price_sources: { input_tokens: 'snapshot', input_image_tokens: 'rule:gemini_image_video_input', input_video_tokens: 'rule:gemini_image_video_input' },
    });
    expect(model).not.toHaveProperty('inherits_parent_price');
    const costs = await (await fetch(`${serving.api.baseUrl}/costs?provider=google`)).json() as { units: Record<string, { per: string }> };
    expect(costs.units.input_audio_tokens).toEqual({ per: '1M tokens', parent: 'input_tokens' });
    expect(costs.units.web_search_requests).toEqual({ per: 'search request', parent: null });
  });
});
