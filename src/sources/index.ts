// Which upstream serves a provider, and how to get its prices from there.
import type { Config, ProviderSource } from '../config.ts';
import type { SourceName, SourceResult } from '../catalog/types.ts';
import { fetchUpstream, type UpstreamLimits } from './fetch.ts';
import { parseExactJson } from './json.ts';
import { parseLiteLlm } from './litellm.ts';
import { parseModelsDev } from './models_dev.ts';
import { parseOpenRouter } from './openrouter.ts';

export function sourceUrl(source: SourceName, config: Config): string {
  switch (source) {
    case 'models_dev': return config.MODELS_DEV_URL;
    case 'openrouter': return config.OPENROUTER_MODELS_URL;
    case 'litellm': return config.LITELLM_PRICES_URL;
  }
}

export function upstreamLimits(config: Config, signal?: AbortSignal): UpstreamLimits {
  return {
    connectTimeoutMs: config.UPSTREAM_CONNECT_TIMEOUT_MS,
    headersTimeoutMs: config.UPSTREAM_HEADERS_TIMEOUT_MS,
    bodyTimeoutMs: config.UPSTREAM_BODY_TIMEOUT_MS,
    totalTimeoutMs: config.UPSTREAM_TOTAL_TIMEOUT_MS,
    maxBytes: config.UPSTREAM_MAX_BYTES,
    ...(signal ? { signal } : {}),
  };
}

/** Parses a source's payload (already through parseExactJson) for one provider. */
export function parseSource(source: SourceName, payload: unknown, upstreamId: string): SourceResult {
  switch (source) {
    case 'models_dev': return parseModelsDev(payload, upstreamId);
    case 'openrouter': return parseOpenRouter(payload);
    case 'litellm': return parseLiteLlm(payload, upstreamId);
  }
}

export async function fetchProviderPrices(provider: ProviderSource, config: Config, signal?: AbortSignal): Promise<SourceResult> {
  const text = await fetchUpstream(sourceUrl(provider.source, config), upstreamLimits(config, signal));
  return parseSource(provider.source, parseExactJson(text), provider.upstream_id);
}
