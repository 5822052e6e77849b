// The errors a quote or a price lookup throws: the server's 4xx answers, as
// typed errors with the same status, code, message and details.
import { domainErrorResponse } from '@tariff/pricing';

export class TariffError extends Error {
  override name = 'TariffError';
  readonly status: number;
  readonly code: string;
  readonly details: unknown;

  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }

  /** The body the server answers for this error: `{error: {code, message, details?}}`. */
  toJSON() {
    return { error: { code: this.code, message: this.message, ...(this.details === undefined ? {} : { details: this.details }) } };
  }
}

/** A request only the server can answer (prices at a past time): ask it with `tariff.remote`. */
export class RemoteOnlyError extends Error {
  override name = 'RemoteOnlyError';
}

/** Runs `answer`, turning the pricing core's domain errors into TariffErrors; any other error passes through. */
export function answering<T>(answer: () => T): T {
  try {
    return answer();
  } catch (err) {
    const response = domainErrorResponse(err);
    if (!response) throw err;
    const { code, message, details } = response.body.error;
    throw new TariffError(response.status, code, message, details);
  }
}
