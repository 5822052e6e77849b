// Usage buckets from a provider's own response, so a call can be quoted from
// what the provider reported rather than from counts the caller worked out.
// Pure: no database, no catalog. The API layer reads a quote's response with
// withExactResponses (requests/exact.ts), so numbers reach here as their
// literal text (counts and OpenRouter's cost alike); plain JSON numbers are
// accepted too.
import { AmbiguousFormatError, UnrecognisedFormatError } from './errors.ts';
import { READERS } from './formats/index.ts';
import { isObject, type JsonObject } from './read.ts';
import { FORMATS, type Claim, type Format, type FormatReader, type Normalized, type Reading } from './types.ts';
import { makeUsage } from './usage.ts';

export { FORMATS, type Format, type Normalized, type PriceModifier, type Reading, type ServiceTier } from './types.ts';
export { TOKEN_BUCKETS, COUNT_BUCKETS, INPUT_BUCKETS, type Counts, type Usage, type UsageBucket, type TokenBucket } from './usage.ts';
export { UsageBodyError, AmbiguousFormatError, UnrecognisedFormatError, InconsistentUsageError, UsageFieldError } from './errors.ts';

/**
 * Reads `body` (a full response or just its usage object) as `format`, or as
 * the format its shape shows. `provider`, when given, settles a shape several
 * formats share: only the formats that provider answers in are candidates.
 */
export function readResponse(body: unknown, format?: Format, provider?: string): Reading {
  if (!isObject(body)) {
    throw new UnrecognisedFormatError('the body must be a JSON object: a provider response or its usage object', expected());
  }
  return (format === undefined ? detect(body, provider) : READERS[format]).read(body);
}

/** readResponse, with the counts as usage buckets. */
export function normalizeResponse(body: unknown, format?: Format): Normalized {
  const { format: read, model, counts, service_tier, reported_cost_usd } = readResponse(body, format);
  return { format: read, model, usage: makeUsage(counts), service_tier, reported_cost_usd };
}

/** The one format whose shape the body has (among `provider`'s, when given); AmbiguousFormatError when several fit equally. */
export function detectFormat(body: unknown, provider?: string): Format {
  if (!isObject(body)) throw new UnrecognisedFormatError('the body must be a JSON object', expected());
  return detect(body, provider).format;
}

/**
 * The formats each provider answers in, by catalog provider id. A provider not
 * listed (a reseller tariff does not know the API of) settles nothing.
 */
const PROVIDER_FORMATS: ReadonlyMap<string, readonly Format[]> = new Map<string, readonly Format[]>([
  ['openai', ['openai_chat', 'openai_responses']],
  ['azure', ['openai_chat', 'openai_responses']],
  ['anthropic', ['anthropic']],
  ['google', ['gemini']],
  ['google-vertex', ['gemini']],
  ['amazon-bedrock', ['bedrock_converse']],
  ['bedrock', ['bedrock_converse']],
  ['openrouter', ['openrouter']],
]);

const READER_LIST = FORMATS.map((format) => READERS[format]);

function detect(body: JsonObject, provider?: string): FormatReader {
  // Every reader's claim is asked; the lists of candidates are only made when they are the error.
  let sure: FormatReader | undefined;
  let maybe: FormatReader | undefined;
  let sures = 0;
  let maybes = 0;
  for (const reader of READER_LIST) {
    const level = reader.claim(body)?.level;
    if (level === 'sure') {
      sure ??= reader;
      sures++;
    } else if (level === 'maybe') {
      maybe ??= reader;
      maybes++;
    }
  }
  if (sures === 1) return sure!;
  if (sures === 0 && maybes === 1) return maybe!;
  if (sures + maybes === 0) {
    throw new UnrecognisedFormatError('the body matches no known response format; expected one of: ' + expected().join('; '), expected());
  }
  const level = sures > 0 ? 'sure' : 'maybe';
  const candidates: Array<[FormatReader, Claim]> = [];
  for (const reader of READER_LIST) {
    const claim = reader.claim(body);
    if (claim?.level === level) candidates.push([reader, claim]);
  }
  const own = provider === undefined ? undefined : PROVIDER_FORMATS.get(provider);
  const settled = own ? candidates.filter(([reader]) => own.includes(reader.format)) : [];
  if (settled.length === 1) return settled[0]![0];
  throw new AmbiguousFormatError(candidates.map(([reader]) => reader.format), candidates[0]![1].because);
}

function expected(): string[] {
  return FORMATS.map((format) => READERS[format].expects);
}
