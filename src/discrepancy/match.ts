// Which model of another source is the model tariff serves: the id
// conventions of each source, as pure functions.
//
// - models.dev: the same id under the same provider (its provider ids are
//   tariff's default ones; a few differ, e.g. Bedrock is `amazon-bedrock`).
// - OpenRouter: `<slug>/<model>`, the slug being OpenRouter's name of the
//   provider (`x-ai` for xai, `meta-llama`, `mistralai`, …), the model with
//   its snapshot date dropped and dots for dashes in version numbers
//   (`claude-sonnet-4-5` → `anthropic/claude-sonnet-4.5`). Only plain ids are
//   ever built, so `:free` and other variants never stand for the paid model.
// - LiteLLM: the entries of the provider's `litellm_provider` values (Google
//   is `gemini`), whose `<provider>/` key prefix the adapter strips.
// - genai-prices: the provider's models (genai-prices ids: `aws` for Bedrock,
//   `x-ai` for xai), the id exactly, else the first whose match rule matches.
// Everywhere the id is compared lower-cased, then without its snapshot date;
// a dated id of the source is used for an undated one only when it is the
// only dated form. No other loosening: `gpt-4` never finds `gpt-4o`.
import { firstMatching, type PriceRecord } from '@tariff/pricing';
import type { Source } from '../sources/source.ts';

/** Per source, the upstream provider ids that hold a tariff provider's models, where they differ from the tariff id. */
const UPSTREAM_IDS: Record<string, Record<string, readonly string[]>> = {
  models_dev: {
    bedrock: ['amazon-bedrock'],
    vertex: ['google-vertex'],
    together: ['togetherai'],
    fireworks: ['fireworks-ai'],
    novita: ['novita-ai'],
    moonshot: ['moonshotai'],
  },
  litellm: {
    google: ['gemini'],
    gemini: ['gemini'],
    'google-vertex': ['vertex_ai-language-models'],
    'google-vertex-anthropic': ['vertex_ai-anthropic_models'],
    bedrock: ['bedrock_converse', 'bedrock'],
    'amazon-bedrock': ['bedrock_converse', 'bedrock'],
    togetherai: ['together_ai'],
    together: ['together_ai'],
    'fireworks-ai': ['fireworks_ai'],
    fireworks: ['fireworks_ai'],
    moonshotai: ['moonshot'],
    'novita-ai': ['novita'],
    cohere: ['cohere_chat', 'cohere'],
  },
  genai_prices: {
    bedrock: ['aws'],
    'amazon-bedrock': ['aws'],
    xai: ['x-ai'],
    'google-vertex': ['google'],
    gemini: ['google'],
    togetherai: ['together'],
    'fireworks-ai': ['fireworks'],
    'novita-ai': ['novita'],
    moonshot: ['moonshotai'],
    zai: ['zhipuai'],
    voyage: ['voyageai'],
  },
};

/** OpenRouter's slug for a provider's own models, where it differs from the tariff id. */
const OPENROUTER_SLUGS: Record<string, string> = {
  xai: 'x-ai',
  meta: 'meta-llama',
  llama: 'meta-llama',
  mistral: 'mistralai',
  gemini: 'google',
  'google-vertex': 'google',
  moonshot: 'moonshotai',
  zai: 'z-ai',
  'amazon-bedrock': 'amazon',
  bedrock: 'amazon',
  alibaba: 'qwen',
};

/** The source whose ids are `<slug>/<model>` for every provider. */
const OPENROUTER = 'openrouter';

/**
 * The records of an upstream provider that can be a tariff provider's models:
 * all of them, except OpenRouter's, which are only those under the provider's slug.
 */
export function scopeRecords(source: string, provider: string, records: readonly PriceRecord[]): readonly PriceRecord[] {
  if (source !== OPENROUTER || provider === OPENROUTER) return records;
  const prefix = `${OPENROUTER_SLUGS[provider] ?? provider}/`;
  return records.filter((record) => record.model_id.toLowerCase().startsWith(prefix));
}

/** The upstream provider ids of a source that hold a tariff provider's models. */
export function upstreamIdsFor(source: string, provider: string): readonly string[] {
  if (source === OPENROUTER) return [OPENROUTER];
  return UPSTREAM_IDS[source]?.[provider] ?? [provider];
}

// A trailing snapshot date: -YYYY-MM-DD, -YYYYMMDD or @YYYYMMDD.
const DATED = /^(.+?)[-@](?:20\d\d-\d\d-\d\d|20\d\d\d\d\d\d)$/;
// A version number written with a dash between its parts: the `4-5` of claude-sonnet-4-5.
const DASHED_VERSION = /(?<![\d.])(\d{1,2})-(\d)(?![\d])/g;

/** An id without its trailing snapshot date, or null when it has none. */
export function undated(id: string): string | null {
  return DATED.exec(id)?.[1] ?? null;
}

/** `claude-sonnet-4-5` → `claude-sonnet-4.5`, `claude-3-5-haiku` → `claude-3.5-haiku`. */
export function dottedVersions(id: string): string {
  return id.replace(DASHED_VERSION, '$1.$2');
}

/**
 * The ids to look for, best first, in a source for a model tariff serves
 * under `provider` (lower-cased, no duplicates).
 */
export function candidateIds(source: string, provider: string, modelId: string): string[] {
  const lower = modelId.toLowerCase();
  const plain = [lower, undated(lower)].filter((id): id is string => id !== null);
  if (source !== OPENROUTER || provider === OPENROUTER) return [...new Set(plain)];
  const slug = OPENROUTER_SLUGS[provider] ?? provider;
  // An id that already names its OpenRouter slug (`meta-llama/…` served by a gateway) keeps it.
  const tails = plain.flatMap((id) => [id, dottedVersions(id)]);
  return [...new Set(tails.map((id) => (id.startsWith(`${slug}/`) ? id : `${slug}/${id}`)))];
}

/** One upstream provider's records, indexed for lookups by id. */
export interface SourceIndex {
  readonly upstreamId: string;
  /** lower-cased id → record; null when two records differ only by case. */
  readonly byId: ReadonlyMap<string, PriceRecord | null>;
  /** undated lower-cased id → its only dated record (null when several dates exist). */
  readonly byBase: ReadonlyMap<string, PriceRecord | null>;
  /** Records with a match rule, in the source's order. */
  readonly ruled: readonly PriceRecord[];
}

export function indexRecords(upstreamId: string, records: readonly PriceRecord[]): SourceIndex {
  const byId = new Map<string, PriceRecord | null>();
  const byBase = new Map<string, PriceRecord | null>();
  for (const record of records) {
    const key = record.model_id.toLowerCase();
    byId.set(key, byId.has(key) ? null : record);
    const base = undated(key);
    if (base !== null) byBase.set(base, byBase.has(base) ? null : record);
  }
  const ruled = records.filter((record) => record.match !== undefined)
    .sort((a, b) => (a.match_index ?? Number.MAX_SAFE_INTEGER) - (b.match_index ?? Number.MAX_SAFE_INTEGER));
  return { upstreamId, byId, byBase, ruled };
}

export interface Counterpart {
  upstreamId: string;
  record: PriceRecord;
}

/** The model of a source that a served model is, searched in the source's indexes for the provider, or null. */
export function findCounterpart(source: string, provider: string, modelId: string, indexes: readonly SourceIndex[]): Counterpart | null {
  const candidates = candidateIds(source, provider, modelId);
  for (const lookup of [
    (index: SourceIndex, id: string) => index.byId.get(id),
    (index: SourceIndex, id: string) => index.byBase.get(id),
    (index: SourceIndex, id: string) => firstMatching(index.ruled, id),
  ]) {
    for (const id of candidates) {
      for (const index of indexes) {
        const record = lookup(index, id);
        if (record) return { upstreamId: index.upstreamId, record };
      }
    }
  }
  return null;
}

/**
 * A source's indexes of the records that can be a tariff provider's models,
 * one per upstream provider id of the source that holds them (none when the
 * source does not list the provider). `parse` reads one upstream provider's
 * records from the payload; callers that need several providers cache it.
 */
export function sourceIndexes(
  source: Pick<Source, 'name'>, provider: string, parse: (upstreamId: string) => readonly PriceRecord[] | null,
): SourceIndex[] {
  return upstreamIdsFor(source.name, provider).flatMap((upstreamId) => {
    const all = parse(upstreamId);
    if (all === null) return [];
    const records = scopeRecords(source.name, provider, all);
    return records.length > 0 ? [indexRecords(upstreamId, records)] : [];
  });
}

/**
 * A source's records of one upstream provider, or null when its payload does
 * not list that provider. Throws when the payload is not the source's shape.
 */
export function recordsOf(source: Source, payload: unknown, upstreamId: string): readonly PriceRecord[] | null {
  return source.upstreamIds(payload).includes(upstreamId) ? source.parse(payload, upstreamId).records : null;
}
