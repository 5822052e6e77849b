// Builds src/store/snapshot.json, what tariff loads into an empty catalog on
// first start, from real upstream payloads run through the same code a sync,
// an FX refresh and a discrepancy check use:
//   - prices: every models.dev provider (except openrouter) from models.dev,
//     openrouter from OpenRouter's API;
//   - USD rates of FX_CURRENCIES from recorded Yahoo Finance quotes;
//   - the discrepancy report of all the price payloads, for PROVIDERS_IN_USE.
//
//   npm run snapshot -- [--from DIR]   (default DIR: ../shared/fixtures/upstream)
//
// Offline and deterministic by default: each source is read from its file in
// DIR, and the snapshot's date is the newest capture date of those files. A
// source whose URL variable is set (MODELS_DEV_URL, …, YAHOO_FINANCE_URL, e.g.
// a local fixture server) is fetched from it instead, captured now.
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { CatalogEntry, PriceRecord } from '@tariff/pricing';
import { loadConfig } from '../src/config.ts';
import { buildReport } from '../src/discrepancy/report.ts';
import { quotesBySymbol, recordedUsdRate } from '../src/fx/recorded.ts';
import { fetchUsdRates, type FetchedRate } from '../src/fx/yahoo.ts';
import { createLogger } from '../src/log.ts';
import { fetchSourcePayload } from '../src/sources/index.ts';
import { parseExactJson } from '../src/sources/json.ts';
import { SOURCES } from '../src/sources/registry.ts';
import { assembledPrices } from '../src/sync/assemble.ts';
import { SNAPSHOT_FILE, snapshotSchema, type Snapshot } from '../src/store/snapshot.ts';

const PROVIDER_ID = /^[a-z0-9][a-z0-9._-]*$/;
/** Each source's file in the fixture directory, and when its upstream was captured (the directory's README). */
const FILES: Record<string, { file: string; captured: string }> = {
  models_dev: { file: 'models-dev-api.json', captured: '2026-06-13T07:27:49Z' },
  openrouter: { file: 'openrouter-models.json', captured: '2026-05-15T15:00:32Z' },
  litellm: { file: 'litellm-model_prices.json', captured: '2026-07-24T18:23:43Z' },
  // The live v2 feed, at the repository HEAD the fixture was taken from (its README).
  genai_prices: { file: 'genai-prices-v2-data.json', captured: '2026-08-21T00:00:00Z' },
};
const YAHOO_QUOTE_FILE = /^yahoo-quote-.+\.json$/;

const { values } = parseArgs({ options: { from: { type: 'string', default: '../shared/fixtures/upstream' } } });
const dir = path.resolve(values.from);
const config = loadConfig();
const logger = createLogger('warn');
const now = new Date().toISOString();

// Every registered source's payload, and where and when it was taken.
const payloads = new Map<string, unknown>();
const sources: Snapshot['sources'] = {};
for (const source of SOURCES) {
  const fixture = FILES[source.name];
  if (process.env[source.url.env]) {
    payloads.set(source.name, await fetchSourcePayload(source, config));
    sources[source.name] = { file: config.sourceUrls[source.name]!, captured: now };
  } else {
    if (!fixture) throw new Error(`no fixture file is known for source ${source.name}: set ${source.url.env}`);
    payloads.set(source.name, parseExactJson(await readFile(path.join(dir, fixture.file), 'utf8')));
    sources[source.name] = fixture;
  }
}
const takenAt = new Date(Math.max(...Object.values(sources).map((s) => Date.parse(s.captured)))).toISOString();

// Prices.
const providers: Snapshot['providers'] = [];
const served: CatalogEntry[] = [];
let skipped = 0;
// Each record completed from the other sources as a sync completes it (src/sync/assemble.ts).
const add = async (id: string, source: string) => {
  const result = await assembledPrices({ provider: id, source, upstream_id: id }, async ({ name }) => payloads.get(name));
  skipped += result.skipped.length;
  served.push(...result.records.map((record: PriceRecord) => ({
    ...record, provider: id, source: source as CatalogEntry['source'], effective_at: takenAt, last_seen_at: takenAt, removed_at: null, override_reason: null,
  })));
  // Null fields are left out of the file; the loader's schema restores them.
  const models = result.records.map((record) => Object.fromEntries(
    Object.entries(record).filter(([key, value]) => value !== null && !(key === 'tiers' && Array.isArray(value) && value.length === 0))));
  providers.push({ id, source, upstream_id: id, models: models as Snapshot['providers'][number]['models'] });
};
await add('openrouter', 'openrouter');
for (const id of Object.keys(payloads.get('models_dev') as object).sort()) {
  if (id === 'openrouter') continue;
  if (!PROVIDER_ID.test(id)) throw new Error(`models.dev provider id "${id}" is not a valid tariff provider id`);
  await add(id, 'models_dev');
}

// Exchange rates.
let rates: FetchedRate[];
const missing: string[] = [];
if (process.env.YAHOO_FINANCE_URL) {
  rates = await fetchUsdRates(config.FX_CURRENCIES, { baseUrl: config.YAHOO_FINANCE_URL, timeoutMs: config.UPSTREAM_TOTAL_TIMEOUT_MS, logger });
} else {
  const files = (await readdir(dir)).filter((file) => YAHOO_QUOTE_FILE.test(file)).sort();
  const rows = quotesBySymbol(await Promise.all(files.map(async (file) => JSON.parse(await readFile(path.join(dir, file), 'utf8')) as unknown)));
  rates = config.FX_CURRENCIES.flatMap((currency) => {
    const rate = recordedUsdRate(currency, rows);
    if (!rate) missing.push(currency);
    return rate ? [rate] : [];
  });
}

// The discrepancy report of the same payloads, as of the snapshot's date.
const report = buildReport({
  catalog: { version: 0, entries: served }, providers: config.providers, payloads, history: new Map(), at: new Date(takenAt),
});

const snapshot = snapshotSchema.parse({
  taken_at: takenAt,
  sources,
  known_upstream_ids: Object.fromEntries(SOURCES.map((source) => [source.name, source.upstreamIds(payloads.get(source.name))])),
  providers,
  exchange_rates: rates.map((r) => ({ base: r.base, quote: r.currency, rate: r.rate, market_time: r.market_time.toISOString(), source: r.source })),
  fx_missing: missing,
  discrepancy_report: report,
});
// One provider, and one report item, per line keeps diffs of the file readable.
const lines = (items: readonly unknown[]) => items.map((item) => JSON.stringify(item)).join(',\n');
const { items, unmatched, ...head } = report;
const body = [
  '{',
  `"taken_at": ${JSON.stringify(snapshot.taken_at)},`,
  `"sources": ${JSON.stringify(snapshot.sources)},`,
  `"known_upstream_ids": ${JSON.stringify(snapshot.known_upstream_ids)},`,
  `"exchange_rates": ${JSON.stringify(snapshot.exchange_rates)},`,
  `"fx_missing": ${JSON.stringify(snapshot.fx_missing)},`,
  `"discrepancy_report": ${JSON.stringify(head).slice(0, -1)},"items": [`,
  lines(items),
  '], "unmatched": [',
  lines(unmatched),
  ']},',
  '"providers": [',
  lines(providers),
  ']',
  '}',
  '',
].join('\n');
await writeFile(SNAPSHOT_FILE, body);
const models = providers.reduce((n, p) => n + p.models.length, 0);
process.stdout.write(`wrote ${path.relative(process.cwd(), new URL(SNAPSHOT_FILE).pathname)} (snapshot of ${takenAt}): ${providers.length} providers, `
  + `${models} models (${skipped} rows skipped), ${rates.length} exchange rates, ${items.length} discrepancies, ${body.length} bytes\n`);
if (missing.length > 0) {
  process.stdout.write(`no recorded Yahoo quote for ${missing.map((c) => `USD${c}=X`).join(', ')} in ${dir}: `
    + 'the snapshot has no rate for it; the first refresh_fx job (or POST /admin/fx-refresh) fetches it\n');
}
