// Builds src/catalog/snapshot.json, the real prices tariff loads into an empty
// catalog on first start, from real upstream payloads run through the same
// source adapters a sync uses.
//
//   npm run snapshot -- [--from DIR]   (default DIR: ../shared/fixtures/upstream)
//
// Seeds every models.dev provider (except openrouter) from models.dev and
// openrouter from OpenRouter's API, so lookups work offline for any of them;
// each record completed from the other sources as a sync completes it
// (src/sync/assemble.ts).
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { SNAPSHOT_FILE, snapshotSchema, type Snapshot } from '../src/store/snapshot.ts';
import { parseExactJson } from '../src/sources/json.ts';
import { sourceNamed } from '../src/sources/registry.ts';
import { assembledPrices } from '../src/sync/assemble.ts';

const PROVIDER_ID = /^[a-z0-9][a-z0-9._-]*$/;
const FILES = {
  models_dev: { file: 'models-dev-api.json', captured: '2026-06-13T07:27:49Z' },
  openrouter: { file: 'openrouter-models.json', captured: '2026-05-15T15:00:32Z' },
  litellm: { file: 'litellm-model_prices.json', captured: '2026-07-24T18:23:43Z' },
  genai_prices: { file: 'genai-prices-v2-data.json', captured: '2026-08-21T00:00:00Z' },
};

const { values } = parseArgs({ options: { from: { type: 'string', default: '../shared/fixtures/upstream' } } });
const dir = path.resolve(values.from);
const load = async (file: string) => parseExactJson(await readFile(path.join(dir, file), 'utf8'));

const modelsDev = (await load(FILES.models_dev.file)) as Record<string, unknown>;
const openRouter = await load(FILES.openrouter.file);
const liteLlm = await load(FILES.litellm.file);
const genaiPrices = await load(FILES.genai_prices.file);
const payloads: Record<string, unknown> = { models_dev: modelsDev, openrouter: openRouter, litellm: liteLlm, genai_prices: genaiPrices };

const providers: Snapshot['providers'] = [];
let skipped = 0;
const add = async (id: string, source: string) => {
  const result = await assembledPrices({ provider: id, source, upstream_id: id }, async ({ name }) => payloads[name]);
  skipped += result.skipped.length;
  // Null fields are left out of the file; the loader's schema restores them.
  const models = result.records.map((record) => Object.fromEntries(
    Object.entries(record).filter(([key, value]) => value !== null && !(key === 'tiers' && Array.isArray(value) && value.length === 0))));
  providers.push({ id, source, upstream_id: id, models: models as Snapshot['providers'][number]['models'] });
};

await add('openrouter', 'openrouter');
for (const id of Object.keys(modelsDev).sort()) {
  if (id === 'openrouter') continue;
  if (!PROVIDER_ID.test(id)) throw new Error(`models.dev provider id "${id}" is not a valid tariff provider id`);
  await add(id, 'models_dev');
}

const snapshot = snapshotSchema.parse({
  generated_at: new Date().toISOString(),
  sources: FILES,
  known_upstream_ids: Object.fromEntries(Object.entries(payloads)
    .map(([source, payload]) => [source, sourceNamed(source).upstreamIds(payload)])),
  providers,
});
// One provider per line keeps diffs of the file readable.
const body = [
  '{',
  `"generated_at": ${JSON.stringify(snapshot.generated_at)},`,
  `"sources": ${JSON.stringify(snapshot.sources)},`,
  `"known_upstream_ids": ${JSON.stringify(snapshot.known_upstream_ids)},`,
  '"providers": [',
  providers.map((p) => JSON.stringify(p)).join(',\n'),
  ']',
  '}',
  '',
].join('\n');
await writeFile(SNAPSHOT_FILE, body);
const models = providers.reduce((n, p) => n + p.models.length, 0);
process.stdout.write(`wrote ${path.relative(process.cwd(), new URL(SNAPSHOT_FILE).pathname)}: ${providers.length} providers, ${models} models (${skipped} rows skipped), ${body.length} bytes\n`);
