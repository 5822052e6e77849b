// The discrepancy report end to end: the in-use providers synced from the four
// real fixtures served by local upstreams, a check that compares them, an API
// instance serving the report and its metrics, and a held-out price change in
// one source showing up as exactly one new discrepancy.
import type { DiscrepancyItem } from '../../src/discrepancy/compare.ts';
import { newDiscrepancies, summarize, type DiscrepancyReport } from '../../src/discrepancy/report.ts';
import { checkDiscrepancies } from '../../src/discrepancy/run.ts';
import { startApi, type ApiInstance } from '../../src/service.ts';
import { testLogger } from '../support/env.ts';
import { testConfig } from '../support/stack.ts';
import type { ErrorBody } from '@tariff/pricing';
import { request } from '../serving/helpers.ts';
import { isUnitId } from '@tariff/pricing';
import { parseExactJson } from '../../src/sources/json.ts';
import { readCatalog } from '../../src/store/read.ts';
import { assembledPrices } from '../../src/sync/assemble.ts';
import { fixtureText, type RouteName } from '../../scripts/support/upstream.ts';
import { startSyncStack, sync, serveEdited, type SyncStack } from '../sync/helpers.ts';

const logger = testLogger();
const ENV = { PROVIDERS_IN_USE: 'openrouter,anthropic,openai,google,deepseek', PROVIDER_SOURCES: 'deepseek=genai_prices' };

type LiteLlmMap = Record<string, Record<string, unknown>>;

let stack: SyncStack;
let api: ApiInstance;
let first: DiscrepancyReport;

beforeAll(async () => {
  stack = await startSyncStack(ENV);
  for (const { provider } of stack.config.providers) {
    const result = await sync(stack, provider);
    if (result.status !== 'success') throw new Error(`sync of ${provider}: ${JSON.stringify(result)}`);
  }
  first = (await checkDiscrepancies({ pool: stack.pool, config: stack.config, logger })).report;
  api = await startApi({ url: stack.db.url, config: testConfig(stack.db.url, stack.upstream, ENV), logger, port: 0 });
});

afterAll(async () => {
  await api?.stop();
  await stack?.release();
});

async function servedPriced(): Promise<Map<string, number>> {
  const { rows } = await stack.pool.query<{ provider: string; n: number }>(`
    select provider, count(*)::int as n from current_prices
     where state = 'priced' and removed_at is null and provider = any($1::text[]) group by provider`,
  [stack.config.providers.map((p) => p.provider)]);
  return new Map(rows.map((r) => [r.provider, r.n]));
}

describe('a discrepancy check of the in-use providers against the four real sources', () => {
  test('compares every priced model served, and each other source either matches it or reports it unmatched', async () => {
    const served = await servedPriced();
    for (const [provider, stats] of Object.entries(first.providers)) {
      expect([provider, stats.compared]).toEqual([provider, served.get(provider) ?? 0]);
      for (const source of Object.keys(stats.matched)) {
        expect(source).not.toBe(stats.source);
        expect([provider, source, stats.matched[source]! + stats.unmatched[source]!]).toEqual([provider, source, stats.compared]);
        expect(first.unmatched.filter((u) => u.provider === provider && u.source === source)).toHaveLength(stats.unmatched[source]!);
      }
    }
    const summary = summarize(first);
    expect(summary.models_compared).toBe([...served.values()].reduce((a, b) => a + b, 0));
    expect(Object.keys(summary.matched).sort()).toEqual(['genai_prices', 'litellm', 'models_dev', 'openrouter']);
    expect(first.items.length).toBeGreaterThan(0);
  });

  test('every item names a served price and at least one other source\'s, with a spread above 1 or none', () => {
    for (const item of first.items) {
      expect(Object.keys(item.sources).length).toBeGreaterThan(0);
      expect(item.sources[item.served.source]).toBeUndefined();
      if (item.spread !== null) expect(Number(item.spread)).toBeGreaterThan(1);
    }
    // Largest first.
    const spreads = first.items.filter((i) => i.spread !== null).map((i) => Number(i.spread));
    expect(spreads).toEqual([...spreads].sort((a, b) => b - a));
  });

  test('GET /costs/discrepancies serves the stored report in the agreed shape, narrowed by its query', async () => {
    const { status, body } = await request<ReturnType<typeof shape>>(api.baseUrl, '/costs/discrepancies');
    expect(status).toBe(200);
    expect(Object.keys(body)).toEqual(['generated_at', 'catalog_version', 'summary', 'items', 'unmatched']);
    expect(body.summary).toEqual(JSON.parse(JSON.stringify(summarize(first))));
    expect(body.items).toHaveLength(first.items.length);
    const narrowed = await request<ReturnType<typeof shape>>(api.baseUrl, '/costs/discrepancies?provider=anthropic&dimension=input_tokens&min_spread=1.5');
    expect(narrowed.body.items.length).toBeGreaterThan(0);
    for (const item of narrowed.body.items) {
      expect(item).toMatchObject({ provider: 'anthropic', dimension: 'input_tokens' });
      if (item.spread !== null) expect(Number(item.spread)).toBeGreaterThanOrEqual(1.5);
    }
    expect(narrowed.body.summary.models_compared).toBe(first.providers.anthropic?.compared);
  });

  test('a bad query is a 400 naming the field', async () => {
    for (const [query, field] of [['dimension=tokens', 'query.dimension'], ['min_spread=-1', 'query.min_spread'], ['provider=Open%20AI', 'query.provider'], ['colour=red', 'query.colour']]) {
      const { status, body } = await request<ErrorBody>(api.baseUrl, `/costs/discrepancies?${query}`);
      expect([query, status, body.error.code]).toEqual([query, 400, 'invalid_request']);
      expect(body.error.message).toContain(field);
    }
  });

  test('GET /metrics exports the report\'s counts', async () => {
    const text = await (await fetch(`${api.baseUrl}/metrics`)).text();
    const summary = summarize(first);
    expect(text).toContain(`tariff_discrepancy_models_compared ${summary.models_compared}`);
    for (const [source, n] of Object.entries(summary.unmatched)) expect(text).toContain(`tariff_discrepancy_unmatched_models{source="${source}"} ${n}`);
    for (const [name, n] of Object.entries(summary.disagreements.by_class)) expect(text).toContain(`tariff_discrepancies{class="${name}"} ${n}`);
  });
});

describe('dimensions filled from other sources', () => {
  test('each item names the source of the served price, and filling sources that disagree are reported', async () => {
    const sources = (await import('../../src/sources/registry.ts')).SOURCES;
    const payloads = new Map(sources.map((source) => [source.name, parseExactJson(fixtureText(source.name as RouteName))]));
    const expected = (await Promise.all(stack.config.providers.map(async (provider) => (await assembledPrices(provider, async (source) => payloads.get(source.name)))
      .disagreements.filter((d) => isUnitId(d.dimension)).map((d) => ({ provider: provider.provider, ...d })))))
      .flat();

    expect(expected.length).toBeGreaterThan(0);
    for (const d of expected) {
      const item = first.items.find((i) => i.provider === d.provider && i.model_id === d.model_id && i.dimension === d.dimension);
      expect(item).toMatchObject({ served: { source: d.chosen.source, price: d.chosen.price }, sources: { [d.other.source]: { price: d.other.price } } });
    }
    const catalog = await readCatalog(stack.pool);
    for (const item of first.items) {
      const entry = catalog.entries.find((e) => e.provider === item.provider && e.model_id === item.model_id)!;
      const filled = Object.entries(entry.filled_from ?? {}).filter(([path]) => path === item.dimension || path.endsWith(`.${item.dimension}`));
      expect([entry.source, ...filled.map(([, source]) => source)]).toContain(item.served.source);
    }
  });
});

describe('a held-out price change in one source', () => {
  test('shows up as a new discrepancy of exactly that model and dimension, served by the API after the next check', async () => {
    // An anthropic model LiteLLM lists under its own id whose output price all sources agree on.
    const litellm = (await import('../../scripts/support/upstream.ts')).fixtureJson<LiteLlmMap>('litellm');
    const disputed = new Set(first.items.map((i) => `${i.provider}/${i.model_id}/${i.dimension}`));
    const { rows } = await stack.pool.query<{ model_id: string }>(
      `select model_id from current_prices where provider = 'anthropic' and state = 'priced' and removed_at is null order by model_id`);
    const model = rows.map((r) => r.model_id).find((id) => litellm[id]?.litellm_provider === 'anthropic'
      && litellm[id]?.output_cost_per_token !== undefined && !disputed.has(`anthropic/${id}/output_tokens`));
    if (!model) throw new Error('no anthropic model that LiteLLM lists without a disputed output price');

    serveEdited<LiteLlmMap>(stack.upstream, 'litellm', (json) => {
      json[model]!.output_cost_per_token = 0.000123; // $123 per 1M
    });
    const outcome = await checkDiscrepancies({ pool: stack.pool, config: stack.config, logger });

    expect(outcome.previous).toEqual(first);
    expect(outcome.found.map(key)).toEqual([`anthropic/${model}/output_tokens`]);
    expect(outcome.found[0]?.sources.litellm).toEqual({ model_id: model, price: '123' });
    const before = new Set(first.items.map(key));
    expect(outcome.report.items.map(key).filter((k) => !before.has(k))).toEqual([`anthropic/${model}/output_tokens`]);

    await api.discrepancies.refreshIfBehind();
    const { body } = await request<ReturnType<typeof shape>>(api.baseUrl, '/costs/discrepancies?provider=anthropic&dimension=output_tokens');
    expect(body.items.map(key)).toContain(`anthropic/${model}/output_tokens`);
  });
});

function key(item: DiscrepancyItem): string {
  return `${item.provider}/${item.model_id}/${item.dimension}`;
}

/** The response type, for request<>() only. */
function shape() {
  return { generated_at: '', catalog_version: 0, summary: summarize(first), items: [] as DiscrepancyItem[], unmatched: [] as unknown[] };
}
