// Gemini API and Vertex AI generateContent: usageMetadata.
// promptTokenCount INCLUDES cachedContentTokenCount. thoughtsTokenCount is
// OUTSIDE candidatesTokenCount and billed as output (reasoning).
// toolUsePromptTokenCount is outside promptTokenCount and billed as input.
// promptTokensDetails, cacheTokensDetails, toolUsePromptTokensDetails and
// candidatesTokensDetails split those counts by modality; DOCUMENT (and an
// unspecified modality) is priced as text. Text buckets are what remains after
// the other modalities, so the buckets always add up to the reported counts.
import { unrecognised, UsageFieldError } from '../errors.ts';
import { Fields, isObject, remainder, type JsonObject, type Term } from '../read.ts';
import type { Claim, FormatReader, PriceModifier, ServiceTier } from '../types.ts';

/** Tokens of each non-text modality in one ModalityTokenCount list (text is derived as the remainder). */
interface ByModality {
  AUDIO: Term;
  IMAGE: Term;
  VIDEO: Term;
}

/** The modalities a list may break its tokens into: text-like ones, and which media have a bucket there. */
const TEXT_LIKE = new Set(['TEXT', 'DOCUMENT', 'MODALITY_UNSPECIFIED']);
const INPUT_MEDIA: ReadonlySet<string> = new Set(['AUDIO', 'IMAGE', 'VIDEO']);
const OUTPUT_MEDIA: ReadonlySet<string> = new Set(['AUDIO', 'IMAGE']);

function byModality(metadata: Fields, key: string, value: unknown, media: ReadonlySet<string>): ByModality {
  const field = metadata.field(key);
  let audio = 0;
  let image = 0;
  let video = 0;
  for (const item of metadata.list(key, value)) {
    const modality = item.string('modality', item.raw.modality) ?? 'MODALITY_UNSPECIFIED';
    const count = item.count('tokenCount', item.raw.tokenCount).value;
    if (TEXT_LIKE.has(modality)) continue;
    if (!media.has(modality)) throw new UsageFieldError(item.field('modality'), `no usage bucket for ${JSON.stringify(modality)} tokens here`);
    if (modality === 'AUDIO') audio += count;
    else if (modality === 'IMAGE') image += count;
    else video += count;
  }
  return {
    AUDIO: { value: audio, field: `${field}[AUDIO]` },
    IMAGE: { value: image, field: `${field}[IMAGE]` },
    VIDEO: { value: video, field: `${field}[VIDEO]` },
  };
}

/** A medium's prompt tokens less its cached tokens, named by the prompt's field. */
const uncached = (prompt: Term, cached: Term): Term => ({ value: remainder(prompt, cached), field: prompt.field });

/** The usage metadata: the body's `usageMetadata`, the body itself when it has Gemini's counts, else null. */
function metadataOf(body: JsonObject): JsonObject | null {
  const metadata = body.usageMetadata;
  if (isObject(metadata)) return metadata;
  return body.promptTokenCount !== undefined || body.candidatesTokenCount !== undefined || body.totalTokenCount !== undefined
    || body.cachedContentTokenCount !== undefined || body.thoughtsTokenCount !== undefined ? body : null;
}

/**
 * Vertex AI's usageMetadata.trafficType: on-demand calls at the standard,
 * flex or priority price; provisioned throughput is paid for by the hour, so a
 * token price for it would be wrong (a modifier the quote refuses).
 */
const TRAFFIC: ReadonlyMap<string, ServiceTier> = new Map([
  ['ON_DEMAND', 'standard'], ['ON_DEMAND_FLEX', 'flex'], ['ON_DEMAND_PRIORITY', 'priority'],
]);

/**
 * The Gemini API's usageMetadata.serviceTier (Vertex AI has trafficType
 * instead): the tier the call ran on, which the request asks for with
 * `service_tier` and Google may downgrade to standard. Google's GenAI SDKs
 * type it as ServiceTier, "Output only. Service tier of the request. This
 * field is not supported in Vertex AI.", with the values unspecified ("Default
 * service tier, which is standard"), standard, flex and priority, read in any
 * letter case (googleapis/python-genai google/genai/types.py, UsageMetadata
 * and ServiceTier; ai.google.dev/gemini-api/docs/flex-inference and
 * /priority-inference). Google prices batch as a tier of its own, so `batch`
 * is read as one too. Any other value is a modifier the quote refuses.
 */
const GEMINI_TIERS: ReadonlyMap<string, ServiceTier> = new Map([
  ['unspecified', 'standard'], ['standard', 'standard'], ['flex', 'flex'], ['priority', 'priority'], ['batch', 'batch'],
]);

interface TierReading {
  service_tier: ServiceTier | null;
  modifiers?: PriceModifier[];
}

/** A tier field's value: a tariff tier from `tiers`, or a price modifier naming the field and value. */
function tierField(m: Fields, key: string, value: unknown, tiers: ReadonlyMap<string, ServiceTier>, fold: (name: string) => string): TierReading {
  const name = value === undefined ? null : m.string(key, value);
  if (name === null) return { service_tier: null };
  const tier = tiers.get(fold(name));
  return tier ? { service_tier: tier } : { service_tier: null, modifiers: [{ field: m.field(key), value: name }] };
}

/** The tier from trafficType or serviceTier; two fields naming different tiers is a modifier the quote refuses. */
function tierOf(m: Fields, raw: JsonObject): TierReading {
  const traffic = tierField(m, 'trafficType', raw.trafficType, TRAFFIC, (name) => name);
  const served = tierField(m, 'serviceTier', raw.serviceTier, GEMINI_TIERS, (name) => name.toLowerCase());
  const modifiers = [...(traffic.modifiers ?? []), ...(served.modifiers ?? [])];
  if (traffic.service_tier && served.service_tier && traffic.service_tier !== served.service_tier) {
    modifiers.push({ field: m.field('serviceTier'), value: m.string('serviceTier', raw.serviceTier)! });
  }
  const tier = modifiers.length > 0 ? null : traffic.service_tier ?? served.service_tier;
  return modifiers.length > 0 ? { service_tier: tier, modifiers } : { service_tier: tier };
}

const GEMINI_COUNTS: Claim = { level: 'sure', because: 'it has usageMetadata or Gemini token counts' };

export const gemini: FormatReader = {
  format: 'gemini',
  expects: 'a Gemini or Vertex AI GenerateContentResponse or its usageMetadata (promptTokenCount, candidatesTokenCount)',
  claim(body): Claim | null {
    return metadataOf(body) ? GEMINI_COUNTS : null;
  },
  read(body) {
    const raw = metadataOf(body);
    if (!raw) unrecognised(this);
    const wrapped = raw !== body;
    const m = new Fields(raw, wrapped ? 'usageMetadata' : '');

    const prompt = m.count('promptTokenCount', raw.promptTokenCount);
    const cached = m.count('cachedContentTokenCount', raw.cachedContentTokenCount);
    const tool = m.count('toolUsePromptTokenCount', raw.toolUsePromptTokenCount);
    const inPrompt = byModality(m, 'promptTokensDetails', raw.promptTokensDetails, INPUT_MEDIA);
    const inCache = byModality(m, 'cacheTokensDetails', raw.cacheTokensDetails, INPUT_MEDIA);
    const inTool = byModality(m, 'toolUsePromptTokensDetails', raw.toolUsePromptTokensDetails, INPUT_MEDIA);
    // Uncached tokens of each medium, named by the prompt field they come out of.
    const audio = uncached(inPrompt.AUDIO, inCache.AUDIO);
    const image = uncached(inPrompt.IMAGE, inCache.IMAGE);
    const video = uncached(inPrompt.VIDEO, inCache.VIDEO);

    const candidates = m.count('candidatesTokenCount', raw.candidatesTokenCount);
    const outputs = byModality(m, 'candidatesTokensDetails', raw.candidatesTokensDetails, OUTPUT_MEDIA);
    return {
      format: 'gemini',
      model: wrapped ? new Fields(body, '').string('modelVersion', body.modelVersion) : null,
      counts: {
        input_tokens: remainder(prompt, cached, audio, image, video) + remainder(tool, inTool.AUDIO, inTool.IMAGE, inTool.VIDEO),
        input_audio_tokens: audio.value + inTool.AUDIO.value,
        input_image_tokens: image.value + inTool.IMAGE.value,
        input_video_tokens: video.value + inTool.VIDEO.value,
        cache_read_tokens: remainder(cached, inCache.AUDIO),
        cache_read_audio_tokens: inCache.AUDIO.value,
        output_tokens: remainder(candidates, outputs.AUDIO, outputs.IMAGE),
        reasoning_tokens: m.count('thoughtsTokenCount', raw.thoughtsTokenCount).value,
        output_audio_tokens: outputs.AUDIO.value,
        output_image_tokens: outputs.IMAGE.value,
      },
      ...tierOf(m, raw),
      reported_cost_usd: null,
    };
  },
};
