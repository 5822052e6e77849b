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
import { Fields, isObject, remainder, usageObject, type JsonObject } from '../read.ts';
import { mapServiceTier } from '../tier.ts';
import type { Claim, FormatReader, PriceModifier, ServiceTier } from '../types.ts';

const TIERS: ReadonlyMap<string, ServiceTier> = new Map([['standard', 'standard'], ['priority', 'priority'], ['batch', 'batch']]);

/** Whether a usage object has a key only the Messages API reports: a body with one is Anthropic's. */
export function hasAnthropicOnlyKeys(usage: JsonObject): boolean {
  return usage.cache_read_input_tokens !== undefined || usage.cache_creation_input_tokens !== undefined
    || usage.cache_creation !== undefined || usage.server_tool_use !== undefined;
}

/**
 * `speed: "fast"` (fast mode, several times the standard price on the models
 * that offer it) and `inference_geo` (`"us"`: US-only inference, 1.1× for
 * recent models): https://platform.claude.com/docs/en/about-claude/pricing.
 * Reported for the quote to bill (a published list, a rule or a published
 * multiplier) or refuse (prices/modifiers.ts):
 * `speed` whenever it is not "standard", `inference_geo` whenever it is not
 * the default "global", so a value tariff does not know is refused, never
 * billed at the standard price.
 */
function modifiersOf(usage: Fields, raw: JsonObject): { modifiers?: PriceModifier[] } {
  let modifiers: PriceModifier[] | undefined;
  const speed = raw.speed === undefined ? null : usage.string('speed', raw.speed);
  if (speed !== null && speed !== 'standard') (modifiers ??= []).push({ field: usage.field('speed'), value: speed });
  const geo = raw.inference_geo === undefined ? null : usage.string('inference_geo', raw.inference_geo);
  if (geo !== null && geo !== 'global') (modifiers ??= []).push({ field: usage.field('inference_geo'), value: geo });
  return modifiers ? { modifiers } : {};
}

const thinkingTokens = (usage: JsonObject) => {
  const details = usage.output_tokens_details;
  return isObject(details) ? details.thinking_tokens : undefined;
};

const hasTokens = (usage: JsonObject) => usage.input_tokens !== undefined || usage.output_tokens !== undefined;

const webSearches = (tools: Fields) => tools.count('web_search_requests', tools.raw.web_search_requests).value;

const A_MESSAGE: Claim = { level: 'sure', because: 'its type is "message"' };
const ANTHROPIC_KEYS: Claim = {
  level: 'sure', because: 'its usage has cache_read_input_tokens, cache_creation_input_tokens, server_tool_use or thinking_tokens',
};
const TOKENS_ONLY: Claim = { level: 'maybe', because: 'a usage object with only input_tokens and output_tokens' };

export const anthropic: FormatReader = {
  format: 'anthropic',
  expects: 'an Anthropic message or its usage object (usage.input_tokens, usage.output_tokens)',
  claim(body): Claim | null {
    const usage = usageObject(body);
    if (!hasTokens(usage) || usage.cost !== undefined) return null;
    if (usage !== body && body.type === 'message') return A_MESSAGE;
    if (hasAnthropicOnlyKeys(usage) || thinkingTokens(usage) !== undefined) return ANTHROPIC_KEYS;
    const details = usage.output_tokens_details;
    const reasoning = isObject(details) ? details.reasoning_tokens : undefined;
    if (usage.input_tokens_details !== undefined || usage.total_tokens !== undefined || reasoning !== undefined) return null;
    return TOKENS_ONLY;
  },
  read(body) {
    const raw = usageObject(body);
    const wrapped = raw !== body;
    if (!hasTokens(raw)) unrecognised(this);
    const usage = new Fields(raw, wrapped ? 'usage' : '');
    const created = usage.count('cache_creation_input_tokens', raw.cache_creation_input_tokens);
    const breakdown = usage.child('cache_creation', raw.cache_creation);
    const fiveMinutes = breakdown.count('ephemeral_5m_input_tokens', breakdown.raw.ephemeral_5m_input_tokens);
    const oneHour = breakdown.count('ephemeral_1h_input_tokens', breakdown.raw.ephemeral_1h_input_tokens);
    const split = fiveMinutes.value + oneHour.value;
    if (split > 0 && split !== created.value) {
      throw new InconsistentUsageError(
        `${created.field} (${created.value}) is not ${fiveMinutes.field} (${fiveMinutes.value}) + ${oneHour.field} (${oneHour.value})`,
        [created.field, fiveMinutes.field, oneHour.field],
      );
    }
    const output = usage.count('output_tokens', raw.output_tokens);
    const outputDetails = usage.child('output_tokens_details', raw.output_tokens_details);
    const thinking = outputDetails.count('thinking_tokens', outputDetails.raw.thinking_tokens);
    return {
      format: 'anthropic',
      model: wrapped ? new Fields(body, '').string('model', body.model) : null,
      counts: {
        input_tokens: usage.count('input_tokens', raw.input_tokens).value,
        cache_read_tokens: usage.count('cache_read_input_tokens', raw.cache_read_input_tokens).value,
        cache_write_tokens: remainder(created, oneHour),
        cache_write_1h_tokens: oneHour.value,
        output_tokens: remainder(output, thinking),
        reasoning_tokens: thinking.value,
        web_search_requests: webSearches(usage.child('server_tool_use', raw.server_tool_use)),
      },
      service_tier: mapServiceTier(usage, 'service_tier', raw.service_tier, TIERS),
      reported_cost_usd: null,
      ...modifiersOf(usage, raw),
    };
  },
};
