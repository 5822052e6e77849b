// The usage buckets a response decomposes into: the unit ids of the price
// dimensions (src/catalog/units.ts). Buckets are exclusive and add up to the
// call: input_tokens is text prompt tokens neither read from nor written to the
// cache; cache_read_tokens excludes cache_read_audio_tokens; cache_write_tokens
// excludes cache_write_1h_tokens; output_tokens excludes reasoning, audio and
// image output.
import { PROMPT_UNITS, UNIT_IDS, UNITS, type UnitId } from '../prices/units.ts';

/** The token dimensions of the unit registry, in its order: what a response's counts decompose into. */
export const TOKEN_BUCKETS = UNIT_IDS.filter((unit): unit is TokenBucket => UNITS[unit].scale === 6);

/** The counts a provider's response reports beside tokens. */
export const COUNT_BUCKETS = ['web_search_requests', 'requests'] as const satisfies readonly UnitId[];

export type TokenBucket = Extract<UnitId, `${string}_tokens`>;
export type UsageBucket = TokenBucket | (typeof COUNT_BUCKETS)[number];

/** Buckets on the prompt side of the call; the rest of TOKEN_BUCKETS are output. */
export const INPUT_BUCKETS = PROMPT_UNITS as readonly TokenBucket[];

/**
 * input_tokens, output_tokens and requests are always present (a normalized
 * response is one request); every other bucket only when it is non-zero.
 */
export type Usage = { input_tokens: number; output_tokens: number; requests: number } & Partial<Record<UsageBucket, number>>;

/** A call's counts by bucket as a reader reads them: zeros may be present; one request, so no requests count. */
export type Counts = { input_tokens: number; output_tokens: number } & Partial<Record<Exclude<UsageBucket, 'requests'>, number>>;

const ALWAYS: ReadonlySet<UsageBucket> = new Set(['input_tokens', 'output_tokens', 'requests']);
/** Every bucket in order, and whether it is kept when zero. */
const ORDER: ReadonlyArray<readonly [UsageBucket, boolean]> = [...TOKEN_BUCKETS, ...COUNT_BUCKETS].map((bucket) => [bucket, ALWAYS.has(bucket)]);

/** Drops zero buckets and orders the rest as TOKEN_BUCKETS then COUNT_BUCKETS, so equal usage compares equal. */
export function makeUsage(counts: Counts): Usage {
  const usage: Partial<Record<UsageBucket, number>> = {};
  for (const [bucket, always] of ORDER) {
    const value = bucket === 'requests' ? 1 : counts[bucket] ?? 0;
    if (value > 0 || always) usage[bucket] = value;
  }
  return usage as Usage;
}
