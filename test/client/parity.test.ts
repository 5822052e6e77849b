// The client answers exactly what the server answers: over generated requests
// (every response fixture, every service tier and long-context tier, unknown
// models and providers, bad bodies, batches), tariff.quote(x) deep-equals the
// server's POST /costs/quote answer for x at the same catalog version, errors
// included, and tariff.price(p, m) its GET /costs/p/m. (Bodies that are not
// a JSON object or array never reach a quote: the HTTP layer refuses them.)
import { SERVICE_TIERS } from '@tariff/pricing';
import { Tariff, TariffError } from '@tariff/client';
import { loadFixtures } from '../usage/fixtures.ts';
import { postJson, request, servingInstance } from '../serving/helpers.ts';

const serving = servingInstance();
let tariff: Tariff;

beforeAll(async () => {
  tariff = await Tariff.connect(serving.api.baseUrl);
});

afterAll(async () => {
  await tariff?.close();
});

const PROVIDER_OF_FORMAT: Record<string, string> = {
  openai_chat: 'openai', openai_responses: 'openai', anthropic: 'anthropic', gemini: 'google', openrouter: 'openrouter', bedrock_converse: 'amazon-bedrock',
};

/** What the client answers for a body: the quote, or the error as the server's status and body. */
function clientAnswer(body: unknown): { status: number; body: unknown } {
  try {
    return { status: 200, body: tariff.quote(body) };
  } catch (err) {
    if (!(err instanceof TariffError)) throw err;
    return { status: err.status, body: err.toJSON() };
  }
}

function generatedRequests(): unknown[] {
  const view = (tariff as unknown as { view: import('@tariff/pricing').CatalogView }).view;
  const requests: unknown[] = [];
  for (const fixture of loadFixtures('json')) {
    const provider = PROVIDER_OF_FORMAT[fixture.format] ?? 'openai';
    for (const model of [undefined, 'gpt-4o', 'no-such-model']) {
      for (const format of [undefined, fixture.format]) {
        requests.push({ provider, response: fixture.body, ...(model ? { model } : {}), ...(format ? { format } : {}) });
      }
    }
    requests.push({ provider, response: fixture.body, currency: 'ZAR' });
  }
  for (const provider of ['anthropic', 'openai', 'google', 'openrouter']) {
    const models = [...(view.byProvider.get(provider)?.values() ?? [])];
    for (const entry of models.filter((_, i) => i % Math.max(1, Math.floor(models.length / 60)) === 0)) {
      const above = entry.tiers[0]?.above_tokens;
      const inputs = [1200, ...(above === undefined ? [] : [above, above + 1])];
      for (const input_tokens of inputs) {
        requests.push({ provider, model: entry.model_id, usage: { input_tokens, output_tokens: 300 } });
        requests.push({ provider, model: entry.model_id, usage: { input_tokens, output_tokens: 300, cache_read_tokens: 100, reasoning_tokens: 50 } });
      }
      for (const service_tier of SERVICE_TIERS) {
        requests.push({ provider, model: entry.model_id, usage: { input_tokens: 5000, output_tokens: 700, service_tier } });
      }
      requests.push({ provider, model: entry.model_id.toUpperCase(), usage: { input_tokens: 10, output_tokens: 1 } });
      requests.push({ provider, model: `${entry.model_id}-x`, usage: { input_tokens: 10, output_tokens: 1 } });
      requests.push({ provider, model: entry.model_id, usage: { input_tokens: 10, output_tokens: 1 }, currency: 'ZAR' });
    }
  }
  const bad: unknown[] = [
    undefined, {}, [], { provider: 'openai' }, { provider: 'Open AI', model: 'gpt-4o', usage: { input_tokens: 1, output_tokens: 1 } },
    { provider: 'openai', model: 'gpt-4o', usage: { input_tokens: -1, output_tokens: 1 } },
    { provider: 'openai', model: 'gpt-4o', usage: { input_tokens: 1.5, output_tokens: 1 } },
    { provider: 'openai', model: 'gpt-4o', usage: { input_tokens: '1', output_tokens: 1 } },
    { provider: 'openai', model: 'gpt-4o', usage: { input_tokens: 1 } },
    { provider: 'openai', model: 'gpt-4o', usage: { input_tokens: 1, output_tokens: 1, bogus: 1 } },
    { provider: 'openai', model: 'gpt-4o', usage: { input_tokens: 1, output_tokens: 1 }, extra: true },
    { provider: 'openai', model: 'gpt-4o', usage: { input_tokens: 1, output_tokens: 1 }, response: {} },
    { provider: 'openai', usage: { input_tokens: 1, output_tokens: 1 } },
    { provider: 'openai', model: 'gpt-4o', usage: { input_tokens: 1, output_tokens: 1 }, format: 'anthropic' },
    { provider: 'openai', response: { usage: { prompt_tokens: 'x' } } },
    { provider: 'openai', response: [] },
    { provider: 'openai', response: {}, format: 'nope' },
    { provider: 'openai', model: 'gpt-4o', usage: { input_tokens: 1, output_tokens: 1 }, currency: 'XXX' },
    { provider: 'openai', model: 'gpt-4o', usage: { input_tokens: 1, output_tokens: 1 }, currency: 'usd' },
    { provider: 'no-such-provider', model: 'gpt-4o', usage: { input_tokens: 1, output_tokens: 1 } },
    { provider: 'openai', model: 'gpt-4o', usage: { input_tokens: 1e13, output_tokens: 1 } },
    { provider: 'openai', model: 'gpt-4o', usage: { input_tokens: 1, output_tokens: 1, service_tier: 'turbo' } },
    { provider: 'openai', model: '\u0001', usage: { input_tokens: 1, output_tokens: 1 } },
    new Array(1001).fill({ provider: 'openai', model: 'gpt-4o', usage: { input_tokens: 1, output_tokens: 1 } }),
  ];
  const batch = requests.slice(0, 40).concat(bad.slice(3, 10));
  return [...requests, ...bad, batch, [{}], [{ provider: 'openai', model: 'gpt-4o', usage: { input_tokens: 1, output_tokens: 1 } }, { provider: 'x', model: 'y', usage: { input_tokens: 1, output_tokens: 1 } }]];
}

test('over 1,000 generated quote requests, the client answers exactly what POST /costs/quote answers at the same version', async () => {
  const requests = generatedRequests();
  expect(requests.length).toBeGreaterThanOrEqual(1000);
  const statuses = new Set<number>();
  for (const body of requests) {
    const server = await postJson<unknown>(serving.api.baseUrl, '/costs/quote', body === undefined ? undefined : body);
    const client = clientAnswer(body);
    expect({ request: body, ...client }).toEqual({ request: body, status: server.status, body: server.body } as never);
    statuses.add(server.status);
    if (server.status === 200 && !Array.isArray(body)) expect((server.body as { catalog_version: number }).catalog_version).toBe(tariff.version);
  }
  // The corpus reaches quotes and each kind of refusal.
  expect([...statuses].sort()).toEqual(expect.arrayContaining([200, 400, 404, 413, 422]));
});

test('tariff.price answers what GET /costs/:provider/:model answers, in USD and another currency, and its errors', async () => {
  const view = (tariff as unknown as { view: import('@tariff/pricing').CatalogView }).view;
  const cases: Array<[string, string, { currency?: string }]> = [];
  for (const [provider, models] of view.byProvider) {
    for (const modelId of [...models.keys()].slice(0, 8)) cases.push([provider, modelId, {}], [provider, modelId, { currency: 'ZAR' }]);
  }
  cases.push(['openai', 'no-such-model', {}], ['nope', 'gpt-4o', {}], ['openai', 'gpt-4o', { currency: 'XXX' }], ['Bad Provider', 'x', {}]);
  for (const [provider, model, query] of cases) {
    const path = `/costs/${encodeURIComponent(provider)}/${model.split('/').map(encodeURIComponent).join('/')}${query.currency ? `?currency=${query.currency}` : ''}`;
    const server = await request<unknown>(serving.api.baseUrl, path);
    let client: { status: number; body: unknown };
    try {
      client = { status: 200, body: tariff.price(provider, model, query) };
    } catch (err) {
      if (!(err instanceof TariffError)) throw err;
      client = { status: err.status, body: err.toJSON() };
    }
    expect({ provider, model, ...client }).toEqual({ provider, model, status: server.status, body: server.body } as never);
  }
});
