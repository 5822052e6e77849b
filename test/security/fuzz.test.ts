// Issue 5, "bad input": 10,000+ seeded malformed requests to every route. Each
// answer must be below 500; every 4xx a JSON {error: {code, message}}; every
// validation 400 must name the field (body.*, query.*, path.*); no answer may
// carry a stack frame or SQL. FUZZ_SEED=<n> replays another seed.
import { Readable } from 'node:stream';
import { Pool as HttpPool } from 'undici';
import { prepareDatabase, startApi, type ApiInstance } from '../../src/service.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { testLogger } from '../support/env.ts';
import { TEST_ADMIN_TOKEN, testConfig } from '../support/stack.ts';
import { generateRequests, routes, type FuzzContext, type FuzzRequest } from './fuzz-generators.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 0x5eed_2026);
const IN_FLIGHT = 24;
const PROTECTED = { provider: 'anthropic', model: 'claude-sonnet-4-5' };

/** Body parser refusals: the whole body is the field. */
const PARSER_CODES = new Set(['invalid_json', 'body_too_large']);
const NAMES_A_FIELD = /^(body|query|path|authorization)[.:]/;
const LEAKS: ReadonlyArray<[string, RegExp]> = [
  ['a stack frame', /\bat .*\.(?:ts|js|cjs|mjs):\d+/],
  ['a node_modules path', /node_modules/],
  ['a Postgres syntax error', /syntax error at or near/],
  ['a Postgres relation name', /relation "/],
];

interface Answer { status: number; contentType: string; text: string }
interface ErrorBody { error: { code: string; message: string; details?: { fields?: Array<{ field: string }> } } }
interface CostsBody { providers: Record<string, { models: Array<{ model_id: string } & Record<string, unknown>> }> }

const logger = testLogger();
let db: TestDatabase;
let api: ApiInstance;
let http: HttpPool;
let catalogBefore: Map<string, string>;
/** provider/model_id of every override a valid PUT set: the only catalog entries allowed to change. */
const overridden = new Set<string>();

beforeAll(async () => {
  db = await createTestDatabase();
  const config = testConfig(db.url);
  await prepareDatabase(db.url, config, logger);
  api = await startApi({ url: db.url, config, logger, port: 0 });
  await api.catalog.reload();
  http = new HttpPool(api.baseUrl, { connections: IN_FLIGHT, headersTimeout: 10_000, bodyTimeout: 10_000 });
  catalogBefore = entries(JSON.parse((await send({ method: 'GET', path: '/costs', headers: {} })).text) as CostsBody);
});

afterAll(async () => {
  await http.close();
  await api.stop();
  await db.drop();
});

async function send(request: Pick<FuzzRequest, 'method' | 'path' | 'headers' | 'body' | 'chunked'>): Promise<Answer> {
  const { body, chunked } = request;
  const response = await http.request({
    method: request.method,
    path: request.path,
    headers: request.headers,
    body: chunked && body !== undefined ? Readable.from(inChunks(Buffer.from(body))) : body,
  });
  return { status: response.statusCode, contentType: String(response.headers['content-type'] ?? ''), text: await response.body.text() };
}

async function* inChunks(body: Buffer): AsyncGenerator<Buffer> {
  for (let offset = 0; offset < body.length; offset += 64 * 1024) yield body.subarray(offset, offset + 64 * 1024);
}

function entries(body: CostsBody): Map<string, string> {
  const byKey = new Map<string, string>();
  for (const [provider, { models }] of Object.entries(body.providers)) {
    for (const model of models) byKey.set(`${provider}/${model.model_id}`, JSON.stringify(model));
  }
  return byKey;
}

/** Real ids from the served catalog: every provider, a spread of its models. */
function fuzzContext(): FuzzContext {
  const byProvider = new Map<string, string[]>();
  for (const key of [...catalogBefore.keys()].sort()) {
    const slash = key.indexOf('/');
    const provider = key.slice(0, slash);
    byProvider.set(provider, [...(byProvider.get(provider) ?? []), key.slice(slash + 1)]);
  }
  const models = [...byProvider].flatMap(([provider, ids]) =>
    ids.filter((_, i) => i % Math.ceil(ids.length / 4) === 0).map((model) => ({ provider, model })));
  models.push(PROTECTED);
  const inUse = testConfig(db.url).providers.map((p) => p.provider);
  const isProtected = (m: { provider: string; model: string }) => m.provider === PROTECTED.provider && m.model === PROTECTED.model;
  return {
    token: TEST_ADMIN_TOKEN,
    models,
    inUse,
    notInUse: [...byProvider.keys()].filter((p) => !inUse.includes(p)),
    overrideTargets: [
      ...models.filter((m) => inUse.includes(m.provider) && !isProtected(m)).slice(0, 6),
      { provider: 'openai', model: 'fuzz-model' },
      { provider: 'openrouter', model: 'fuzz/🦄-model' },
      { provider: 'anthropic', model: "fuzz' or 1=1 --" },
      { provider: 'google', model: 'm'.repeat(512) },
    ],
  };
}

function problems(request: FuzzRequest, answer: Answer): string[] {
  const found: string[] = [];
  if (answer.status >= 500) found.push('5xx');
  for (const [what, pattern] of LEAKS) if (pattern.test(answer.text)) found.push(`leaks ${what}`);
  if (request.status !== undefined && answer.status !== request.status) found.push(`expected ${request.status}`);
  if (answer.status < 400 || answer.status >= 500) return found;
  if (!/^application\/json\b/.test(answer.contentType)) found.push(`4xx as ${answer.contentType || 'no content type'}`);
  const body = parse(answer.text);
  if (!isErrorBody(body)) return [...found, '4xx body is not {error: {code, message}}'];
  const { code, message, details } = body.error;
  if (request.code !== undefined && code !== request.code) found.push(`expected code ${request.code}`);
  if (answer.status !== 400 || PARSER_CODES.has(code)) return found;
  const fields = details?.fields?.map((f) => f.field) ?? [];
  if (!NAMES_A_FIELD.test(message)) found.push('400 message names no body/query/path field');
  if (fields.some((field) => !/^(body|query|path)([.]|$)/.test(field))) found.push('details.fields has a field outside body/query/path');
  const field = request.field;
  if (field !== undefined) {
    const named = fields.some((f) => f === field || f.startsWith(`${field}.`))
      || message.split('; ').some((part) => part.startsWith(`${field}:`) || part.startsWith(`${field}.`));
    if (!named) found.push(`does not name ${field}`);
  }
  return found;
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function isErrorBody(body: unknown): body is ErrorBody {
  if (body === null || typeof body !== 'object' || !('error' in body)) return false;
  const { error } = body;
  return error !== null && typeof error === 'object' && 'code' in error && typeof error.code === 'string'
    && 'message' in error && typeof error.message === 'string';
}

/** The start of a path or body, control characters escaped so the summary stays one line per failure. */
function excerpt(text: string | Buffer | undefined, length: number): string {
  if (text === undefined) return '-';
  const whole = String(text);
  const start = whole.slice(0, length).replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return whole.length > length ? `${start}…(${whole.length} chars)` : start;
}

async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: limit }, worker));
}

describe(`fuzzing every route with seeded malformed requests (seed ${SEED})`, () => {
  test('10,000+ malformed requests get no 5xx, and every 4xx is a JSON error that names the bad field', async () => {
    const ctx = fuzzContext();
    const requests = generateRequests(SEED, ctx);
    const failures: string[] = [];
    const sent = new Map<string, number>();

    await inParallel(requests, IN_FLIGHT, async (request) => {
      let answer: Answer;
      try {
        answer = await send(request);
      } catch (err) {
        answer = { status: 0, contentType: '', text: `no answer: ${(err as Error).message}` };
      }
      sent.set(request.route, (sent.get(request.route) ?? 0) + 1);
      const found = answer.status === 0 ? ['no answer'] : problems(request, answer);
      if (found.length > 0) {
        failures.push(`${request.method} ${excerpt(request.path, 160)} [${request.kind}] body=${excerpt(request.body, 160)}`
          + ` → ${answer.status} ${excerpt(answer.text, 240)}: ${found.join(', ')}`);
      }
      if (request.method === 'PUT' && answer.status === 200) {
        const body = JSON.parse(answer.text) as { provider: string; model_id: string };
        overridden.add(`${body.provider}/${body.model_id}`);
      }
    });

    expect(failures.length === 0 ? [] : [`seed ${SEED} (rerun with FUZZ_SEED=${SEED}): ${failures.length} of ${requests.length} answers`
      + ' broke the contract; the first 20:', ...failures.slice(0, 20)]).toEqual([]);
    for (const spec of routes(ctx)) expect([spec.route, sent.get(spec.route)]).toEqual([spec.route, spec.count]);
    expect(requests.filter((r) => r.malformed).length).toBeGreaterThanOrEqual(10_000);
  }, 120_000);

  test('afterwards the service is healthy and the catalog changed only where a valid PUT set an override', async () => {
    expect(JSON.parse((await send({ method: 'GET', path: '/healthz', headers: {} })).text)).toEqual({ status: 'ok' });
    expect((await send({ method: 'GET', path: '/readyz', headers: {} })).status).toBe(200);
    await api.catalog.reload();

    const answer = await send({ method: 'GET', path: '/costs', headers: {} });
    const after = entries(JSON.parse(answer.text) as CostsBody);

    expect(answer.status).toBe(200);
    const changed = [...new Set([...catalogBefore.keys(), ...after.keys()])]
      .filter((key) => catalogBefore.get(key) !== after.get(key) && !overridden.has(key));
    expect(changed).toEqual([]);
    expect(JSON.parse(after.get(`${PROTECTED.provider}/${PROTECTED.model}`)!)).toMatchObject({
      input_cost_per_1m_tokens: '3', output_cost_per_1m_tokens: '15', override_reason: null,
    });
  });

  test('no fuzzed __proto__ or constructor key polluted Object.prototype', () => {
    expect(Object.keys(Object.prototype)).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
