// Upstream JSON read exactly. JSON.parse would turn `0.30000000000000004` or
// `1.3e-10` into binary floats; parseExactJson keeps every number as the literal
// it was written as, and the helpers below turn those literals into canonical
// prices and token counts, or say why they cannot.
import { z } from 'zod';
import { formatDecimal, isNegative, parseDecimal, shift } from '@tariff/pricing';

type SourceReviver = (this: unknown, key: string, value: unknown, context: { source?: string }) => unknown;

// TypeScript's lib does not know the reviver's third argument yet (Node ≥ 21 passes it).
const parseWithSource = JSON.parse as (text: string, reviver: SourceReviver) => unknown;

const keepNumberLiteral: SourceReviver = (_key, value, context) =>
  typeof value === 'number' && context.source !== undefined ? context.source : value;

/** JSON.parse, except that every number becomes its source literal: `3e-06` → "3e-06". */
export function parseExactJson(text: string): unknown {
  try {
    return parseWithSource(text, keepNumberLiteral);
  } catch (error) {
    if (!(error instanceof SyntaxError)) throw error;
    // No `cause`: V8's message can quote the body, and bodies never reach logs.
    throw new Error(`invalid JSON${whereInvalid(error.message, text.length)}`);
  }
}

function whereInvalid(message: string, length: number): string {
  const position = /\bat (position \d+(?: \(line \d+ column \d+\))?)/.exec(message)?.[1];
  if (position) return ` at ${position} of ${length} characters`;
  if (length === 0) return ': the text is empty';
  if (message.includes('end of JSON input')) return `: it ends early, after ${length} characters`;
  const token = /^Unexpected token '(.)'/u.exec(message)?.[1];
  return token ? `: unexpected ${JSON.stringify(token)}` : '';
}

/** A number as parseExactJson leaves it: its literal text. */
export const numberLiteral = z.string({ error: 'expected a number kept exact by parseExactJson' });

/** A non-negative price literal as a canonical decimal string, multiplied by 10^places. */
export function toPrice(literal: string, places = 0): string {
  const value = parseDecimal(literal);
  if (isNegative(value)) throw new RangeError(`negative price ${literal}`);
  return formatDecimal(shift(value, places));
}

/** A token count literal such as `200000` or `256000.0` as a safe integer. */
export function toTokenCount(literal: string): number {
  const { coef, exp } = parseDecimal(literal);
  const count = Number(coef) * 10 ** exp;
  if (exp < 0 || coef < 0n || !Number.isSafeInteger(count)) {
    throw new RangeError(`not a token count: ${literal}`);
  }
  return count;
}

/** Why one upstream row could not be read, for SkippedRow.reason. */
export function describeProblem(error: unknown): string {
  if (error instanceof z.ZodError) {
    return error.issues
      .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
      .join('; ');
  }
  return error instanceof Error ? error.message : String(error);
}
