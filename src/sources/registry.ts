// Every upstream price source tariff knows, in one list. Adding a source is a
// new module exporting a `Source` (see source.ts) and one line here: its URL
// variable, its default-provider rule, the snapshot's known ids and the
// catalog's `source` values all follow from this list.
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

/** Feeds every provider that no source claims in `feeds`. */
export const DEFAULT_SOURCE: Source = modelsDev;

export const SOURCE_NAMES: readonly string[] = SOURCES.map((source) => source.name);

export function findSource(name: string): Source | undefined {
  return SOURCES.find((source) => source.name === name);
}

export function sourceNamed(name: string): Source {
  const source = findSource(name);
  if (!source) throw new Error(`unknown source "${name}" (known: ${SOURCE_NAMES.join(', ')})`);
  return source;
}

/** The source that feeds a provider when PROVIDER_SOURCES does not name one. */
export function defaultSourceFor(provider: string): Source {
  return SOURCES.find((source) => source.feeds?.includes(provider)) ?? DEFAULT_SOURCE;
}
