// OpenAI Chat Completions, OpenAI Responses, and OpenRouter (which answers in
// the Chat Completions shape, or the Responses shape on /responses, and adds
// usage.cost).
//
// Chat Completions: prompt_tokens INCLUDES prompt_tokens_details.cached_tokens
// (cache reads) and .audio_tokens (audio input); completion_tokens INCLUDES
// completion_tokens_details.reasoning_tokens and .audio_tokens. Accepted and
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
import { Fields, hasAny, isObject, remainder, toAmount, type JsonObject, type Term } from '../read.ts';
import { unrecognised } from '../errors.ts';
import { ONLY_ANTHROPIC } from './anthropic.ts';
import { mapServiceTier } from '../tier.ts';
import { makeUsage, type UsageBucket } from '../usage.ts';
import type { Claim, Format, FormatReader, Normalized, ServiceTier } from '../types.ts';

type Counts = Partial<Record<UsageBucket, number>>;

/** `service_tier` as the response reports it. `scale` and `auto` are left unmapped on purpose (see mapServiceTier). */
const OPENAI_TIERS: Readonly<Record<string, ServiceTier>> = { default: 'standard', flex: 'flex', priority: 'priority' };

const CHAT_KEYS = ['prompt_tokens', 'completion_tokens'];
const RESPONSES_KEYS = ['input_tokens', 'output_tokens'];
/** Usage keys the Responses API reports and Anthropic's Messages API does not. */
const RESPONSES_ONLY_KEYS = ['input_tokens_details', 'total_tokens'];

function chatCounts(u: Fields): Counts {
  const prompt = u.count('prompt_tokens');
  const details = u.child('prompt_tokens_details');
  const cached = details.count('cached_tokens');
  const audio = details.count('audio_tokens');
  const written = details.count('cache_write_tokens');
  const cachedAudio = details.child('cached_tokens_details').count('audio_tokens');
  const uncachedAudio: Term = { value: remainder(audio, cachedAudio), field: audio.field };

  const completion = u.count('completion_tokens');
  const out = u.child('completion_tokens_details');
  const reasoning = out.count('reasoning_tokens');
  const outAudio = out.count('audio_tokens');
  return {
    input_tokens: remainder(prompt, cached, uncachedAudio, written),
    input_audio_tokens: uncachedAudio.value,
    cache_read_tokens: remainder(cached, cachedAudio),
    cache_read_audio_tokens: cachedAudio.value,
    cache_write_tokens: written.value,
    output_tokens: remainder(completion, reasoning, outAudio),
    reasoning_tokens: reasoning.value,
    output_audio_tokens: outAudio.value,
  };
}

function responsesCounts(u: Fields): Counts {
  const input = u.count('input_tokens');
  const details = u.child('input_tokens_details');
  const cached = details.count('cached_tokens');
  const written = details.count('cache_write_tokens');
  const output = u.count('output_tokens');
  const reasoning = u.child('output_tokens_details').count('reasoning_tokens');
  return {
    input_tokens: remainder(input, cached, written),
    cache_read_tokens: cached.value,
    cache_write_tokens: written.value,
    output_tokens: remainder(output, reasoning),
    reasoning_tokens: reasoning.value,
  };
}

/** The usage object and whether it came wrapped in a full response body. */
function locate(body: JsonObject): { usage: JsonObject; wrapped: boolean } {
  return isObject(body.usage) ? { usage: body.usage, wrapped: true } : { usage: body, wrapped: false };
}

function normalized(format: Format, body: JsonObject, wrapped: boolean, counts: Counts, cost: string | null): Normalized {
  const top = new Fields(body, '');
  return {
    format,
    model: wrapped ? top.string('model') : null,
    usage: makeUsage(counts),
    service_tier: wrapped ? mapServiceTier(top.string('service_tier'), 'service_tier', OPENAI_TIERS) : null,
    reported_cost_usd: cost,
  };
}

const fromOpenRouter = (body: JsonObject) =>
  (typeof body.id === 'string' && body.id.startsWith('gen-')) || typeof body.provider === 'string';

export const openaiChat: FormatReader = {
  format: 'openai_chat',
  expects: 'an OpenAI chat completion or its usage object (usage.prompt_tokens, usage.completion_tokens)',
  claim(body): Claim | null {
    const { usage, wrapped } = locate(body);
    if (!hasAny(usage, CHAT_KEYS) || usage.cost !== undefined || (wrapped && fromOpenRouter(body))) return null;
    if (typeof body.id === 'string' && body.id.startsWith('chatcmpl-')) return { level: 'sure', because: 'its id starts with chatcmpl-' };
    return { level: 'maybe', because: 'a usage object with prompt_tokens and completion_tokens and no cost' };
  },
  read(body) {
    const { usage, wrapped } = locate(body);
    if (!hasAny(usage, CHAT_KEYS)) unrecognised(this);
    return normalized('openai_chat', body, wrapped, chatCounts(new Fields(usage, wrapped ? 'usage' : '')), null);
  },
};

export const openaiResponses: FormatReader = {
  format: 'openai_responses',
  expects: 'an OpenAI Responses response or its usage object (usage.input_tokens, usage.output_tokens, usage.input_tokens_details)',
  claim(body): Claim | null {
    const { usage, wrapped } = locate(body);
    if (!hasAny(usage, RESPONSES_KEYS) || usage.cost !== undefined) return null;
    if (wrapped && body.object === 'response') return { level: 'sure', because: 'its object is "response"' };
    const outputDetails = isObject(usage.output_tokens_details) ? usage.output_tokens_details : {};
    if (hasAny(usage, ONLY_ANTHROPIC)) return null;
    if (outputDetails.thinking_tokens !== undefined) return null;
    if (hasAny(usage, RESPONSES_ONLY_KEYS) || outputDetails.reasoning_tokens !== undefined) {
      return { level: 'sure', because: 'its usage has input_tokens_details, total_tokens or output_tokens_details.reasoning_tokens' };
    }
    return { level: 'maybe', because: 'a usage object with only input_tokens and output_tokens' };
  },
  read(body) {
    const { usage, wrapped } = locate(body);
    if (!hasAny(usage, RESPONSES_KEYS)) unrecognised(this);
    return normalized('openai_responses', body, wrapped, responsesCounts(new Fields(usage, wrapped ? 'usage' : '')), null);
  },
};

export const openrouter: FormatReader = {
  format: 'openrouter',
  expects: 'an OpenRouter response or its usage object (usage.prompt_tokens, usage.completion_tokens, usage.cost)',
  claim(body): Claim | null {
    const { usage, wrapped } = locate(body);
    const chat = hasAny(usage, CHAT_KEYS);
    if (!chat && !hasAny(usage, RESPONSES_KEYS)) return null;
    if (usage.cost !== undefined) return { level: 'sure', because: 'its usage reports cost' };
    if (wrapped && fromOpenRouter(body)) return { level: 'sure', because: 'its id starts with gen- or it names the upstream provider' };
    if (!chat || (typeof body.id === 'string' && body.id.startsWith('chatcmpl-'))) return null;
    return { level: 'maybe', because: 'a usage object with prompt_tokens and completion_tokens and no cost' };
  },
  read(body) {
    const { usage, wrapped } = locate(body);
    const fields = new Fields(usage, wrapped ? 'usage' : '');
    let counts: Counts;
    if (hasAny(usage, CHAT_KEYS)) counts = chatCounts(fields);
    else if (hasAny(usage, RESPONSES_KEYS)) counts = responsesCounts(fields);
    else unrecognised(this);
    const cost = usage.cost === undefined || usage.cost === null ? null : toAmount(usage.cost, fields.field('cost'));
    return normalized('openrouter', body, wrapped, counts, cost);
  },
};
