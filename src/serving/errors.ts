// What a caller can ask of the catalog that it cannot give. Domain errors:
// they say what is missing, never how to answer it; src/api/errors.ts maps
// each to its HTTP status and code, in one place.

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

/** A quote from a response that does not name its model, with no model beside it. */
export class UnnamedModelError extends ServingError {
  override name = 'UnnamedModelError';

  constructor() {
    super('the response does not name its model: give model beside it');
  }
}
