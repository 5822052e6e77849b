// Exact decimal arithmetic for prices. A value is coef × 10^exp with a BigInt
// coefficient, so unit conversions (per token → per 1M tokens) and cost sums
// never pass through binary floating point.

export interface Decimal {
  readonly coef: bigint;
  readonly exp: number;
}

const DECIMAL_LITERAL = /^([+-]?)(\d+)?(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
const MAX_EXPONENT = 1000;

export const ZERO: Decimal = Object.freeze({ coef: 0n, exp: 0 });

/** Parses a decimal literal as written in JSON or by a person: `3`, `0.30000000000000004`, `3e-06`, `-1`. */
export function parseDecimal(text: string): Decimal {
  const match = DECIMAL_LITERAL.exec(text.trim());
  if (!match || (match[2] === undefined && !match[3])) {
    throw new RangeError(`not a decimal number: ${JSON.stringify(text.slice(0, 40))}`);
  }
  const [, sign, whole = '', fraction = '', exponent = '0'] = match;
  const exp = Number(exponent) - fraction.length;
  if (!Number.isSafeInteger(exp) || Math.abs(exp) > MAX_EXPONENT) {
    throw new RangeError(`decimal exponent out of range: ${JSON.stringify(text.slice(0, 40))}`);
  }
  const coef = BigInt((whole + fraction) || '0');
  return normalize({ coef: sign === '-' ? -coef : coef, exp });
}

/** Like parseDecimal, for a value that may be a JS number from a trusted source (its shortest round-trip form). */
export function toDecimal(value: string | number | bigint | Decimal): Decimal {
  if (typeof value === 'string') return parseDecimal(value);
  if (typeof value === 'bigint') return normalize({ coef: value, exp: 0 });
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
    return parseDecimal(String(value));
  }
  return value;
}

/** Removes trailing zeros so equal values have one representation. */
export function normalize(d: Decimal): Decimal {
  if (d.coef === 0n) return ZERO;
  let { coef, exp } = d;
  while (coef % 10n === 0n) {
    coef /= 10n;
    exp += 1;
  }
  return { coef, exp };
}

/**
 * Plain decimal notation, never exponent notation: `0.000003`, `1500000`, `-1`.
 * Trailing zeros are trimmed from the digits (no BigInt division), so this is
 * cheap enough for every quote.
 */
export function formatDecimal({ coef, exp }: Decimal): string {
  return formatCoefficient(coef, exp);
}

/** formatDecimal of coef × 10^exp; a number coef must be a safe integer (its text is then its exact digits). */
export function formatCoefficient(coef: bigint | number, exp: number): string {
  if (coef == 0) return '0';
  const negative = coef < 0;
  let digits = (negative ? -coef : coef).toString();
  let end = digits.length;
  while (exp < 0 && digits.charCodeAt(end - 1) === 48 /* '0' */) {
    end--;
    exp++;
  }
  digits = digits.slice(0, end);
  let text: string;
  if (exp >= 0) {
    text = digits + '0'.repeat(exp);
  } else {
    const point = digits.length + exp;
    text = point > 0 ? `${digits.slice(0, point)}.${digits.slice(point)}` : `0.${'0'.repeat(-point)}${digits}`;
  }
  return negative ? `-${text}` : text;
}

/** Multiplies by 10^places: shift(perToken, 6) is the price per 1M tokens. */
export function shift(d: Decimal, places: number): Decimal {
  return normalize({ coef: d.coef, exp: d.exp + places });
}

export function add(a: Decimal, b: Decimal): Decimal {
  const exp = Math.min(a.exp, b.exp);
  return normalize({ coef: scaleTo(a, exp) + scaleTo(b, exp), exp });
}

export function subtract(a: Decimal, b: Decimal): Decimal {
  const exp = Math.min(a.exp, b.exp);
  return normalize({ coef: scaleTo(a, exp) - scaleTo(b, exp), exp });
}

export function multiply(a: Decimal, b: Decimal): Decimal {
  return normalize({ coef: a.coef * b.coef, exp: a.exp + b.exp });
}

export function compare(a: Decimal, b: Decimal): -1 | 0 | 1 {
  const exp = Math.min(a.exp, b.exp);
  const x = scaleTo(a, exp);
  const y = scaleTo(b, exp);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function isNegative(d: Decimal): boolean {
  return d.coef < 0n;
}

/** Canonical text of a decimal literal: `3.000` → `3`, `3e-06` → `0.000003`. */
export function canonical(text: string): string {
  return formatDecimal(parseDecimal(text));
}

function scaleTo(d: Decimal, exp: number): bigint {
  return d.coef * 10n ** BigInt(d.exp - exp);
}
