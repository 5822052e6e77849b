// GET /metrics (Prometheus) and GET /openapi.json (OpenAPI 3.1) as operators
// and client generators read them.
import { catalogVersion, costOf, postJson, request, servingInstance } from './helpers.ts';
import { until } from '../support/poll.ts';

const serving = servingInstance();

async function metrics(): Promise<string> {
  const res = await fetch(`${serving.api.baseUrl}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
  return res.text();
}

/** The value of one sample line, e.g. sample(text, 'tariff_catalog_version'). */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

interface OpenApiDocument {
  openapi: string;
  paths: Record<string, Record<string, {
    requestBody?: { content: Record<string, { schema: { oneOf?: Array<Record<string, unknown>> } }> };
  }>>;
}

interface JsonSchemaObject {
  type?: string;
  properties?: Record<string, JsonSchemaObject>;
  required?: string[];
  items?: JsonSchemaObject;
}

describe('GET /metrics', () => {
  test('tariff_catalog_version is the catalog version the instance serves', async () => {
    const text = await metrics();

    expect(text).toContain('# TYPE tariff_catalog_version gauge');
    expect(sample(text, 'tariff_catalog_version')).toBe(serving.api.catalog.current.version);
  });

  test('request durations are a histogram labelled by route pattern, never by raw path', async () => {
    const modelSeries = (status: number) => `method="GET",route="/costs/:provider/*model",status="${status}"`;
    const counted = [modelSeries(200), modelSeries(404), modelSeries(304), 'method="GET",route="/costs",status="200"', 'method="POST",route="/costs/quote",status="200"'];
    const countsIn = (text: string) => counted.map((series) => sample(text, `tariff_http_request_duration_seconds_count{${series}}`) ?? 0);
    const before = countsIn(await metrics());

    await request(serving.api.baseUrl, '/costs/anthropic/claude-sonnet-4-5');
    await request(serving.api.baseUrl, '/costs/openai/gpt-4o');
    await request(serving.api.baseUrl, '/costs/openai/no-such-model');
    await request(serving.api.baseUrl, '/costs/openai/gpt-4o', { headers: { 'if-none-match': `"catalog-${serving.api.catalog.current.version}"` } });
    await request(serving.api.baseUrl, '/costs?provider=openai');
    await postJson(serving.api.baseUrl, '/costs/quote', { provider: 'openai', model: 'gpt-4o', usage: { input_tokens: 1, output_tokens: 1 } });

    const text = await metrics();

    expect(text).toContain('# TYPE tariff_http_request_duration_seconds histogram');
    expect(countsIn(text).map((n, i) => n - before[i]!)).toEqual([2, 1, 1, 1, 1]);
    expect(text).not.toContain('claude-sonnet-4-5');
    expect(text).not.toContain('no-such-model');
    // Buckets are cumulative, from the smallest bound to +Inf, which counts every request of the series.
    const series = modelSeries(200);
    const buckets = text.split('\n').filter((line) => line.startsWith('tariff_http_request_duration_seconds_bucket{') && line.includes(series));
    expect(buckets[0]).toMatch(/\{le="0\.0005",/);
    expect(buckets.at(-1)).toBe(`tariff_http_request_duration_seconds_bucket{le="+Inf",${series}} ${before[0]! + 2}`);
    const counts = buckets.map((line) => Number(line.split(' ').at(-1)));
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    expect(text).toMatch(new RegExp(`^tariff_http_request_duration_seconds_sum\\{${series.replace(/[/*.]/g, '\\$&')}\\} \\d`, 'm'));
  });

  test('after a sync, tariff_provider_last_successful_sync_age_seconds reports the provider, and tariff_catalog_version follows the change', async () => {
    const notified = (text: string) => sample(text, 'tariff_catalog_reloads_total{reason="notify"}') ?? 0;
    const before = await metrics();
    expect(before).not.toMatch(/^tariff_provider_last_successful_sync_age_seconds\{provider="anthropic"\}/m);

    await serving.stack.syncModelsDev('anthropic', (payload) => {
      costOf(payload, 'anthropic', 'claude-sonnet-4-5').input = 3.3;
    });
    const version = await catalogVersion(serving.stack.pool);
    await until('the instance to load the change', async () => (serving.api.catalog.current.version === version ? true : undefined));
    // The reload counter moves when the reload's promise settles, just after the new catalog is in place.
    const text = await until('the notified reload to be counted', async () => {
      const latest = await metrics();
      return notified(latest) > notified(before) ? latest : undefined;
    });

    const age = sample(text, 'tariff_provider_last_successful_sync_age_seconds{provider="anthropic"}');
    expect(age).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'tariff_catalog_version')).toBe(version);
  });
});

describe('GET /openapi.json', () => {
  test('is an OpenAPI 3.1 document whose /costs/quote request schema has usage.input_tokens, for one quote and for a batch', async () => {
    const { status, body } = await request<OpenApiDocument>(serving.api.baseUrl, '/openapi.json');

    expect(status).toBe(200);
    expect(body.openapi).toMatch(/^3\.1\./);
    expect(Object.keys(body.paths)).toEqual(expect.arrayContaining(['/costs', '/costs/{provider}/{model}', '/costs/quote', '/metrics']));
    const [single, batch] = (body.paths['/costs/quote']?.post?.requestBody?.content['application/json']?.schema.oneOf ?? []) as JsonSchemaObject[];
    expect(single?.properties?.usage?.properties?.input_tokens).toMatchObject({ type: 'integer' });
    // output_tokens defaults to 0 (an embedding call has no output): only input_tokens is required.
    expect(single?.properties?.usage?.required).toEqual(['input_tokens']);
    // provider always; then usage (with model) or the provider's own response (with format).
    expect(single?.required).toEqual(['provider']);
    expect(Object.keys(single?.properties ?? {})).toEqual(expect.arrayContaining(['model', 'usage', 'response', 'format']));
    expect(batch).toMatchObject({ type: 'array' });
    expect(batch?.items?.properties?.usage?.properties?.input_tokens).toMatchObject({ type: 'integer' });
  });
});
