import { readFile } from 'node:fs/promises';
import { parseExactJson } from '../src/sources/json.ts';
import { assembledPrices } from '../src/sync/assemble.ts';
const dir = '/work/shared/fixtures/upstream/';
const files: Record<string, string> = { models_dev: 'models-dev-api.json', openrouter: 'openrouter-models.json', litellm: 'litellm-model_prices.json', genai_prices: process.env.GP ?? 'genai-prices-data.json' };
const payloads: Record<string, unknown> = {};
for (const [k, f] of Object.entries(files)) payloads[k] = parseExactJson(await readFile(dir + f, 'utf8'));
const providers = (process.env.PROVIDERS ?? 'openrouter,anthropic,openai,google').split(',');
for (const p of providers) {
  const r = await assembledPrices({ provider: p, source: p === 'openrouter' ? 'openrouter' : 'models_dev', upstream_id: p }, async ({ name }) => payloads[name]);
  const per: Record<string, number> = {};
  for (const rec of r.records) for (const s of Object.values(rec.filled_from ?? {})) per[s] = (per[s] ?? 0) + 1;
  console.log(p, r.records.length, 'filled', per, 'disagreements', r.disagreements.length);
  for (const id of (process.env.SHOW ?? '').split(',')) { const rec = r.records.find((x) => x.model_id === id); if (rec) console.log(JSON.stringify(rec)); }
}
const r = await assembledPrices({ provider: 'openrouter', source: 'openrouter', upstream_id: 'openrouter' }, async ({ name }) => payloads[name]);
console.log(JSON.stringify(r.disagreements));
