// A quote body's `response` read with every number as its source text, so an
// amount a provider reports (OpenRouter's usage.cost) keeps every digit that
// JSON.parse's binary floats would drop. The rest of the body (tariff's own
// usage buckets, which are whole numbers) stays as JSON.parse reads it.

type SourceReviver = (this: unknown, key: string, value: unknown, context: { source?: string }) => unknown;

// TypeScript's lib does not know the reviver's third argument yet (Node ≥ 21 passes it).
const parseWithSource = JSON.parse as (text: string, reviver: SourceReviver) => unknown;

const keepNumberSource: SourceReviver = (_key, value, context) =>
  typeof value === 'number' && context.source !== undefined ? context.source : value;

/**
 * `body`, parsed from `text` by JSON.parse, with each quote item's `response`
 * replaced by the same object with its numbers as their source text. The
 * second parse (a reviver call per value: several times JSON.parse's own
 * time) is paid only where JSON.parse may have dropped a digit: a body
 * without a `response`, or whose numbers are all short, is returned as is.
 */
export function withExactResponses(text: string, body: unknown): unknown {
  if (!text.includes('"response"') || !LONG_NUMBER.test(text)) return body;
  const items = Array.isArray(body) ? body : [body];
  if (!items.some(hasResponse)) return body;
  const exact = parseWithSource(text, keepNumberSource);
  const exactItems = Array.isArray(exact) ? exact : [exact];
  items.forEach((item, index) => {
    const twin = exactItems[index];
    if (hasResponse(item) && hasResponse(twin)) item.response = twin.response;
  });
  return body;
}

/**
 * Where a number JSON.parse may have read inexactly could stand: a literal of
 * at most 15 significant digits within a double's range reads back as the
 * same decimal (DBL_DIG is 15), so only a value (after `:`, `,` or `[`) with a
 * run of 16 or more digits (a point among them) or an exponent, which can
 * leave the range, may lose one. A match inside a string costs only the slower parse.
 */
const LONG_NUMBER = /[:,[]\s*-?(?:\d[\d.]{15}|[\d.]+[eE])/;

function hasResponse(item: unknown): item is { response: Record<string, unknown> } {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return false;
  const { response } = item as { response?: unknown };
  return typeof response === 'object' && response !== null && !Array.isArray(response);
}
