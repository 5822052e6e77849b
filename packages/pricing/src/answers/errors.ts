// What a caller can ask of the catalog that it cannot give, and the one
// mapping from these domain errors (and the quote's and the usage readers')
// to the status, code and details every answer carries: the API's and the
// client's errors are the same.
import { QuoteError } from '../prices/quote.ts';
import { UsageBodyError } from '../usage/errors.ts';
import { RequestError } from '../requests/error.ts';

/** Base of the errors a request for prices can meet (a batch reports them per item). */
export class ServingError extends Error {}

export class UnknownProviderError extends ServingError {
  override name = 'UnknownProviderError';
  readonly provider: string;
  /** Provider ids close to the one asked for. */
  readonly suggestions: string[];

  constructor(provider: string, suggestions: string[]) {
    super(`provider "${provider}" has no prices in the catalog`);
    this.provider = provider;
    this.suggestions = suggestions;
  }
}

export class UnknownModelError extends ServingError {
  override name = 'UnknownModelError';
  readonly provider: string;
  readonly model: string;
  /** Model ids of this provider close to the one asked for. */
  readonly suggestions: string[];

  constructor(provider: string, model: string, suggestions: string[]) {
    super(`model "${model}" is not in ${provider}'s catalog`);
    this.provider = provider;
    this.model = model;
    this.suggestions = suggestions;
  }
}

export class RemovedModelError extends ServingError {
  override name = 'RemovedModelError';
  readonly provider: string;
  readonly modelId: string;

  constructor(provider: string, modelId: string, removedAt: string) {
    super(`model "${modelId}" was removed from ${provider}'s catalog at ${removedAt}`);
    this.provider = provider;
    this.modelId = modelId;
  }
}

/** How a missing rate is fetched: what a rate_unavailable answer tells the caller to do. */
export const RATE_REFRESH_HINT = 'rates of FX_CURRENCIES are fetched from Yahoo Finance by the hourly refresh_fx job; '
  + 'to fetch now: POST /admin/fx-refresh with Authorization: Bearer $ADMIN_TOKEN (needs internet access); '
  + 'a currency not in FX_CURRENCIES needs adding there first';

export class RateUnavailableError extends ServingError {
  override name = 'RateUnavailableError';
  readonly currency: string;
  /** Currencies tariff has a USD rate for. */
  readonly available: string[];

  constructor(currency: string, available: string[]) {
    super(`currency: no USD/${currency} exchange rate is available`);
    this.currency = currency;
    this.available = available;
  }
}

/** A point in time before the first price tariff holds: nothing was served then. */
export class BeforeHistoryError extends ServingError {
  override name = 'BeforeHistoryError';
  readonly earliest: string;

  constructor(at: string, earliest: string) {
    super(`at: ${at} is before tariff's price history, which starts at ${earliest}; ask for a time at or after ${earliest}`);
    this.earliest = earliest;
  }
}

/** A quote from a response that does not name its model, with no model beside it. */
export class UnnamedModelError extends ServingError {
  override name = 'UnnamedModelError';

  constructor() {
    super('the response does not name its model: give model beside it');
  }
}

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

export interface ErrorResponse {
  status: number;
  body: ErrorBody;
  headers: Record<string, string>;
}

export function errorReply(status: number, code: string, message: string, details?: unknown, headers: Record<string, string> = {}): ErrorResponse {
  return { status, body: { error: { code, message, ...(details === undefined ? {} : { details }) } }, headers };
}

/**
 * The answer to a domain error: the request asked the catalog for something it
 * cannot give. Undefined for any other error (a batch answers these per item).
 */
export function domainErrorResponse(err: unknown): ErrorResponse | undefined {
  if (err instanceof RequestError) return errorReply(err.status, err.code, err.message, err.details);
  if (err instanceof UnknownProviderError) return errorReply(404, 'unknown_provider', err.message, { suggestions: err.suggestions });
  if (err instanceof UnknownModelError) return errorReply(404, 'unknown_model', err.message, { suggestions: err.suggestions });
  if (err instanceof RemovedModelError) return errorReply(404, 'removed_model', err.message);
  if (err instanceof RateUnavailableError) return errorReply(422, 'rate_unavailable', err.message, { available: err.available, refresh: RATE_REFRESH_HINT });
  if (err instanceof BeforeHistoryError) return errorReply(404, 'before_history', err.message, { earliest: err.earliest });
  if (err instanceof QuoteError) return errorReply(422, err.code, err.message, err.details);
  if (err instanceof UnnamedModelError) return errorReply(400, 'invalid_request', `body.model: ${err.message}`);
  // A provider response the usage module cannot read (unknown or ambiguous shape, inconsistent counts).
  if (err instanceof UsageBodyError) return errorReply(400, err.code, `body.response: ${err.message}`, err.details);
  return undefined;
}
