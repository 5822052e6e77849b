// GET /costs/:provider/:model resolves a model id the way callers spell it,
// says how it matched, and never guesses a different model: the ids below are
// real ones from the bundled snapshot.
import type { ErrorBody } from '@tariff/pricing';
import { request, servingInstance, type ModelBody } from './helpers.ts';

const serving = servingInstance();

const model = (provider: string, id: string) => request<ModelBody>(serving.api.baseUrl, `/costs/${provider}/${id}`);
const missing = (provider: string, id: string) => request<ErrorBody>(serving.api.baseUrl, `/costs/${provider}/${id}`);

describe('resolving model ids', () => {
  test('an id as stored matches exactly', async () => {
    const { status, body } = await model('anthropic', 'claude-sonnet-4-5');

    expect(status).toBe(200);
    expect(body).toMatchObject({ requested_model_id: 'claude-sonnet-4-5', model_id: 'claude-sonnet-4-5', matched_by: 'exact', input_cost_per_1m_tokens: '3' });
  });

  test('an OpenRouter-style id with the provider prefix (openai/gpt-4o under openai) matches as an alias', async () => {
    const { body } = await model('openai', 'openai/gpt-4o');

    expect(body).toMatchObject({ requested_model_id: 'openai/gpt-4o', model_id: 'gpt-4o', matched_by: 'alias', input_cost_per_1m_tokens: '2.5' });
  });

  test('an id in another letter case matches as an alias', async () => {
    const { body } = await model('openai', 'GPT-4o');

    expect(body).toMatchObject({ model_id: 'gpt-4o', matched_by: 'alias' });
  });

  test('a dated snapshot id that is in the catalog is that entry (claude-sonnet-4-5-20250929: exact)', async () => {
    const { body } = await model('anthropic', 'claude-sonnet-4-5-20250929');

    expect(body).toMatchObject({ model_id: 'claude-sonnet-4-5-20250929', matched_by: 'exact' });
  });

  test('a dated snapshot keeps its own price rather than the base model\'s (gpt-4o-2024-05-13: 5 / 15, gpt-4o: 2.5 / 10)', async () => {
    const { body } = await model('openai', 'gpt-4o-2024-05-13');

    expect(body).toMatchObject({ model_id: 'gpt-4o-2024-05-13', matched_by: 'exact', input_cost_per_1m_tokens: '5', output_cost_per_1m_tokens: '15' });
  });

  test('a date written in another form resolves to the dated entry (claude-sonnet-4-5@20250929)', async () => {
    const { body } = await model('anthropic', 'claude-sonnet-4-5@20250929');

    expect(body).toMatchObject({ model_id: 'claude-sonnet-4-5-20250929', matched_by: 'normalized' });
  });

  test('a dated snapshot the catalog does not list resolves to its base model (gpt-4o-mini-2024-07-18 → gpt-4o-mini)', async () => {
    const { body } = await model('openai', 'gpt-4o-mini-2024-07-18');

    expect(body).toMatchObject({ requested_model_id: 'gpt-4o-mini-2024-07-18', model_id: 'gpt-4o-mini', matched_by: 'normalized', input_cost_per_1m_tokens: '0.15' });
  });

  test('gpt-4 is gpt-4 (30 / 60), never gpt-4o by a loose prefix', async () => {
    const { body } = await model('openai', 'gpt-4');

    expect(body).toMatchObject({ model_id: 'gpt-4', matched_by: 'exact', input_cost_per_1m_tokens: '30', output_cost_per_1m_tokens: '60' });
  });

  test.each([
    ['anthropic', 'claude-sonnet-4'],
    ['openai', 'gpt-4o-m'],
    ['openai', 'gpt-4.1-mini-high'],
  ])('%s %s, a prefix or extension of real ids, is a 404 with suggestions rather than a guess', async (provider, id) => {
    const res = await missing(provider, id);

    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: 'unknown_model', message: expect.stringContaining(id), details: { suggestions: expect.any(Array) } });
  });

  test('an unknown model is a 404 whose suggestions name the model meant (gpt-4o-minj → gpt-4o-mini)', async () => {
    const res = await missing('openai', 'gpt-4o-minj');

    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: 'unknown_model', details: { suggestions: expect.arrayContaining(['gpt-4o-mini']) } });
  });

  test('an unknown provider is a 404 that says so', async () => {
    const res = await missing('nosuchprovider', 'gpt-4o');

    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('unknown_provider');
  });

  test('a dynamically priced model is served with state dynamic and no prices, never $0 (openrouter/auto)', async () => {
    const { status, body } = await model('openrouter', 'openrouter/auto');

    expect(status).toBe(200);
    expect(body).toMatchObject({ model_id: 'openrouter/auto', matched_by: 'exact', state: 'dynamic', input_cost_per_1m_tokens: null, output_cost_per_1m_tokens: null });
  });

  test('a model without a per-token price is served as unpriced with no prices, never $0 (anyapi anthropic/claude-opus-4-7)', async () => {
    const { status, body } = await model('anyapi', 'anthropic/claude-opus-4-7');

    expect(status).toBe(200);
    expect(body).toMatchObject({ state: 'unpriced', input_cost_per_1m_tokens: null, output_cost_per_1m_tokens: null });
  });
});
