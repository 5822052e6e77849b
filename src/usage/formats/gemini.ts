// Gemini API and Vertex AI generateContent: usageMetadata.
// promptTokenCount INCLUDES cachedContentTokenCount. thoughtsTokenCount is
// OUTSIDE candidatesTokenCount and billed as output (reasoning).
// toolUsePromptTokenCount is outside promptTokenCount and billed as input.
// promptTokensDetails, cacheTokensDetails, toolUsePromptTokensDetails and
// candidatesTokensDetails split those counts by modality; DOCUMENT (and an
// unspecified modality) is priced as text. Text buckets are what remains after
// the other modalities, so the buckets always add up to the reported counts.
import { unrecognised, UsageFieldError } from '../errors.ts';
import { Fields, hasAny, isObject, remainder, type JsonObject, type Term } from '../read.ts';
import { makeUsage } from '../usage.ts';
import type { Claim, FormatReader } from '../types.ts';

const COUNT_KEYS = ['promptTokenCount', 'candidatesTokenCount', 'totalTokenCount', 'cachedContentTokenCount', 'thoughtsTokenCount'];
const TEXT_LIKE = new Set(['TEXT', 'DOCUMENT', 'MODALITY_UNSPECIFIED']);
const MEDIA = ['AUDIO', 'IMAGE', 'VIDEO'] as const;
type Media = (typeof MEDIA)[number];

/** Tokens per non-text modality in one ModalityTokenCount list (text is derived as the remainder). */
function byModality(metadata: Fields, key: string, allowed: readonly Media[]): Record<Media, Term> {
  const terms = Object.fromEntries(MEDIA.map((m) => [m, { value: 0, field: `${metadata.field(key)}[${m}]` }])) as Record<Media, Term>;
  for (const { item } of metadata.list(key)) {
    const modality = item.string('modality') ?? 'MODALITY_UNSPECIFIED';
    const count = item.count('tokenCount');
    if (TEXT_LIKE.has(modality)) continue;
    if (!(allowed as readonly string[]).includes(modality)) {
      throw new UsageFieldError(item.field('modality'), `no usage bucket for ${JSON.stringify(modality)} tokens here`);
    }
    const term = terms[modality as Media];
    terms[modality as Media] = { value: term.value + count.value, field: term.field };
  }
  return terms;
}

function locate(body: JsonObject): { metadata: JsonObject; wrapped: boolean } | null {
  if (isObject(body.usageMetadata)) return { metadata: body.usageMetadata, wrapped: true };
  return hasAny(body, COUNT_KEYS) ? { metadata: body, wrapped: false } : null;
}

export const gemini: FormatReader = {
  format: 'gemini',
  expects: 'a Gemini or Vertex AI GenerateContentResponse or its usageMetadata (promptTokenCount, candidatesTokenCount)',
  claim(body): Claim | null {
    return locate(body) ? { level: 'sure', because: 'it has usageMetadata or Gemini token counts' } : null;
  },
  read(body) {
    const located = locate(body);
    if (!located) unrecognised(this);
    const m = new Fields(located.metadata, located.wrapped ? 'usageMetadata' : '');

    const prompt = m.count('promptTokenCount');
    const cached = m.count('cachedContentTokenCount');
    const tool = m.count('toolUsePromptTokenCount');
    const inPrompt = byModality(m, 'promptTokensDetails', MEDIA);
    const inCache = byModality(m, 'cacheTokensDetails', MEDIA);
    const inTool = byModality(m, 'toolUsePromptTokensDetails', MEDIA);
    // Uncached tokens of each medium, named by the prompt field they come out of.
    const uncached = Object.fromEntries(MEDIA.map((medium) => [
      medium, { value: remainder(inPrompt[medium], inCache[medium]), field: inPrompt[medium].field },
    ])) as Record<Media, Term>;

    const candidates = m.count('candidatesTokenCount');
    const outputs = byModality(m, 'candidatesTokensDetails', ['AUDIO', 'IMAGE']);
    return {
      format: 'gemini',
      model: located.wrapped ? new Fields(body, '').string('modelVersion') : null,
      usage: makeUsage({
        input_tokens: remainder(prompt, cached, uncached.AUDIO, uncached.IMAGE, uncached.VIDEO)
          + remainder(tool, inTool.AUDIO, inTool.IMAGE, inTool.VIDEO),
        input_audio_tokens: uncached.AUDIO.value + inTool.AUDIO.value,
        input_image_tokens: uncached.IMAGE.value + inTool.IMAGE.value,
        input_video_tokens: uncached.VIDEO.value + inTool.VIDEO.value,
        cache_read_tokens: remainder(cached, inCache.AUDIO),
        cache_read_audio_tokens: inCache.AUDIO.value,
        output_tokens: remainder(candidates, outputs.AUDIO, outputs.IMAGE),
        reasoning_tokens: m.count('thoughtsTokenCount').value,
        output_audio_tokens: outputs.AUDIO.value,
        output_image_tokens: outputs.IMAGE.value,
      }),
      service_tier: null,
      reported_cost_usd: null,
    };
  },
};

