// What the load asks for, taken from the catalog an instance serves: priced
// models of every provider in use (the anthropic ones the syncs change among
// them) and quote bodies for them.
import { request } from 'undici';
import type { Workload } from './load.ts';

const MAX_MODELS_PER_PROVIDER = 60;
const USAGES = [
  { input_tokens: 150, output_tokens: 50 },
  { input_tokens: 1_200, output_tokens: 400 },
  { input_tokens: 8_000, output_tokens: 2_000 },
  { input_tokens: 30_000, output_tokens: 1_500 },
];

interface CatalogBody {
  providers: Record<string, { models: { model_id: string; state: string; input_cost_per_1m_tokens: string | null; output_cost_per_1m_tokens: string | null }[] }>;
}

export async function pickWorkload(baseUrl: string, providers: readonly string[]): Promise<Workload & { models: number }> {
  const res = await request(`${baseUrl}/costs`);
  if (res.statusCode !== 200) throw new Error(`GET /costs answered ${res.statusCode} before the soak started`);
  const catalog = (await res.body.json()) as CatalogBody;
  const modelPaths: string[] = [];
  const quoteBodies: string[] = [];
  for (const provider of providers) {
    const priced = (catalog.providers[provider]?.models ?? [])
      .filter((m) => m.state === 'priced' && m.input_cost_per_1m_tokens !== null && m.output_cost_per_1m_tokens !== null)
      .slice(0, MAX_MODELS_PER_PROVIDER);
    for (const [index, model] of priced.entries()) {
      modelPaths.push(`/costs/${provider}/${model.model_id.split('/').map(encodeURIComponent).join('/')}`);
      quoteBodies.push(JSON.stringify({ provider, model: model.model_id, usage: USAGES[index % USAGES.length] }));
    }
  }
  if (!catalog.providers.anthropic) throw new Error('the catalog has no anthropic prices; the syncs change anthropic models');
  return { modelPaths, quoteBodies, models: modelPaths.length };
}
