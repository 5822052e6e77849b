// The usage buckets a response decomposes into: the unit ids of the price
// dimensions (design notes, issue 10). Buckets are exclusive and add up to the
// call: input_tokens is text prompt tokens neither read from nor written to the
// cache; cache_read_tokens excludes cache_read_audio_tokens; cache_write_tokens
// excludes cache_write_1h_tokens; output_tokens excludes reasoning, audio and
// image output.

export const TOKEN_BUCKETS = [
  'input_tokens',
  'input_audio_tokens',
  'input_image_tokens',
  'input_video_tokens',
  'cache_read_tokens',
  'cache_read_audio_tokens',
  'cache_write_tokens',
  'cache_write_1h_tokens',
  'output_tokens',
  'reasoning_tokens',
  'output_audio_tokens',
  'output_image_tokens',
] as const;

export const COUNT_BUCKETS = ['web_search_requests', 'requests'] as const;

export type TokenBucket = (typeof TOKEN_BUCKETS)[number];
export type UsageBucket = TokenBucket | (typeof COUNT_BUCKETS)[number];

/** Buckets on the prompt side of the call; the rest of TOKEN_BUCKETS are output. */
export const INPUT_BUCKETS: readonly TokenBucket[] = TOKEN_BUCKETS.slice(0, 8);

/**
 * input_tokens, output_tokens and requests are always present (a normalized
 * response is one request); every other bucket only when it is non-zero.
 */
export type Usage = { input_tokens: number; output_tokens: number; requests: number } & Partial<Record<UsageBucket, number>>;

const ALWAYS: ReadonlySet<UsageBucket> = new Set(['input_tokens', 'output_tokens', 'requests']);

/** Drops zero buckets and orders the rest as TOKEN_BUCKETS then COUNT_BUCKETS, so equal usage compares equal. */
export function makeUsage(counts: Partial<Record<UsageBucket, number>>): Usage {
  const all: Partial<Record<UsageBucket, number>> = { ...counts, requests: 1 };
  const usage: Partial<Record<UsageBucket, number>> = {};
  for (const bucket of [...TOKEN_BUCKETS, ...COUNT_BUCKETS]) {
    const value = all[bucket] ?? 0;
    if (value > 0 || ALWAYS.has(bucket)) usage[bucket] = value;
  }
  return usage as Usage;
}
