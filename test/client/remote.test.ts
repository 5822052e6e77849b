// tariff.remote: typed calls (openapi-fetch over the generated OpenAPI types)
// to a live API instance, for what only the server answers, with the same
// answers the synchronous methods give where both can answer.
import { RemoteOnlyError, Tariff, TariffError } from '@tariff/client';
import { catalogVersion, costOf, servingInstance } from '../serving/helpers.ts';
import { until } from '../support/poll.ts';

const serving = servingInstance();
// Below the model's long-context threshold: the total is the input price ÷ 10.
const usage = { input_tokens: 100_000, output_tokens: 0 };
const quoteRequest = { provider: 'anthropic', model: 'claude-sonnet-4-5', usage };

test('GET /costs/{provider}/{model} answers what tariff.price does, and an unknown model is the same typed 404', async () => {
  const tariff = await Tariff.connect(serving.api.baseUrl);
  const { data, response } = await tariff.remote.GET('/costs/{provider}/{model}', {
    params: { path: { provider: 'openai', model: 'gpt-4o' }, query: {} },
  });
  expect(response.status).toBe(200);
  expect(data).toEqual(tariff.price('openai', 'gpt-4o'));

  const missing = await tariff.remote.GET('/costs/{provider}/{model}', { params: { path: { provider: 'openai', model: 'no-such-model' } } });
  expect(missing.response.status).toBe(404);
  let thrown: unknown;
  try {
    tariff.price('openai', 'no-such-model');
  } catch (err) {
    thrown = err;
  }
  expect(thrown).toBeInstanceOf(TariffError);
  expect(missing.error).toEqual((thrown as TariffError).toJSON());
  await tariff.close();
});

test('a quote at a past time is the server\'s: remote answers the price then in effect, the synchronous quote refuses it', async () => {
  const { api, stack } = serving;
  const tariff = await Tariff.connect(api.baseUrl);
  const before = tariff.version;
  const oldTotal = tariff.quote(quoteRequest).total_usd;
  const at = new Date().toISOString();
  await stack.syncModelsDev('anthropic', (payload) => {
    costOf(payload, 'anthropic', 'claude-sonnet-4-5').input = 4.4;
  });
  const version = await catalogVersion(stack.pool);
  await until('the instance to load the sync', async () => (api.catalog.current.version === version ? true : undefined));

  const then = await tariff.remote.POST('/costs/quote', { body: { ...quoteRequest, at } });
  expect(then.response.status).toBe(200);
  expect(then.data).toMatchObject({ total_usd: oldTotal, at });
  const now = await tariff.remote.POST('/costs/quote', { body: quoteRequest });
  expect(now.data).toMatchObject({ total_usd: '0.44', catalog_version: version });
  expect(() => tariff.quote({ ...quoteRequest, at })).toThrow(RemoteOnlyError);

  // The delta a client that is not live would fetch to catch up.
  const delta = await tariff.remote.GET('/costs', { params: { query: { since: String(before) } } });
  expect(delta.data).toMatchObject({ catalog_version: version, since: before, changed: expect.arrayContaining([expect.objectContaining({ model_id: 'claude-sonnet-4-5', input: '4.4' })]) });
  await tariff.close();
});
