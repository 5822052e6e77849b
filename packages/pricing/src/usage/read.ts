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

/** A response's usage object: the body's `usage` member when it is an object, else the body itself (a caller may send just the usage). */
export function usageObject(body: JsonObject): JsonObject {
  const usage = body.usage;
  return isObject(usage) ? usage : body;
}

/**
 * A view of one object in the body; absent and null members read as zero or as
 * an empty view. Paths are only needed to name a field in an error, so a view
 * keeps its parent and key and spells its path when asked.
 *
 * A reader reads each member itself, by its literal name, and hands the value
 * over with the member's key: `usage.count('input_tokens', raw.input_tokens)`.
 * A read by a literal name compiles to a load for the one shape the body has
 * at that place; a read by a computed key (`raw[key]`) is a megamorphic lookup
 * in V8's shared stub cache, which the HTTP server's own code keeps evicting
 * under load.
 */
export class Fields {
  readonly raw: JsonObject;
  readonly #parent: Fields | undefined;
  /** The root's path, or this object's key in its parent. */
  readonly #name: string;

  /** A view of a body's root (or of a list item) at `path`, or of the member `name` of `parent`. */
  constructor(raw: JsonObject, pathOrName: string, parent?: Fields) {
    this.raw = raw;
    this.#name = pathOrName;
    this.#parent = parent;
  }

  get path(): string {
    return this.#parent ? this.#parent.field(this.#name) : this.#name;
  }

  field(key: string): string {
    const path = this.path;
    return path === '' ? key : `${path}.${key}`;
  }

  /** The count in member `key`, whose value is `value`; 0 when absent or null. */
  count(key: string, value: unknown): Term {
    return new Count(value === undefined || value === null ? 0 : toCount(value, this, key), this, key);
  }

  /** A view of the object in member `key`, whose value is `value`; an empty view when absent or null. */
  child(key: string, value: unknown): Fields {
    if (value === undefined || value === null) return new Fields(EMPTY, key, this);
    if (!isObject(value)) throw new UsageFieldError(this.field(key), 'expected an object');
    return new Fields(value, key, this);
  }

  /** Views of the objects in the array in member `key`, whose value is `value`; none when absent or null. */
  list(key: string, value: unknown): Fields[] {
    if (value === undefined || value === null) return [];
    if (!Array.isArray(value)) throw new UsageFieldError(this.field(key), 'expected an array');
    return value.map((item: unknown, index) => {
      const field = `${this.field(key)}[${index}]`;
      if (!isObject(item)) throw new UsageFieldError(field, 'expected an object');
      return new Fields(item, field);
    });
  }

  /** The string in member `key`, whose value is `value`; null when absent or null. */
  string(key: string, value: unknown): string | null {
    if (value === undefined || value === null) return null;
    if (typeof value !== 'string') throw new UsageFieldError(this.field(key), 'expected a string');
    return value;
  }
}

const EMPTY: JsonObject = Object.freeze({});

/** A count read from a view: its path is spelled only when an error names it. */
class Count implements Term {
  readonly value: number;
  readonly #fields: Fields;
  readonly #key: string;

  constructor(value: number, fields: Fields, key: string) {
    this.value = value;
    this.#fields = fields;
    this.#key = key;
  }

  get field(): string {
    return this.#fields.field(this.#key);
  }
}

function toCount(value: unknown, fields: Fields, key: string): number {
  if (typeof value === 'number') {
    if (Number.isSafeInteger(value) && value >= 0) return value;
  } else if (typeof value === 'string' && /^\d+(\.\d*)?([eE][+-]?\d+)?$/.test(value)) {
    // A literal such as `2006`, `2006.0` or `2.006e3`: whole and exactly representable, or refused.
    const count = Number(value);
    if (Number.isSafeInteger(count)) return count;
  }
  throw new UsageFieldError(fields.field(key), `expected a non-negative whole number of tokens, got ${describe(value)}`);
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
  let left = total.value;
  for (const part of parts) left -= part.value;
  if (left < 0) {
    const used = parts.filter((part) => part.value > 0);
    const summands = used.map((part) => `${part.field} (${part.value})`).join(' + ');
    throw new InconsistentUsageError(
      `${total.field} (${total.value}) is less than ${summands}`,
      [total.field, ...used.map((part) => part.field)],
    );
  }
  return left;
}
