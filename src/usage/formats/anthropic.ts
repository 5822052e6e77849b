// Anthropic Messages. usage.input_tokens EXCLUDES cache reads and writes:
// input_tokens + cache_read_input_tokens + cache_creation_input_tokens is the
// whole prompt. cache_creation_input_tokens equals the sum of
// cache_creation.ephemeral_5m_input_tokens and .ephemeral_1h_input_tokens (the
// prompt-caching guide says so); the 1h part is cache_write_1h_tokens. A
// breakdown of zeros beside a non-zero total is read as no breakdown (the API
// reference's own example has that shape): the total is then billed as 5-minute
// writes. output_tokens INCLUDES output_tokens_details.thinking_tokens.
// server_tool_use.web_search_requests are billed per search; web fetches cost
// only their tokens, so web_fetch_requests has no bucket.
import { InconsistentUsageError, unrecognised } from '../errors.ts';
import { Fields, hasAny, isObject, remainder, type JsonObject } from '../read.ts';
import { mapServiceTier } from '../tier.ts';
import { makeUsage } from '../usage.ts';
import type { Claim, FormatReader, ServiceTier } from '../types.ts';

const TIERS: Readonly<Record<string, ServiceTier>> = { standard: 'standard', priority: 'priority', batch: 'batch' };
/** Usage keys only the Messages API reports: a body with one is Anthropic's. */
export const ONLY_ANTHROPIC = ['cache_read_input_tokens', 'cache_creation_input_tokens', 'cache_creation', 'server_tool_use'];

function locate(body: JsonObject): { usage: JsonObject; wrapped: boolean } {
  return isObject(body.usage) ? { usage: body.usage, wrapped: true } : { usage: body, wrapped: false };
}

const thinkingTokens = (usage: JsonObject) =>
  isObject(usage.output_tokens_details) ? usage.output_tokens_details.thinking_tokens : undefined;

const hasTokens = (usage: JsonObject) => usage.input_tokens !== undefined || usage.output_tokens !== undefined;

export const anthropic: FormatReader = {
  format: 'anthropic',
  expects: 'an Anthropic message or its usage object (usage.input_tokens, usage.output_tokens)',
  claim(body): Claim | null {
    const { usage, wrapped } = locate(body);
    if (!hasTokens(usage) || usage.cost !== undefined) return null;
    if (wrapped && body.type === 'message') return { level: 'sure', because: 'its type is "message"' };
    if (hasAny(usage, ONLY_ANTHROPIC) || thinkingTokens(usage) !== undefined) {
      return { level: 'sure', because: 'its usage has cache_read_input_tokens, cache_creation_input_tokens, server_tool_use or thinking_tokens' };
    }
    const reasoning = isObject(usage.output_tokens_details) ? usage.output_tokens_details.reasoning_tokens : undefined;
    if (usage.input_tokens_details !== undefined || usage.total_tokens !== undefined || reasoning !== undefined) return null;
    return { level: 'maybe', because: 'a usage object with only input_tokens and output_tokens' };
  },
  read(body) {
    const { usage: raw, wrapped } = locate(body);
    if (!hasTokens(raw)) unrecognised(this);
    const usage = new Fields(raw, wrapped ? 'usage' : '');
    const created = usage.count('cache_creation_input_tokens');
    const breakdown = usage.child('cache_creation');
    const fiveMinutes = breakdown.count('ephemeral_5m_input_tokens');
    const oneHour = breakdown.count('ephemeral_1h_input_tokens');
    const split = fiveMinutes.value + oneHour.value;
    if (split > 0 && split !== created.value) {
      throw new InconsistentUsageError(
        `${created.field} (${created.value}) is not ${fiveMinutes.field} (${fiveMinutes.value}) + ${oneHour.field} (${oneHour.value})`,
        [created.field, fiveMinutes.field, oneHour.field],
      );
    }
    const output = usage.count('output_tokens');
    const thinking = usage.child('output_tokens_details').count('thinking_tokens');
    return {
      format: 'anthropic',
      model: wrapped ? new Fields(body, '').string('model') : null,
      usage: makeUsage({
        input_tokens: usage.count('input_tokens').value,
        cache_read_tokens: usage.count('cache_read_input_tokens').value,
        cache_write_tokens: remainder(created, oneHour),
        cache_write_1h_tokens: oneHour.value,
        output_tokens: remainder(output, thinking),
        reasoning_tokens: thinking.value,
        web_search_requests: usage.child('server_tool_use').count('web_search_requests').value,
      }),
      service_tier: mapServiceTier(usage.string('service_tier'), usage.field('service_tier'), TIERS),
      reported_cost_usd: null,
    };
  },
};
