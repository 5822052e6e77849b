// OpenAI Chat Completions, OpenAI Responses, and OpenRouter (which answers in
// the Chat Completions shape, or the Responses shape on /responses, and adds
// usage.cost, usage.is_byok with cost_details, and server_tool_use).
//
// Chat Completions: prompt_tokens INCLUDES prompt_tokens_details.cached_tokens
// (cache reads) and .audio_tokens (audio input); completion_tokens INCLUDES
// completion_tokens_details.reasoning_tokens, .audio_tokens and .image_tokens
// (image output, which OpenRouter reports for image models). Accepted and
// rejected prediction tokens are ordinary output tokens and stay in
// output_tokens. The Chat docs do not say whether cached tokens can be audio;
// when the body breaks cached tokens down (cached_tokens_details.audio_tokens,
// as the Realtime API does) the cached audio goes to cache_read_audio_tokens
// and out of both cache_read_tokens and input_audio_tokens, otherwise all
// cached tokens count as text and all audio_tokens as uncached audio.
// prompt_tokens_details.cache_write_tokens (OpenRouter's usage accounting) is
// also a part of prompt_tokens.
//
// Responses: input_tokens INCLUDES input_tokens_details.cached_tokens;
// output_tokens INCLUDES output_tokens_details.reasoning_tokens.
import { Fields, isObject, remainder, toAmount, usageObject, type JsonObject, type Term } from '../read.ts';
import { unrecognised } from '../errors.ts';
import { hasAnthropicOnlyKeys } from './anthropic.ts';
import { mapServiceTier } from '../tier.ts';
import { add, formatDecimal, parseDecimal } from '../../money/decimal.ts';
import type { Counts } from '../usage.ts';
import type { Claim, Format, FormatReader, Reading, ServiceTier } from '../types.ts';

/** `service_tier` as the response reports it. `scale` and `auto` are left unmapped on purpose (see mapServiceTier). */
const OPENAI_TIERS: ReadonlyMap<string, ServiceTier> = new Map([['default', 'standard'], ['flex', 'flex'], ['priority', 'priority']]);

const hasChatKeys = (usage: JsonObject) => usage.prompt_tokens !== undefined || usage.completion_tokens !== undefined;
const hasResponsesKeys = (usage: JsonObject) => usage.input_tokens !== undefined || usage.output_tokens !== undefined;

function chatCounts(u: Fields): Counts {
  const raw = u.raw;
  const prompt = u.count('prompt_tokens', raw.prompt_tokens);
  const details = u.child('prompt_tokens_details', raw.prompt_tokens_details);
  const cached = details.count('cached_tokens', details.raw.cached_tokens);
  const audio = details.count('audio_tokens', details.raw.audio_tokens);
  const written = details.count('cache_write_tokens', details.raw.cache_write_tokens);
  const cachedDetails = details.child('cached_tokens_details', details.raw.cached_tokens_details);
  const cachedAudio = cachedDetails.count('audio_tokens', cachedDetails.raw.audio_tokens);
  const uncachedAudio: Term = { value: remainder(audio, cachedAudio), field: audio.field };

  const completion = u.count('completion_tokens', raw.completion_tokens);
  const out = u.child('completion_tokens_details', raw.completion_tokens_details);
  const reasoning = out.count('reasoning_tokens', out.raw.reasoning_tokens);
  const outAudio = out.count('audio_tokens', out.raw.audio_tokens);
  const outImage = out.count('image_tokens', out.raw.image_tokens);
  return {
    input_tokens: remainder(prompt, cached, uncachedAudio, written),
    input_audio_tokens: uncachedAudio.value,
    cache_read_tokens: remainder(cached, cachedAudio),
    cache_read_audio_tokens: cachedAudio.value,
    cache_write_tokens: written.value,
    output_tokens: remainder(completion, reasoning, outAudio, outImage),
    reasoning_tokens: reasoning.value,
    output_audio_tokens: outAudio.value,
    output_image_tokens: outImage.value,
  };
}

function responsesCounts(u: Fields): Counts {
  const raw = u.raw;
  const input = u.count('input_tokens', raw.input_tokens);
  const details = u.child('input_tokens_details', raw.input_tokens_details);
  const cached = details.count('cached_tokens', details.raw.cached_tokens);
  const written = details.count('cache_write_tokens', details.raw.cache_write_tokens);
  const output = u.count('output_tokens', raw.output_tokens);
  const outputDetails = u.child('output_tokens_details', raw.output_tokens_details);
  const reasoning = outputDetails.count('reasoning_tokens', outputDetails.raw.reasoning_tokens);
  return {
    input_tokens: remainder(input, cached, written),
    cache_read_tokens: cached.value,
    cache_write_tokens: written.value,
    output_tokens: remainder(output, reasoning),
    reasoning_tokens: reasoning.value,
  };
}

function reading(format: Format, body: JsonObject, usage: JsonObject, counts: Counts, cost: string | null): Reading {
  const wrapped = usage !== body;
  const top = new Fields(body, '');
  return {
    format,
    model: wrapped ? top.string('model', body.model) : null,
    counts,
    service_tier: wrapped ? mapServiceTier(top, 'service_tier', body.service_tier, OPENAI_TIERS) : null,
    reported_cost_usd: cost,
  };
}

/**
 * The call's whole cost as OpenRouter reports it, exact. `usage.cost` is what
 * OpenRouter charged; on a BYOK call (`is_byok: true`) that is only its fee,
 * and `cost_details.upstream_inference_cost` is what the provider charged the
 * caller's own key, so the call cost both. A BYOK body without the upstream
 * cost reports no whole cost: null, never the fee alone.
 */
function reportedCost(usage: JsonObject, fields: Fields): string | null {
  if (usage.cost === undefined || usage.cost === null) return null;
  const fee = toAmount(usage.cost, fields.field('cost'));
  if (usage.is_byok !== true) return fee;
  const details = isObject(usage.cost_details) ? usage.cost_details : undefined;
  const upstream = details?.upstream_inference_cost;
  if (upstream === undefined || upstream === null) return null;
  const provider = toAmount(upstream, fields.field('cost_details.upstream_inference_cost'));
  return formatDecimal(add(parseDecimal(fee), parseDecimal(provider)));
}

const fromOpenRouter = (body: JsonObject) =>
  (typeof body.id === 'string' && body.id.startsWith('gen-')) || typeof body.provider === 'string';

const CHAT_ID: Claim = { level: 'sure', because: 'its id starts with chatcmpl-' };
const CHAT_COUNTS: Claim = { level: 'maybe', because: 'a usage object with prompt_tokens and completion_tokens and no cost' };
const RESPONSE_OBJECT: Claim = { level: 'sure', because: 'its object is "response"' };
const RESPONSES_KEYS: Claim = {
  level: 'sure', because: 'its usage has input_tokens_details, total_tokens or output_tokens_details.reasoning_tokens',
};
const TOKENS_ONLY: Claim = { level: 'maybe', because: 'a usage object with only input_tokens and output_tokens' };
const REPORTS_COST: Claim = { level: 'sure', because: 'its usage reports cost' };
const OPENROUTER_BODY: Claim = { level: 'sure', because: 'its id starts with gen- or it names the upstream provider' };

export const openaiChat: FormatReader = {
  format: 'openai_chat',
  expects: 'an OpenAI chat completion or its usage object (usage.prompt_tokens, usage.completion_tokens)',
  claim(body): Claim | null {
    const usage = usageObject(body);
    if (!hasChatKeys(usage) || usage.cost !== undefined || (usage !== body && fromOpenRouter(body))) return null;
    if (typeof body.id === 'string' && body.id.startsWith('chatcmpl-')) return CHAT_ID;
    return CHAT_COUNTS;
  },
  read(body) {
    const usage = usageObject(body);
    if (!hasChatKeys(usage)) unrecognised(this);
    return reading('openai_chat', body, usage, chatCounts(new Fields(usage, usage !== body ? 'usage' : '')), null);
  },
};

export const openaiResponses: FormatReader = {
  format: 'openai_responses',
  expects: 'an OpenAI Responses response or its usage object (usage.input_tokens, usage.output_tokens, usage.input_tokens_details)',
  claim(body): Claim | null {
    const usage = usageObject(body);
    if (!hasResponsesKeys(usage) || usage.cost !== undefined) return null;
    if (usage !== body && body.object === 'response') return RESPONSE_OBJECT;
    if (hasAnthropicOnlyKeys(usage)) return null;
    const details = usage.output_tokens_details;
    const outputDetails = isObject(details) ? details : undefined;
    if (outputDetails?.thinking_tokens !== undefined) return null;
    if (usage.input_tokens_details !== undefined || usage.total_tokens !== undefined || outputDetails?.reasoning_tokens !== undefined) {
      return RESPONSES_KEYS;
    }
    return TOKENS_ONLY;
  },
  read(body) {
    const usage = usageObject(body);
    if (!hasResponsesKeys(usage)) unrecognised(this);
    return reading('openai_responses', body, usage, responsesCounts(new Fields(usage, usage !== body ? 'usage' : '')), null);
  },
};

export const openrouter: FormatReader = {
  format: 'openrouter',
  expects: 'an OpenRouter response or its usage object (usage.prompt_tokens, usage.completion_tokens, usage.cost)',
  claim(body): Claim | null {
    const usage = usageObject(body);
    const chat = hasChatKeys(usage);
    if (!chat && !hasResponsesKeys(usage)) return null;
    if (usage.cost !== undefined) return REPORTS_COST;
    if (usage !== body && fromOpenRouter(body)) return OPENROUTER_BODY;
    if (!chat || (typeof body.id === 'string' && body.id.startsWith('chatcmpl-'))) return null;
    return CHAT_COUNTS;
  },
  read(body) {
    const usage = usageObject(body);
    const fields = new Fields(usage, usage !== body ? 'usage' : '');
    let counts: Counts;
    if (hasChatKeys(usage)) counts = chatCounts(fields);
    else if (hasResponsesKeys(usage)) counts = responsesCounts(fields);
    else unrecognised(this);
    // Searches OpenRouter's web search ran (its own or the provider's native one), billed per search.
    const tools = fields.child('server_tool_use', usage.server_tool_use);
    counts.web_search_requests = tools.count('web_search_requests', tools.raw.web_search_requests).value;
    return reading('openrouter', body, usage, counts, reportedCost(usage, fields));
  },
};
