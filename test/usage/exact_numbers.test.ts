// A quote body's `response` numbers reach the readers with every digit they
// were sent with, whichever of withExactResponses' two reads a body takes:
// JSON.parse's, kept for bodies whose numbers all survive it, or the
// source-text parse.
import fc from 'fast-check';
import { canonical, normalizeResponse, withExactResponses } from '@tariff/pricing';

const read = (text: string) => withExactResponses(text, JSON.parse(text)) as { response: Record<string, unknown> };

/** OpenRouter's usage accounting (openrouter.ai/docs/use-cases/usage-accounting), with `cost` as the literal given. */
const bodyWithCost = (cost: string, id = 'gen-1', space = '') =>
  `{"provider":"openrouter","response":{"id":"${id}","model":"openai/gpt-4o","usage":{"prompt_tokens":194,"completion_tokens":2,"cost":${space}${cost}}}}`;

/** A JSON number literal: up to 25 significant digits, a point anywhere, an exponent sometimes (up to ±400). */
const numberLiteral = fc.record({
  digits: fc.stringMatching(/^[1-9]\d{0,24}$/),
  point: fc.nat(),
  leadingZeros: fc.nat({ max: 6 }),
  exponent: fc.option(fc.integer({ min: -400, max: 400 }), { freq: 3 }),
}).map(({ digits, point, leadingZeros, exponent }) => {
  const at = point % (digits.length + 1);
  const mantissa = at === digits.length ? digits : at === 0
    ? `0.${'0'.repeat(leadingZeros)}${digits}`
    : `${digits.slice(0, at)}.${digits.slice(at)}`;
  return exponent === null ? mantissa : `${mantissa}e${exponent}`;
});

describe('numbers in a quote body\'s response', () => {
  test('every reported cost reads back as the decimal it was sent as', () => {
    fc.assert(fc.property(numberLiteral, fc.constantFrom('', ' ', '\n\t '), (literal, space) => {
      const reported = normalizeResponse(read(bodyWithCost(literal, 'gen-1', space)).response).reported_cost_usd;
      expect(reported).toBe(canonical(literal));
    }), { numRuns: 2_000 });
  });

  test.each([
    ['20 significant digits', '0.000123456789012345678', '0.000123456789012345678'],
    ['an exponent below a double\'s range', '1e-400', canonical('1e-400')],
    ['a 17-digit whole number', '12345678901234567', '12345678901234567'],
  ])('%s keeps its source text', (_name, literal, expected) => {
    expect(normalizeResponse(read(bodyWithCost(literal)).response).reported_cost_usd).toBe(expected);
  });

  test('a body whose numbers JSON.parse reads exactly is the one JSON.parse made', () => {
    const text = bodyWithCost('0.00003');
    const parsed = JSON.parse(text) as { response: unknown };
    const response = parsed.response;
    expect((withExactResponses(text, parsed) as { response: unknown }).response).toBe(response);
  });

  test.each(['gen-12345678901234567890', 'x:12345678901234567e5', 'msg_013Zva2CMHLNnXjNJJKqJ2EF'])('digits in a string (id %s) never change the numbers read', (id) => {
    for (const cost of ['0.5', '0.000123456789012345678']) {
      expect(normalizeResponse(read(bodyWithCost(cost, id)).response).reported_cost_usd).toBe(cost);
    }
  });
});
