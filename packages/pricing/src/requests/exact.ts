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
 * replaced by the same object with its numbers as their source text. A body
 * without a `response` object is returned as is, after a substring check: the
 * second, slower parse is paid only by bodies that carry a response.
 */
export function withExactResponses(text: string, body: unknown): unknown {
  if (!text.includes('"response"')) return body;
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

function hasResponse(item: unknown): item is { response: Record<string, unknown> } {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return false;
  const { response } = item as { response?: unknown };
  return typeof response === 'object' && response !== null && !Array.isArray(response);
}
