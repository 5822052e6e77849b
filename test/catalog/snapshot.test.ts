import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { readdirSync } from 'node:fs';
import { loadConfig } from '../../src/config.ts';
import { buildReport } from '../../src/discrepancy/report.ts';
import { invert, quotesBySymbol, recordedUsdRate } from '../../src/fx/recorded.ts';
import { readSnapshot } from '../../src/store/snapshot.ts';
import type { CatalogEntry } from '@tariff/pricing';
import { parseExactJson } from '../../src/sources/json.ts';
import { sourceNamed } from '../../src/sources/registry.ts';
import { UPSTREAM_FIXTURES } from '../support/env.ts';
import { assembledPrices } from '../../src/sync/assemble.ts';

const load = async (file: string) => parseExactJson(await readFile(path.join(UPSTREAM_FIXTURES, file), 'utf8'));

describe('the bundled snapshot', () => {
  test('is exactly what the source adapters make of the real upstream payloads, assembled as a sync assembles them', async () => {
    const snapshot = await readSnapshot();
    const payloads = new Map<string, unknown>();
    for (const [source, { file }] of Object.entries(snapshot.sources)) payloads.set(source, await load(file));
    const modelsDevProviders = Object.keys(payloads.get('models_dev') as object).filter((id) => id !== 'openrouter');
    expect(snapshot.providers.map((p) => p.id).sort()).toEqual(['openrouter', ...modelsDevProviders].sort());
    for (const provider of snapshot.providers) {
      const parsed = await assembledPrices({ provider: provider.id, source: provider.source, upstream_id: provider.upstream_id }, async (source) => payloads.get(source.name));
      expect({ id: provider.id, models: provider.models }).toEqual({ id: provider.id, models: parsed.records });
    }
  });

  test('knows every upstream id each source payload holds', async () => {
    const snapshot = await readSnapshot();
    for (const [source, { file }] of Object.entries(snapshot.sources)) {
      expect(snapshot.known_upstream_ids[source]).toEqual(sourceNamed(source).upstreamIds(await load(file)));
    }
  });

  test('covers the default providers with every model their upstream lists', async () => {
    const snapshot = await readSnapshot();
    const count = (id: string) => snapshot.providers.find((p) => p.id === id)?.models.length ?? 0;
    const modelsDev = await load(snapshot.sources.models_dev!.file) as Record<string, { models: object }>;
    const openRouter = await load(snapshot.sources.openrouter!.file) as { data: unknown[] };
    expect(count('openrouter')).toBe(openRouter.data.length);
    for (const id of ['anthropic', 'openai', 'google']) expect(count(id)).toBe(Object.keys(modelsDev[id]!.models).length);
  });

  test('is dated by the newest capture of its payloads, and its report is built from the same payloads at that date', async () => {
    const snapshot = await readSnapshot();
    const captured = Object.values(snapshot.sources).map((s) => Date.parse(s.captured));
    expect(Date.parse(snapshot.taken_at)).toBe(Math.max(...captured));
    const payloads = new Map<string, unknown>();
    for (const [source, { file }] of Object.entries(snapshot.sources)) payloads.set(source, await load(file));
    const inUse = new Set(loadConfig({}).providers.map((p) => p.provider));
    const entries: CatalogEntry[] = (await Promise.all(snapshot.providers.filter((provider) => inUse.has(provider.id)).map(async (provider) =>
      (await assembledPrices({ provider: provider.id, source: provider.source, upstream_id: provider.upstream_id }, async (source) => payloads.get(source.name)))
        .records.map((record) => ({
          ...record, provider: provider.id, source: provider.source as CatalogEntry['source'],
          effective_at: snapshot.taken_at, last_seen_at: snapshot.taken_at, removed_at: null, override_reason: null,
        }))))).flat();
    const report = buildReport({
      catalog: { version: 0, entries }, providers: loadConfig({}).providers, payloads, history: new Map(), at: new Date(snapshot.taken_at),
    });
    expect(snapshot.discrepancy_report).toEqual(JSON.parse(JSON.stringify(report)));
    expect(report.items.length).toBeGreaterThan(0);
    // The report explains itself: at most a quarter of its disagreements are left unclassified.
    const unknown = report.items.filter((item) => item.class === 'unknown').length;
    expect(unknown / report.items.length).toBeLessThanOrEqual(0.25);
    expect(report.items.some((item) => item.class === 'outlier_served')).toBe(true);
  });

  test('carries a rate for each default FX currency a recorded Yahoo quote gives, and names the others', async () => {
    const snapshot = await readSnapshot();
    const files = readdirSync(UPSTREAM_FIXTURES).filter((f) => /^yahoo-quote-.+\.json$/.test(f));
    const rows = quotesBySymbol(await Promise.all(files.map(async (f) => JSON.parse(await readFile(path.join(UPSTREAM_FIXTURES, f), 'utf8')) as unknown)));
    for (const currency of loadConfig({}).FX_CURRENCIES) {
      const recorded = recordedUsdRate(currency, rows);
      if (recorded) {
        expect(snapshot.exchange_rates).toContainEqual({
          base: 'USD', quote: currency, rate: recorded.rate, market_time: recorded.market_time.toISOString(), source: recorded.source,
        });
      }
      else expect(snapshot.fx_missing).toContain(currency);
    }
  });
});

describe('rates from recorded Yahoo quotes', () => {
  test('a pair quoted the other way round (EURUSD=X, USD per EUR) is inverted exactly, rounded half-up', async () => {
    const envelope = JSON.parse(await readFile(path.join(UPSTREAM_FIXTURES, 'yahoo-quote-EURUSD=X.json'), 'utf8')) as {
      response: { bodyJson: { quoteResponse: { result: Array<{ regularMarketPrice: number; regularMarketTime: number }> } } };
    };
    const quoted = envelope.response.bodyJson.quoteResponse.result[0]!;
    const rate = recordedUsdRate('EUR', quotesBySymbol([envelope]))!;
    expect(rate).toMatchObject({ base: 'USD', currency: 'EUR', rate: invert(String(quoted.regularMarketPrice)), source: 'yahoo_finance' });
    expect(rate.market_time.getTime()).toBe(quoted.regularMarketTime * 1000);
    expect(invert('4')).toBe('0.25');
    expect(invert('3')).toBe('0.3333333333');
    expect(invert('1.5')).toBe('0.6666666667');
    expect(recordedUsdRate('ZAR', quotesBySymbol([envelope]))).toBeUndefined();
  });
});
