// Every upstream price source's adapter, by the source it reads
// (src/upstreams.ts lists the sources as data). Worker-side only: the API never
// loads an adapter.
import { SOURCE_LIST } from '../upstreams.ts';
import { genaiPrices } from './genai_prices.ts';
import { liteLlm } from './litellm.ts';
import { modelsDev } from './models_dev.ts';
import { openRouter } from './openrouter.ts';
import type { Source } from './source.ts';

export const SOURCES: readonly Source[] = [
  modelsDev,
  openRouter,
  liteLlm,
  genaiPrices,
];

const missing = SOURCE_LIST.filter((known) => !SOURCES.some((source) => source.name === known.name));
if (missing.length > 0) throw new Error(`no adapter for source ${missing.map((source) => source.name).join(', ')}`);

/**
 * The order in which sources fill the dimensions a provider's primary source
 * leaves unpriced (prices/assemble.ts): the first that prices a dimension is
 * served, the others' differing prices are reported as disagreements.
 * genai-prices first: each of its prices is curated by hand against the
 * provider's pricing page; then LiteLLM, whose cost map is what most gateways
 * bill with; then models.dev. OpenRouter last, and only for the `openrouter`
 * provider: its prices are its own, a reseller's.
 */
export const FILL_ORDER: readonly string[] = ['genai_prices', 'litellm', 'models_dev', 'openrouter'];

/** The source whose prices are a reseller's: they fill only its own provider. */
export const RESELLER: Readonly<Record<string, string>> = { openrouter: 'openrouter' };

/** The sources that may fill a provider's unpriced dimensions, in FILL_ORDER, the primary left out. */
export function fillSources(provider: string, primary: string): Source[] {
  return FILL_ORDER.filter((name) => name !== primary && (RESELLER[name] === undefined || RESELLER[name] === provider))
    .map((name) => sourceNamed(name));
}


export function sourceNamed(name: string): Source {
  const source = SOURCES.find((candidate) => candidate.name === name);
  if (!source) throw new Error(`unknown source "${name}" (known: ${SOURCES.map((s) => s.name).join(', ')})`);
  return source;
}
