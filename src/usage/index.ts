// Usage buckets from a provider's own response, so a call can be quoted from
// what the provider reported rather than from counts the caller worked out.
// Pure: no database, no catalog. The API layer parses request bodies with
// parseExactJson, so numbers reach here as their literal text (counts and
// OpenRouter's cost alike); plain JSON numbers are accepted too.
import { AmbiguousFormatError, UnrecognisedFormatError } from './errors.ts';
import { READERS } from './formats/index.ts';
import { isObject, type JsonObject } from './read.ts';
import { FORMATS, type Claim, type Format, type FormatReader, type Normalized } from './types.ts';

export { FORMATS, type Format, type Normalized, type ServiceTier } from './types.ts';
export { TOKEN_BUCKETS, COUNT_BUCKETS, INPUT_BUCKETS, type Usage, type UsageBucket, type TokenBucket } from './usage.ts';
export { UsageBodyError, AmbiguousFormatError, UnrecognisedFormatError, InconsistentUsageError, UsageFieldError } from './errors.ts';

/** Reads `body` (a full response or just its usage object) as `format`, or as the format its shape shows. */
export function normalizeResponse(body: unknown, format?: Format): Normalized {
  if (!isObject(body)) {
    throw new UnrecognisedFormatError('the body must be a JSON object: a provider response or its usage object', expected());
  }
  return (format === undefined ? detect(body) : READERS[format]).read(body);
}

/** The one format whose shape the body has; AmbiguousFormatError when several fit equally. */
export function detectFormat(body: unknown): Format {
  if (!isObject(body)) throw new UnrecognisedFormatError('the body must be a JSON object', expected());
  return detect(body).format;
}

const READER_LIST = FORMATS.map((format) => READERS[format]);

function detect(body: JsonObject): FormatReader {
  const sure: Array<[FormatReader, Claim]> = [];
  const maybe: Array<[FormatReader, Claim]> = [];
  for (const reader of READER_LIST) {
    const claim = reader.claim(body);
    if (claim) (claim.level === 'sure' ? sure : maybe).push([reader, claim]);
  }
  const candidates = sure.length > 0 ? sure : maybe;
  if (candidates.length === 1) return candidates[0]![0];
  if (candidates.length > 1) throw new AmbiguousFormatError(candidates.map(([reader]) => reader.format), candidates[0]![1].because);
  throw new UnrecognisedFormatError(
    'the body matches no known response format; expected one of: ' + expected().join('; '),
    expected(),
  );
}

function expected(): string[] {
  return FORMATS.map((format) => READERS[format].expects);
}
