// Reading counts out of an already-parsed body. A count may arrive as a JSON
// number (JSON.parse) or as the literal text parseExactJson keeps; both are
// accepted, and anything that is not a non-negative whole number is an error
// naming the field by its path in the body ("usage.prompt_tokens_details.cached_tokens").
import { formatDecimal, isNegative, parseDecimal } from '../money/decimal.ts';
import { InconsistentUsageError, UsageFieldError } from './errors.ts';

/** A count together with the path it was read from, so errors can name it. */
export interface Term {
  readonly value: number;
  readonly field: string;
}

export type JsonObject = Record<string, unknown>;

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A view of one object in the body; absent and null members read as zero or as an empty view. */
export class Fields {
  readonly path: string;
  readonly raw: JsonObject;

  constructor(raw: JsonObject, path: string) {
    this.raw = raw;
    this.path = path;
  }

  field(key: string): string {
    return this.path === '' ? key : `${this.path}.${key}`;
  }

  has(key: string): boolean {
    return this.raw[key] !== undefined && this.raw[key] !== null;
  }

  count(key: string): Term {
    const field = this.field(key);
    return { value: toCount(this.raw[key], field), field };
  }

  child(key: string): Fields {
    const value = this.raw[key];
    if (value === undefined || value === null) return new Fields({}, this.field(key));
    if (!isObject(value)) throw new UsageFieldError(this.field(key), 'expected an object');
    return new Fields(value, this.field(key));
  }

  list(key: string): { item: Fields; index: number }[] {
    const value = this.raw[key];
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) throw new UsageFieldError(this.field(key), 'expected an array');
    return value.map((item: unknown, index) => {
      const field = `${this.field(key)}[${index}]`;
      if (!isObject(item)) throw new UsageFieldError(field, 'expected an object');
      return { item: new Fields(item, field), index };
    });
  }

  string(key: string): string | null {
    const value = this.raw[key];
    if (value === undefined || value === null) return null;
    if (typeof value !== 'string') throw new UsageFieldError(this.field(key), 'expected a string');
    return value;
  }
}

function toCount(value: unknown, field: string): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value) && value >= 0) return value;
  } else if (typeof value === 'string' && /^\d+(\.0*)?$/.test(value)) {
    const count = Number(value.split('.')[0]);
    if (Number.isSafeInteger(count)) return count;
  }
  throw new UsageFieldError(field, `expected a non-negative whole number of tokens, got ${describe(value)}`);
}

function describe(value: unknown): string {
  const text = typeof value === 'string' ? JSON.stringify(value) : String(JSON.stringify(value));
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/**
 * A USD amount as an exact decimal string. The API layer parses request bodies
 * with parseExactJson, so amounts arrive as their literal text and are copied
 * exactly; a JS number (a caller that used JSON.parse) is read through its
 * shortest round-trip form, which is exact for every amount JSON.parse could
 * have produced it from without loss.
 */
export function toAmount(value: unknown, field: string): string {
  let text: string;
  if (typeof value === 'string') text = value.trim();
  else if (typeof value === 'number' && Number.isFinite(value)) text = String(value);
  else throw new UsageFieldError(field, `expected a decimal amount, got ${describe(value)}`);
  let amount;
  try {
    amount = parseDecimal(text);
  } catch {
    throw new UsageFieldError(field, `expected a decimal amount, got ${describe(value)}`);
  }
  if (isNegative(amount)) throw new UsageFieldError(field, `expected a non-negative amount, got ${text}`);
  return formatDecimal(amount);
}

/** total − Σ parts, or InconsistentUsageError naming the fields that disagree when the parts exceed the total. */
export function remainder(total: Term, ...parts: Term[]): number {
  const used = parts.filter((part) => part.value > 0);
  const sum = used.reduce((acc, part) => acc + part.value, 0);
  const left = total.value - sum;
  if (left < 0) {
    const summands = used.map((part) => `${part.field} (${part.value})`).join(' + ');
    throw new InconsistentUsageError(
      `${total.field} (${total.value}) is less than ${summands}`,
      [total.field, ...used.map((part) => part.field)],
    );
  }
  return left;
}

/** Sum of terms as one term, for a breakdown named by several fields. */
export function sum(field: string, ...terms: Term[]): Term {
  return { value: terms.reduce((acc, term) => acc + term.value, 0), field };
}
