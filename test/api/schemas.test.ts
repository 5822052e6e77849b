// The hand checks of the hot routes' input (plainQuoteItem, plainModelRequest)
// must never accept what the zod schemas refuse, and must answer what zod
// answers when they accept: checked on the fuzz corpus and on hand-picked edges.
import { parse as parseQuery } from 'node:querystring';
import { modelPath, modelQuery, plainModelRequest, plainQuoteItem, quoteItem } from '../../src/api/schemas.ts';
import { generateRequests, type FuzzContext } from '../security/fuzz-generators.ts';

const context: FuzzContext = {
  token: 'token',
  models: [{ provider: 'anthropic', model: 'claude-sonnet-4-5' }, { provider: 'openrouter', model: 'openai/gpt-4o' }],
  notInUse: ['deepseek'],
  inUse: ['anthropic', 'openrouter'],
  overrideTargets: [{ provider: 'openai', model: 'fuzz-model' }],
};

function parsed(text: string | Buffer | undefined): unknown {
  try {
    return JSON.parse(String(text));
  } catch {
    return undefined;
  }
}

/** Both checks' answers for one body: the hand check's value (or undefined) and zod's. */
function both(body: unknown) {
  return { plain: plainQuoteItem(body), zod: quoteItem.safeParse(body) };
}

const usage = { input_tokens: 1200, output_tokens: 350 };

describe('the quote body checked by hand', () => {
  const bodies = generateRequests(0x5eed_2026, context)
    .filter((request) => request.route === 'POST /costs/quote')
    .map((request) => parsed(request.body))
    .flatMap((body) => (Array.isArray(body) ? body : [body]));

  test('on the fuzz corpus it accepts only what zod accepts, parsed to the same value, and takes most valid bodies', () => {
    let accepted = 0;
    let valid = 0;
    for (const body of bodies) {
      const { plain, zod } = both(body);
      if (zod.success) valid++;
      if (plain === undefined) continue;
      accepted++;
      expect({ body, success: zod.success }).toEqual({ body, success: true });
      expect(plain).toStrictEqual(zod.data);
    }
    expect(valid).toBeGreaterThan(200);
    expect(accepted).toBeGreaterThan(valid / 2);
  });

  test.each([
    ['the smallest body', { provider: 'openai', model: 'gpt-4o', usage }],
    ['every usage key and a currency', { provider: 'x.ai-2', model: 'a/b:c', currency: 'ZAR',
      usage: { ...usage, cache_read_tokens: 0, cache_write_tokens: 1e12, reasoning_tokens: 7, requests: 1e9 } }],
    ['a model id of 512 characters', { provider: 'openai', model: 'm'.repeat(512), usage }],
    ['minus zero tokens', { provider: 'openai', model: 'gpt-4o', usage: { input_tokens: -0, output_tokens: 0 } }],
  ])('accepts %s as zod does', (_name, body) => {
    const { plain, zod } = both(body);
    expect(zod.success).toBe(true);
    expect(plain).toStrictEqual(zod.data);
  });

  test.each([
    ['an unknown key', { provider: 'openai', model: 'gpt-4o', usage, colour: 'red' }],
    ['an unknown usage key', { provider: 'openai', model: 'gpt-4o', usage: { ...usage, tokens: 1 } }],
    ['a fractional count', { provider: 'openai', model: 'gpt-4o', usage: { ...usage, input_tokens: 1.5 } }],
    ['a count over the limit', { provider: 'openai', model: 'gpt-4o', usage: { ...usage, requests: 1e9 + 1 } }],
    ['a count as a string', { provider: 'openai', model: 'gpt-4o', usage: { ...usage, input_tokens: '1' } }],
    ['a negative count', { provider: 'openai', model: 'gpt-4o', usage: { ...usage, output_tokens: -1 } }],
    ['an upper-case provider', { provider: 'OpenAI', model: 'gpt-4o', usage }],
    ['an empty model', { provider: 'openai', model: '', usage }],
    ['a model id of 513 characters', { provider: 'openai', model: 'm'.repeat(513), usage }],
    ['a control character in the model', { provider: 'openai', model: 'gpt\n4o', usage }],
    ['a lower-case currency', { provider: 'openai', model: 'gpt-4o', usage, currency: 'zar' }],
    ['a null currency', { provider: 'openai', model: 'gpt-4o', usage, currency: null }],
    ['a __proto__ key', JSON.parse('{"provider":"openai","model":"gpt-4o","usage":{"input_tokens":1,"output_tokens":1},"__proto__":{"x":1}}')],
    ['an array', [{ provider: 'openai', model: 'gpt-4o', usage }]],
    ['null', null],
  ])('leaves %s to zod, which refuses it', (_name, body) => {
    const { plain, zod } = both(body);
    expect(plain).toBeUndefined();
    expect(zod.success).toBe(false);
  });

  test('leaves a missing output_tokens to zod, which makes it 0 (an embedding call)', () => {
    const body = { provider: 'openai', model: 'text-embedding-3-small', usage: { input_tokens: 1 } };
    expect(plainQuoteItem(body)).toBeUndefined();
    expect(quoteItem.parse(body).usage).toEqual({ input_tokens: 1, output_tokens: 0 });
  });

  test('leaves a body with `at` to zod, which parses the time', () => {
    const body = { provider: 'openai', model: 'gpt-4o', usage, at: '2026-01-01T00:00:00Z' };
    expect(plainQuoteItem(body)).toBeUndefined();
    expect(quoteItem.parse(body).at).toEqual(new Date('2026-01-01T00:00:00Z'));
  });
});

describe('the model request checked by hand', () => {
  /** The model route's requests in the fuzz corpus, split as the router splits them (undecodable ones left out). */
  const requests = generateRequests(0x5eed_2026, context)
    .filter((request) => request.route === 'GET /costs/:provider/*model')
    .flatMap((request) => {
      const [path = '', query = ''] = request.path.split('?', 2);
      const [provider = '', ...model] = path.slice('/costs/'.length).split('/');
      try {
        return [{ provider: decodeURIComponent(provider), model: model.map(decodeURIComponent).join('/'), query: parseQuery(query) }];
      } catch {
        return [];
      }
    });

  test('on the fuzz corpus it accepts only what zod accepts, parsed to the same values', () => {
    let accepted = 0;
    for (const { provider, model, query } of requests) {
      const plain = plainModelRequest(provider, model, query);
      if (plain === undefined) continue;
      accepted++;
      expect(plain).toStrictEqual({ path: modelPath.parse({ provider, model }), query: modelQuery.parse(query) });
    }
    expect(accepted).toBeGreaterThan(100);
  });

  test.each([
    ['an upper-case provider', 'OpenAI', 'gpt-4o', {}],
    ['a control character', 'openai', 'gpt\u00004o', {}],
    ['a model id of 513 characters', 'openai', 'm'.repeat(513), {}],
    ['a lower-case currency', 'openai', 'gpt-4o', { currency: 'zar' }],
    ['a repeated currency', 'openai', 'gpt-4o', parseQuery('currency=ZAR&currency=ZAR')],
    ['a time', 'openai', 'gpt-4o', { at: '2026-01-01T00:00:00Z' }],
    ['an unknown parameter', 'openai', 'gpt-4o', { colour: 'red' }],
  ])('leaves %s to zod', (_name, provider, model, query) => {
    expect(plainModelRequest(provider, model, query)).toBeUndefined();
  });
});
