// Fetching a provider's prices from the source that feeds it.
import type { Config, ProviderSource } from '../config.ts';
import type { SourceResult } from '@tariff/pricing';
import { fetchUpstream, type UpstreamLimits } from './fetch.ts';
import { parseExactJson } from './json.ts';
import { sourceNamed } from './registry.ts';
import type { Source } from './source.ts';

export function sourceUrl(source: Source, config: Config): string {
  const url = config.sourceUrls[source.name];
  if (url === undefined) throw new Error(`no URL configured for source ${source.name}`);
  return url;
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

/** A source's whole payload, fetched within the upstream limits and read with exact numbers. */
export async function fetchSourcePayload(source: Source, config: Config, signal?: AbortSignal): Promise<unknown> {
  return parseExactJson(await fetchUpstream(sourceUrl(source, config), upstreamLimits(config, signal)));
}

export async function fetchProviderPrices(provider: ProviderSource, config: Config, signal?: AbortSignal): Promise<SourceResult> {
  const source = sourceNamed(provider.source);
  return source.parse(await fetchSourcePayload(source, config, signal), provider.upstream_id);
}
