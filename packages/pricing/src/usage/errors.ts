// Why a provider's response could not be turned into usage buckets. Every
// class here means "the request body is wrong", so the API answers 400 for any
// UsageBodyError and puts `details` beside the message.

export abstract class UsageBodyError extends Error {
  abstract readonly code: string;
  abstract get details(): Record<string, unknown>;
}

/** The body's shape fits more than one format; the caller must name one. */
export class AmbiguousFormatError extends UsageBodyError {
  override name = 'AmbiguousFormatError';
  readonly code = 'ambiguous_format';
  readonly candidates: readonly string[];

  constructor(candidates: readonly string[], why: string) {
    super(`the body could be ${candidates.join(' or ')} (${why}); name the format`);
    this.candidates = candidates;
  }

  get details(): Record<string, unknown> {
    return { candidates: this.candidates };
  }
}

/** The body matches no format this module reads. */
export class UnrecognisedFormatError extends UsageBodyError {
  override name = 'UnrecognisedFormatError';
  readonly code = 'unrecognised_format';
  readonly expected: readonly string[];

  constructor(message: string, expected: readonly string[]) {
    super(message);
    this.expected = expected;
  }

  get details(): Record<string, unknown> {
    return { expected: this.expected };
  }
}

/** A body that a named format's reader cannot read: says what that format looks like. */
export function unrecognised(reader: { readonly expects: string }): never {
  throw new UnrecognisedFormatError(`the body is not ${reader.expects}`, [reader.expects]);
}

/** Counts that cannot all be true at once, e.g. more cached tokens than prompt tokens. */
export class InconsistentUsageError extends UsageBodyError {
  override name = 'InconsistentUsageError';
  readonly code = 'inconsistent_usage';
  readonly fields: readonly string[];

  constructor(message: string, fields: readonly string[]) {
    super(message);
    this.fields = fields;
  }

  get details(): Record<string, unknown> {
    return { fields: this.fields };
  }
}

/** One field holds a value that is not a count (or a tier tariff cannot price), named by its path. */
export class UsageFieldError extends UsageBodyError {
  override name = 'UsageFieldError';
  readonly code = 'invalid_usage_field';
  readonly field: string;

  constructor(field: string, message: string) {
    super(`${field}: ${message}`);
    this.field = field;
  }

  get details(): Record<string, unknown> {
    return { field: this.field };
  }
}
