// The upstream price sources tariff knows, as data: the name the catalog
// stores, how people write it, its URL variable and default, and the providers
// it feeds unless PROVIDER_SOURCES says otherwise. Config reads this list, so
// parsing the configuration loads no source adapter; src/sources/registry.ts
// pairs each entry with its adapter. Adding a source is an entry here and its
// adapter module there.
export interface UpstreamSource {
  /** Stored in providers.source and model_prices.source: lower-case letters, digits and _. */
  readonly name: string;
  /** How people write it: "models.dev". */
  readonly title: string;
  /** The environment variable holding the source's URL, and its default. */
  readonly url: { readonly env: string; readonly default: string };
  /**
   * Providers this source feeds unless PROVIDER_SOURCES says otherwise (OpenRouter
   * feeds `openrouter`). A provider no source claims is fed by the default source.
   */
  readonly feeds?: readonly string[];
}

export const UPSTREAM_SOURCES = {
  models_dev: { name: 'models_dev', title: 'models.dev', url: { env: 'MODELS_DEV_URL', default: 'https://models.dev/api.json' } },
  openrouter: {
    name: 'openrouter', title: 'OpenRouter', url: { env: 'OPENROUTER_MODELS_URL', default: 'https://openrouter.ai/api/v1/models' },
    feeds: ['openrouter'],
  },
  litellm: {
    name: 'litellm',
    title: "LiteLLM's price map",
    url: { env: 'LITELLM_PRICES_URL', default: 'https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json' },
  },
  genai_prices: {
    name: 'genai_prices',
    title: 'genai-prices',
    // The live feed: prices/data.json is frozen and receives no price updates.
    url: { env: 'GENAI_PRICES_URL', default: 'https://raw.githubusercontent.com/pydantic/genai-prices/main/prices/new_data/v2/data.json' },
  },
} as const satisfies Record<string, UpstreamSource>;

export type SourceName = keyof typeof UPSTREAM_SOURCES;

export const SOURCE_LIST: readonly UpstreamSource[] = Object.values(UPSTREAM_SOURCES);

export const SOURCE_NAMES: readonly string[] = SOURCE_LIST.map((source) => source.name);

/** Feeds every provider that no source claims in `feeds`. */
export const DEFAULT_SOURCE: UpstreamSource = UPSTREAM_SOURCES.models_dev;

export function isSourceName(name: string): name is SourceName {
  return Object.hasOwn(UPSTREAM_SOURCES, name);
}

/** The source that feeds a provider when PROVIDER_SOURCES does not name one. */
export function defaultSourceFor(provider: string): UpstreamSource {
  return SOURCE_LIST.find((source) => source.feeds?.includes(provider)) ?? DEFAULT_SOURCE;
}
