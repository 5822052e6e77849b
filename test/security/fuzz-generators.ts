// Seeded generators of malformed (and some well-formed) requests for every API
// route, for test/security/fuzz.test.ts. The same seed gives the same requests.
// Pools named BAD_* hold only values the API must refuse for that field, so a
// request breaking one field pins a 400 naming it; TRICKY and ANY_VALUE mix
// refused and accepted values and pin nothing beyond "no 5xx, JSON errors".
import { gzipSync } from 'node:zlib';

/** mulberry32: small, fast, and the same sequence for the same seed on every machine. */
class Rng {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(max: number): number {
    return Math.floor(this.next() * max);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
}

/** A JSON token written as-is: numbers JSON.stringify cannot produce (1e-400, -0, 1e400) and invalid tokens. */
class Raw {
  readonly text: string;

  constructor(text: string) {
    this.text = text;
  }
}

/** JSON text for a value that may hold Raw tokens and own `__proto__` keys; lone surrogates come out as \ud800 escapes. */
function toJson(value: unknown): string {
  const raws: string[] = [];
  const text = JSON.stringify(value, (_key, v: unknown) => (v instanceof Raw ? `\u0000raw${raws.push(v.text) - 1}` : v)) ?? 'null';
  return raws.length === 0 ? text : text.replace(/"\\u0000raw(\d+)"/g, (_match, index: string) => raws[Number(index)]!);
}

/** encodeURIComponent, except that a lone surrogate becomes its (invalid) 3-byte UTF-8 form instead of throwing. */
function encode(text: string): string {
  let out = '';
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0xd800 && cp <= 0xdfff) {
      out += [0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f)]
        .map((byte) => `%${byte.toString(16).toUpperCase()}`).join('');
    } else {
      out += encodeURIComponent(ch);
    }
  }
  return out;
}

const LONG = 'x'.repeat(10_000);

/** Strings that stress parsers, SQL, paths and logs. Several are valid ids; that is the point. */
const TRICKY = [
  '', ' ', '\u0000', 'gpt\u0000-4o', 'line\nbreak', 'tab\there', 'del\u007f', '\u001b[31mred', '\r\nX-Injected: 1',
  '🦄', 'claude-🦄-4', '\u202egnp.exe', 'مرحبا', 'zero\u200bwidth', '\ufeffopenai', '\ud800', 'x\udfffy', 'é', 'Ω≈ç√∫',
  "' or 1=1 --", '"; drop table model_prices; --', "1'; select pg_sleep(5); --", '$1::text', "'); delete from price_overrides; --",
  '../../etc/passwd', '..', '.', '/', '//', 'a/../b', '%2e%2e%2f', '%00', '%252F', '..\\..\\windows', 'a//b',
  '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'NaN', 'Infinity', 'null', 'true', '-1', '1e308',
  '<script>alert(1)</script>', '${7*7}', '{{7*7}}', 'openai', 'anthropic', 'OpenAI', LONG,
];

/** Every JSON type, and the numbers that break naive parsers. */
const ANY_VALUE: readonly unknown[] = [
  'text', '', 0, -1, 1.5, true, false, null, [], [1, 2], {}, { nested: { deep: true } },
  new Raw('1e308'), new Raw('-1e308'), new Raw('1e400'), new Raw('-0'), new Raw('1e-400'), new Raw('9007199254740993'),
  new Raw('0.1e1'), new Raw('1E3'), '1e308', 'Infinity', '-Infinity', 'NaN', '🦄', '\u0000', '\ud800',
];

const BAD_TOKENS: readonly unknown[] = [
  -1, -0.5, 0.5, 1.5, 1e12 + 0.5, 1e13, 1e308, -1e308, Number.MAX_VALUE, 2 ** 53 + 2, new Raw('9007199254740993'),
  new Raw('1e400'), new Raw('-1e400'), '100', '', '1e3', 'Infinity', 'NaN', null, true, false, [], [5], {}, { $gt: 0 },
];

const BAD_MONEY: readonly unknown[] = [
  -1, -0.01, '-1', 'abc', '1e3', '1,5', '', ' ', true, [], {}, '1'.repeat(13), `0.${'1'.repeat(21)}`, new Raw('1e400'),
  'NaN', 'Infinity', 1e21, 1e-7, '0x10', '١٢', '1.', '.5', '++1', '2.5 USD', "0' or 1=1 --",
];

const BAD_PROVIDER: readonly unknown[] = [
  '', 'OpenAI', 'a'.repeat(65), '-openai', '.openai', 'open ai', 'open\u0000ai', 'openai\n', '🦄', 'ope\u200bnai',
  "' or 1=1 --", '"; drop table model_prices; --', '../openai', '%2e%2e%2f', 'openai/gpt-4o', '\ud800', '__proto__',
  1, 0, true, null, [], ['openai'], {}, new Raw('1e400'),
];

const BAD_MODEL: readonly unknown[] = [
  '', 'm'.repeat(513), LONG, '\u0000', 'gpt\u0000-4o', 'gpt\n4o', 'del\u007f', 'x\u001by', 'ok\r\nX-Injected: 1',
  1, -1, true, null, [], ['gpt-4o'], {}, new Raw('1e308'),
];

const BAD_CURRENCY: readonly unknown[] = [
  'usd', 'US', 'USDX', '', ' USD', '€', 'ZA\u0000', 'ZAR\n', '🦄🦄🦄', "' or 1=1 --", 1, true, null, ['ZAR'], {},
];

const BAD_AT: readonly unknown[] = [
  '2026-13-01T00:00:00Z', '2026-02-30T00:00:00Z', '2026-01-31', '2026-01-31T12:00:00', '2026-01-31 12:00:00Z',
  'yesterday', '1706702400', '', 'Infinity', '2026-01-31T25:00:00Z', '+275760-09-13T00:00:00Z', '2026-01-31T12:00:00+24:00',
  '2026-01-31T12:00:00.Z', '２０２６-01-31T12:00:00Z', '2026-01-31T12:00:00Z\u0000', "2026-01-31T12:00:00Z' or 1=1 --",
  '2026-01-31T12:00:00+0530', 'T', '-000001-01-01T00:00:00Z', 1706702400, true, null, [], {},
];

/** Times the API accepts, some at the edges of what a timestamp can hold. */
const VALID_AT = [
  '2026-01-31T12:00:00Z', '2020-01-01T00:00:00Z', '0000-01-01T00:00:00Z', '9999-12-31T23:59:59.999-23:59',
  '2026-01-31T12:00:00.123456789Z', '1970-01-01T00:00:00+00:00', '2099-06-30T12:00:00+05:30',
];

const BAD_BOOL: readonly unknown[] = ['true', 'false', 1, 0, null, 'yes', [], {}, [true], new Raw('1e400')];

const BAD_REASON: readonly unknown[] = [
  '', '   ', 'r'.repeat(201), 'a\u0000b', 'line\nbreak', 'del\u007f', '\t', 1, true, null, [], {}, ['reason'],
];

/** Query values that are not a positive whole number (or are outside every limit's range). */
const BAD_COUNT = ['0', '-1', '1.5', 'abc', '', ' ', '1e400', 'Infinity', 'NaN', '9'.repeat(400), '1,000', '0x', "1' or 1=1 --"];

/** Numbers that only look odd: each is a whole number the API may accept. */
const ODD_COUNT = ['1e2', '0x10', ' 5 ', '+5', '5.0', '007', '0b11', '0o7'];

/** Already percent-encoded path segments that try to climb, smuggle a NUL, or decode twice. */
const RAW_SEGMENTS = [
  '..', '.', '%2e%2e', '%2e%2e%2f', '..%2f..%2f', '%2F', '%252F', '%00', 'a%00b', '%0a', '%0d%0a', '%', '%zz', '%E0%A4%A',
  '%ED%A0%80', '%C0%AE%C0%AE', '%FF', ';jsessionid=1', '%3B', '%23', '%3F', "'%20or%201=1%20--", '%22%3B%20drop', 'a%2Fb',
  '%5C..%5C', '~', '!', '$', '*', '@', ':', '+', ',', '=', '(x)', "'", '%EF%BB%BF', '%E2%80%AE', '%F0%9F%A6%84',
];

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';

export interface FuzzRequest {
  route: string;
  method: Method;
  /** Exactly as sent on the wire: already percent-encoded. */
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
  /** Send the body chunked, with no Content-Length. */
  chunked?: boolean;
  /** False for the share of well-formed requests carrying random valid values. */
  malformed: boolean;
  kind: string;
  /** The field a 400 must name: set when the request breaks exactly one field. */
  field?: string;
  /** The status the breakage decides, when it decides one. */
  status?: number;
  code?: string;
}

export interface FuzzContext {
  token: string;
  /** Real (provider, model) pairs from the served catalog. */
  models: ReadonlyArray<{ provider: string; model: string }>;
  /** Providers the database knows but the config does not sync. */
  notInUse: readonly string[];
  inUse: readonly string[];
  /** What valid PUTs and DELETEs may change: never the model the test checks for an intact catalog. */
  overrideTargets: ReadonlyArray<{ provider: string; model: string }>;
}

type Part = Omit<FuzzRequest, 'route' | 'method'> & { method?: Method };
type Generator = (rng: Rng, ctx: FuzzContext) => Part;
type QueryPart = Omit<Part, 'path'> & { query: string };

const SHORT = TRICKY.filter((text) => text.length < 1000);
const strings = (pool: readonly unknown[]) => pool.filter((v): v is string => typeof v === 'string');
const segmentable = (pool: readonly unknown[]) => strings(pool).filter((v) => v.length > 0);

// ---- queries -------------------------------------------------------------------------------

interface QueryField { name: string; bad: readonly string[]; valid: (rng: Rng, ctx: FuzzContext) => string; required?: boolean }

const EXTRA_KEYS = ['foo', 'Provider', 'provider[]', 'provider[0]', '__proto__', 'constructor', 'toString', 'prototype',
  "x' or 1=1 --", '🦄', 'a.b', 'limit ', ' ', '\u0000', '$where', 'offset', 'reason', 'at', 'currency', 'model', 'status'];
const RAW_QUERY_TAILS = ['&', '&&&', '&=', '&=x', '&%=%', '&%zz=1', '&a=%E0%A4%A', '&a[b]=1', '&a[]=1&a[]=2',
  `&${'k'.repeat(2000)}=1`, '&%00=%00', '&+=+', '&%ED%A0%80=1', '&provider', '&provider=%252F'];

function queryString(pairs: Array<[string, string]>, rawTail = ''): string {
  const text = pairs.map(([k, v]) => `${encode(k)}=${encode(v)}`).join('&') + rawTail;
  return text ? `?${text}` : '';
}

function fuzzQuery(rng: Rng, ctx: FuzzContext, fields: readonly QueryField[], validShare: number): QueryPart {
  const pairs: Array<[string, string]> = fields
    .filter((f) => f.required || rng.chance(0.4))
    .map((f) => [f.name, f.valid(rng, ctx)]);
  const base = { headers: {}, query: '' };
  if (rng.chance(validShare)) return { ...base, query: queryString(pairs), kind: 'valid', malformed: false };
  const target = rng.pick(fields);
  const without = pairs.filter(([k]) => k !== target.name);
  const roll = rng.int(6);
  if (roll === 0 || (roll === 2 && !target.required)) {
    return { ...base, query: queryString([...without, [target.name, rng.pick(target.bad)]]), kind: 'wrong-value',
      malformed: true, field: `query.${target.name}`, status: 400 };
  }
  if (roll === 1) {
    const repeated: Array<[string, string]> = [[target.name, target.valid(rng, ctx)], [target.name, rng.pick(SHORT)]];
    return { ...base, query: queryString([...without, ...repeated]), kind: 'array-param', malformed: true,
      field: `query.${target.name}`, status: 400 };
  }
  if (roll === 2) {
    return { ...base, query: queryString(without), kind: 'missing', malformed: true, field: `query.${target.name}`, status: 400 };
  }
  if (roll === 3) {
    const key = rng.pick(EXTRA_KEYS.filter((k) => !fields.some((f) => f.name === k)));
    return { ...base, query: queryString([...pairs, [key, rng.pick(SHORT)]]), kind: 'unknown-key', malformed: true,
      field: `query.${key}`, status: 400 };
  }
  if (roll === 4) return { ...base, query: queryString(pairs, rng.pick(RAW_QUERY_TAILS)), kind: 'raw-query', malformed: true };
  // One value may be the 10,000-character one; the request line must stay under Node's 16 KB header limit.
  const chaos = fields.flatMap((f, i): Array<[string, string]> => (rng.chance(0.6) ? [[f.name, rng.pick(i === 0 ? TRICKY : SHORT)]] : []));
  return { ...base, query: queryString(chaos), kind: 'chaos-query', malformed: true };
}

// ---- JSON bodies ----------------------------------------------------------------------------

type Path = ReadonlyArray<string | number>;

interface BodyField {
  path: Path;
  bad: readonly unknown[];
  required?: (body: Record<string, unknown>) => boolean;
  /** Makes the containers of `path` exist before it is broken. */
  prepare?: (body: Record<string, unknown>, rng: Rng) => void;
}

interface BodyShape {
  valid: (rng: Rng, ctx: FuzzContext) => Record<string, unknown>;
  fields: readonly BodyField[];
  /** Objects that reject unknown keys, by path ([] is the body itself). */
  objects: readonly Path[];
}

interface BodyPart {
  body?: string | Buffer;
  chunked?: boolean;
  headers: Record<string, string>;
  kind: string;
  malformed: boolean;
  field?: string;
  status?: number;
  code?: string;
  /** The JSON parser, not the route, decides the answer (on admin routes, only once the token is valid). */
  parserDecides?: boolean;
}

const JSON_TYPE = { 'content-type': 'application/json' };

function containerAt(body: unknown, path: Path): Record<string | number, unknown> | undefined {
  let node = body;
  for (const step of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string | number, unknown>)[step];
  }
  return node !== null && typeof node === 'object' ? (node as Record<string | number, unknown>) : undefined;
}

function setAt(body: Record<string, unknown>, path: Path, value: unknown): void {
  const parent = containerAt(body, path.slice(0, -1));
  const key = path[path.length - 1]!;
  if (!parent) throw new Error(`fuzz generator bug: no container for ${path.join('.')}`);
  if (value === undefined) delete parent[key];
  else Object.defineProperty(parent, key, { value, enumerable: true, writable: true, configurable: true });
}

const fieldName = (prefix: Path, path: Path) => ['body', ...prefix, ...path].join('.');

const DEEP = 10_000;
let gzipBomb: Buffer | undefined;

/** A request body that breaks one thing (or, for a share, nothing). `wrap` turns the item into the body (batches). */
function fuzzBody(rng: Rng, ctx: FuzzContext, shape: BodyShape, validShare: number, prefix: Path = [],
  wrap: (item: unknown) => unknown = (item) => item): BodyPart {
  const body = shape.valid(rng, ctx);
  const send = (value: unknown, kind: string, extra: Partial<BodyPart> = {}): BodyPart =>
    ({ body: toJson(wrap(value)), headers: JSON_TYPE, kind, malformed: true, ...extra });
  if (rng.chance(validShare)) return { ...send(body, 'valid'), malformed: false };
  const kind = rng.pick(['wrong-value', 'wrong-value', 'wrong-value', 'wrong-value', 'missing', 'unknown-key', 'unknown-key',
    'chaos', 'chaos', 'bad-json', 'bad-json', 'bad-json', 'duplicate-key', 'deep', 'not-object', 'content-type',
    'charset', 'encoding', 'oversized'] as const);
  const target = rng.pick(shape.fields);
  switch (kind) {
    case 'wrong-value': {
      target.prepare?.(body, rng);
      setAt(body, target.path, rng.pick(target.bad));
      return send(body, kind, { field: fieldName(prefix, target.path), status: 400 });
    }
    case 'missing': {
      const required = shape.fields.filter((f) => f.required?.(body) && containerAt(body, f.path.slice(0, -1)));
      if (required.length === 0) return { ...send(body, 'valid'), malformed: false };
      const gone = rng.pick(required);
      setAt(body, gone.path, undefined);
      return send(body, kind, { field: fieldName(prefix, gone.path), status: 400 });
    }
    case 'unknown-key': {
      const objects = shape.objects.filter((path) => containerAt(body, path));
      const where = rng.pick(objects);
      const key = rng.pick(EXTRA_KEYS.filter((k) => !shape.fields.some((f) => f.path.join('.') === [...where, k].join('.'))));
      if (Object.hasOwn(containerAt(body, where)!, key)) return { ...send(body, 'valid'), malformed: false };
      setAt(body, [...where, key], rng.pick(ANY_VALUE));
      return send(body, kind, { field: fieldName(prefix, [...where, key]), status: 400 });
    }
    case 'chaos': {
      for (const field of shape.fields) {
        if (!rng.chance(0.4)) continue;
        field.prepare?.(body, rng);
        if (!containerAt(body, field.path.slice(0, -1))) continue;
        setAt(body, field.path, rng.chance(0.5) ? rng.pick(TRICKY) : rng.pick(ANY_VALUE));
      }
      return send(body, kind);
    }
    case 'bad-json': {
      const text = badJson(rng, toJson(wrap(body)));
      return { body: text, headers: JSON_TYPE, kind, malformed: true, parserDecides: true,
        ...(parses(text) ? {} : { status: 400, code: 'invalid_json' }) };
    }
    case 'duplicate-key': {
      const top = shape.fields.filter((f) => f.path.length === 1);
      const dup = rng.pick(top);
      const item = toJson(body);
      const text = `${item.slice(0, -1)}${item.length > 2 ? ',' : ''}${JSON.stringify(dup.path[0])}:${toJson(rng.pick(dup.bad))}}`;
      const wrapped = toJson(wrap(new Raw(text)));
      return { body: wrapped, headers: JSON_TYPE, kind, malformed: true, field: fieldName(prefix, dup.path), status: 400 };
    }
    case 'deep': {
      const roll = rng.int(3);
      if (roll === 0) return { body: '['.repeat(DEEP), headers: JSON_TYPE, kind, malformed: true, parserDecides: true, status: 400, code: 'invalid_json' };
      if (roll === 1) return { body: `${'{"a":'.repeat(DEEP)}1${'}'.repeat(DEEP)}`, headers: JSON_TYPE, kind, malformed: true };
      target.prepare?.(body, rng);
      setAt(body, target.path, new Raw(`${'['.repeat(DEEP)}${']'.repeat(DEEP)}`));
      return send(body, kind, { field: fieldName(prefix, target.path), status: 400 });
    }
    case 'not-object': {
      const text = rng.pick(['"a string"', '42', 'true', 'null', '"{\\"provider\\":\\"openai\\"}"', '-0', '1e400']);
      return { body: text, headers: JSON_TYPE, kind, malformed: true, parserDecides: true, status: 400, code: 'invalid_json' };
    }
    case 'content-type': {
      const [type, text] = rng.pick([
        ['text/plain', toJson(wrap(body))], ['application/x-www-form-urlencoded', 'provider=openai&model=gpt-4o&reason=x'],
        ['multipart/form-data; boundary=xyz', '--xyz\r\nContent-Disposition: form-data; name="reason"\r\n\r\nx\r\n--xyz--\r\n'],
        ['application/xml', '<quote><provider>openai</provider></quote>'], ['application/octet-stream', toJson(wrap(body))],
        ['application/jsonx', toJson(wrap(body))], ['json', toJson(wrap(body))], ['', toJson(wrap(body))],
      ] as const);
      return { body: text, headers: type ? { 'content-type': type } : {}, kind, malformed: true };
    }
    case 'charset': {
      // iconv strips a UTF-8 BOM, so a BOM before valid JSON may be accepted: no expectation beyond the contract.
      if (rng.chance(0.3)) return { body: `\ufeff${toJson(wrap(body))}`, headers: JSON_TYPE, kind: 'bom', malformed: true, parserDecides: true };
      const charset = rng.pick(['latin1', 'ebcdic', 'utf-16', 'utf-7', 'utf-8x', '"><script>', 'UTF-8']);
      return { body: toJson(wrap(body)), headers: { 'content-type': `application/json; charset=${charset}` }, kind,
        malformed: true, parserDecides: true };
    }
    case 'encoding': {
      const roll = rng.int(5);
      if (roll === 0) {
        gzipBomb ??= gzipSync(Buffer.alloc(4 * 1024 * 1024, 0x20));
        return { body: gzipBomb, headers: { ...JSON_TYPE, 'content-encoding': 'gzip' }, kind: 'gzip-bomb', malformed: true,
          parserDecides: true, status: 413, code: 'body_too_large' };
      }
      if (roll === 1) {
        return { body: gzipSync(toJson(wrap(body))), headers: { ...JSON_TYPE, 'content-encoding': 'gzip' }, kind: 'gzip',
          malformed: true };
      }
      const encoding = rng.pick(['gzip', 'deflate', 'br', 'compress', 'gzip, gzip', 'identity, gzip', 'x-unknown']);
      return { body: toJson(wrap(body)), headers: { ...JSON_TYPE, 'content-encoding': encoding }, kind, malformed: true,
        parserDecides: true };
    }
    case 'oversized': {
      target.prepare?.(body, rng);
      setAt(body, target.path, 'z'.repeat(1024 * 1024 + 1));
      return { body: toJson(wrap(body)), headers: JSON_TYPE, chunked: rng.chance(0.3), kind, malformed: true,
        parserDecides: true, status: 413, code: 'body_too_large' };
    }
  }
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function badJson(rng: Rng, text: string): string {
  const open = text.slice(0, -1);
  const comma = text.length > 2 ? ',' : '';
  switch (rng.int(12)) {
    case 0: return text.slice(0, 1 + rng.int(text.length - 1));
    case 1: return `${open},${text.slice(-1)}`;
    case 2: return text.replaceAll('"', "'");
    case 3: return `${open}${comma}"x":${rng.pick(['NaN', 'Infinity', '-Infinity', 'undefined', '0x10', '007', '+1', '.5', '1.', "'x'"])}${text.slice(-1)}`;
    case 4: return `/* comment */${text}`;
    case 5: return `${text}${rng.pick(['}', ']', ',', 'x', '\u0000', '{}'])}`;
    case 6: return text.replace(/"([a-z_]+)":/, '$1:');
    case 7: return '['.repeat(DEEP);
    case 8: return `{"reason" "x"}`;
    case 9: return `{"reason":"a${String.fromCharCode(1 + rng.int(31))}b"}`;
    case 10: return `{"reason":"\\x41\\u12"}`;
    default: return rng.pick([' ', '{', '}', '[', '{"', '{"a":}', '{:1}', '[,]', '\ufeff{}x']);
  }
}

// ---- the admin token -----------------------------------------------------------------------

/** Three in four carry the right token (in any accepted spelling), so the validation behind it is reached. */
function adminAuth(rng: Rng, ctx: FuzzContext): { headers: Record<string, string>; refusal?: number } {
  if (rng.chance(0.75)) {
    const scheme = rng.pick(['Bearer', 'bearer', 'BEARER']);
    return { headers: { authorization: `${scheme}${rng.pick([' ', '   ', '\t'])}${ctx.token}${rng.pick(['', ' '])}` } };
  }
  if (rng.chance(0.3)) return { headers: {}, refusal: 401 };
  const header = rng.pick([
    'Bearer not-the-admin-token', `Bearer ${ctx.token}x`, `Bearer ${ctx.token.slice(0, -1)}`, 'Bearer',
    `Basic ${Buffer.from(`admin:${ctx.token}`).toString('base64')}`, `Bearer ${ctx.token} ${ctx.token}`,
    `Bearer ${'A'.repeat(2000)}`, `Token ${ctx.token}`, "Bearer ' or 1=1 --", ctx.token, 'Bearer %00', 'Bearer ../../etc/passwd',
  ]);
  return { headers: { authorization: header }, refusal: 403 };
}

/** Without the token the answer is 401/403, whatever the body: authentication runs before the body is read. */
function admin(rng: Rng, ctx: FuzzContext, part: Part & { parserDecides?: boolean }): Part {
  const { parserDecides: _parserDecides, ...request } = part;
  const auth = adminAuth(rng, ctx);
  const headers = { ...request.headers, ...auth.headers };
  if (auth.refusal === undefined) return { ...request, headers };
  const { field: _field, code: _code, ...rest } = request;
  return { ...rest, headers, kind: `${request.kind}, no valid token`, malformed: true, status: auth.refusal };
}

// ---- routes --------------------------------------------------------------------------------

const CURRENCIES = ['USD', 'ZAR', 'EUR', 'GBP', 'XXX'];
const REASONS = ['fuzz: price check', 'vendor invoice 2026-01', 'تعديل السعر', '🦄 promo', "o'brien said so",
  '"; drop table model_prices; --', 'r'.repeat(200), '../../etc/passwd'];
const MONEY_OK = ['0', '2.5', '0.000001', '999999999999.99999999999999999999', 3, 0.15, ' 1.25 ', '15'];
const PRICE_KEYS = ['cache_read_cost_per_1m_tokens', 'cache_write_cost_per_1m_tokens', 'reasoning_cost_per_1m_tokens'];

const wellFormed = (pool: readonly unknown[]) => segmentable(pool).filter((text) => text.isWellFormed());
const pathSegments = (model: string) => model.split('/').map(encode).join('/');

const providerQ = (required = false): QueryField => ({ name: 'provider', bad: strings(BAD_PROVIDER), required,
  valid: (rng, ctx) => (rng.chance(0.9) ? rng.pick(ctx.models).provider : 'no-such-provider') });
const currencyQ: QueryField = { name: 'currency', bad: strings(BAD_CURRENCY), valid: (rng) => rng.pick(CURRENCIES) };
/** Valid times read history from PostgreSQL: kept rare, they are the expensive requests. */
const atQ: QueryField = { name: 'at', bad: strings(BAD_AT), valid: (rng) => (rng.chance(0.1) ? rng.pick(VALID_AT) : '2026-01-31T12:00:00Z') };

function withQuery(path: string, part: QueryPart): Part {
  const { query, ...rest } = part;
  return { ...rest, path: `${path}${query}` };
}

const costsList: Generator = (rng, ctx) => {
  const fields = rng.chance(0.9) ? [providerQ(true), currencyQ] : [providerQ(), currencyQ, atQ];
  const part = fuzzQuery(rng, ctx, fields, 0.12);
  // provider is optional on /costs; "required" above only keeps the catalog-sized answers rare.
  if (part.kind === 'missing' && part.field === 'query.provider') return { ...withQuery('/costs', part), kind: 'valid', malformed: false, field: undefined, status: undefined };
  return withQuery('/costs', part);
};

const costsModel: Generator = (rng, ctx) => {
  const { provider, model } = rng.pick(ctx.models);
  const good = `/costs/${encode(provider)}/${pathSegments(model)}`;
  const roll = rng.int(10);
  const plain = { headers: {}, malformed: true };
  if (roll === 0) {
    return { ...plain, path: `/costs/${encode(rng.pick(wellFormed(BAD_PROVIDER)))}/${pathSegments(model)}`, kind: 'bad-provider',
      field: 'path.provider', status: 400 };
  }
  if (roll === 1) {
    return { ...plain, path: `/costs/${encode(provider)}/${encode(rng.pick(wellFormed(BAD_MODEL)))}`, kind: 'bad-model',
      field: 'path.model', status: 400 };
  }
  if (roll === 2) {
    const raw = rng.pick(RAW_SEGMENTS);
    const path = rng.pick([`/costs/${raw}/${pathSegments(model)}`, `/costs/${encode(provider)}/${raw}`,
      `${good}/${raw}`, `/costs/${encode(provider)}/${raw}/${pathSegments(model)}`]);
    return { ...plain, path, kind: 'raw-segment' };
  }
  if (roll === 3) {
    const path = rng.pick([`/costs/${encode(provider)}//${pathSegments(model)}`, `${good}/`, `/costs//${encode(provider)}/${pathSegments(model)}`,
      `/costs/${encode(provider)}/.././${pathSegments(model)}`, `/costs/${encode(provider)}/%2F${pathSegments(model)}`, `${good}//`]);
    return { ...plain, path, kind: 'slashes' };
  }
  if (roll === 4) return { ...plain, path: `/costs/${encode(provider)}/${encode(rng.pick(TRICKY))}`, kind: 'tricky-model' };
  const spelled = rng.chance(0.2) ? rng.pick([model.toUpperCase(), `${provider}/${model}`, ` ${model}`, model.replaceAll('-', '.')]) : model;
  return withQuery(`/costs/${encode(provider)}/${pathSegments(spelled)}`, fuzzQuery(rng, ctx, [currencyQ, atQ], 0.35));
};

const historyLimit: QueryField = { name: 'limit', bad: [...BAD_COUNT, '1001'],
  valid: (rng) => (rng.chance(0.2) ? rng.pick(ODD_COUNT) : String(1 + rng.int(1000))) };
const costsHistory: Generator = (rng, ctx) => {
  const { provider, model } = rng.pick(ctx.models);
  return withQuery('/costs/history', fuzzQuery(rng, ctx, [
    { ...providerQ(true), valid: () => provider },
    { name: 'model', bad: strings(BAD_MODEL), required: true, valid: () => model },
    historyLimit,
  ], 0.12));
};

function validQuoteItem(rng: Rng, ctx: FuzzContext, atShare: number): Record<string, unknown> {
  const { provider, model } = rng.pick(ctx.models);
  const usage: Record<string, unknown> = { input_tokens: rng.int(2_000_000), output_tokens: rng.int(200_000) };
  if (rng.chance(0.05)) usage.input_tokens = 1e12;
  for (const key of ['cache_read_tokens', 'cache_write_tokens', 'reasoning_tokens']) if (rng.chance(0.2)) usage[key] = rng.int(1_000_000);
  if (rng.chance(0.1)) usage.requests = rng.int(1000);
  const item: Record<string, unknown> = { provider, model, usage };
  if (rng.chance(0.2)) item.currency = rng.pick(CURRENCIES);
  if (rng.chance(atShare)) item.at = rng.pick(VALID_AT);
  return item;
}

const tokenField = (name: string, required: boolean): BodyField =>
  ({ path: ['usage', name], bad: BAD_TOKENS, ...(required ? { required: () => true } : {}) });
const quoteFields: BodyField[] = [
  { path: ['provider'], bad: BAD_PROVIDER, required: () => true },
  { path: ['model'], bad: BAD_MODEL, required: () => true },
  { path: ['usage'], bad: ['usage', 1, [], null, true, [{}], new Raw('1e400')], required: () => true },
  tokenField('input_tokens', true), tokenField('output_tokens', false), tokenField('cache_read_tokens', false),
  tokenField('cache_write_tokens', false), tokenField('reasoning_tokens', false), tokenField('requests', false),
  { path: ['at'], bad: BAD_AT },
  { path: ['currency'], bad: BAD_CURRENCY },
];
const quoteShape: BodyShape = { valid: (rng, ctx) => validQuoteItem(rng, ctx, 0.03), fields: quoteFields, objects: [[], ['usage']] };
/** Batch items carry no `at`: each distinct time in a batch reads the whole catalog's history. */
const batchShape: BodyShape = { ...quoteShape, valid: (rng, ctx) => validQuoteItem(rng, ctx, 0) };

const costsQuote: Generator = (rng, ctx) => {
  const path = '/costs/quote';
  const roll = rng.next();
  if (roll < 0.7) return { path, ...fuzzBody(rng, ctx, quoteShape, 0.12) };
  if (roll < 0.94) {
    const others = Array.from({ length: 1 + rng.int(8) }, () => validQuoteItem(rng, ctx, 0));
    const index = rng.int(others.length);
    return { path, ...fuzzBody(rng, ctx, batchShape, 0.12, [index], (item) => others.map((other, i) => (i === index ? item : other))) };
  }
  const special = rng.int(4);
  if (special === 0) {
    const items = Array.from({ length: 1001 }, () => validQuoteItem(rng, ctx, 0));
    return { path, body: toJson(items), headers: JSON_TYPE, kind: 'batch of 1001', malformed: true, status: 413, code: 'batch_too_large' };
  }
  if (special === 1) return { path, body: '[]', headers: JSON_TYPE, kind: 'empty batch', malformed: true, field: 'body', status: 400 };
  if (special === 2) return { path, body: toJson([rng.pick(ANY_VALUE)]), headers: JSON_TYPE, kind: 'batch of junk', malformed: true, field: 'body.0', status: 400 };
  const items = Array.from({ length: 50 }, () => validQuoteItem(rng, ctx, 0));
  return { path, body: toJson(items), headers: JSON_TYPE, kind: 'valid batch of 50', malformed: false };
};

const junkQuery = (path: string): Generator => (rng) => {
  const pairs = Array.from({ length: rng.int(4) }, (_, i): [string, string] => [rng.pick(SHORT), rng.pick(i === 0 ? TRICKY : SHORT)]);
  const tail = rng.chance(0.3) ? rng.pick(RAW_QUERY_TAILS) : '';
  return { path: `${path}${queryString(pairs, tail)}`, headers: {}, kind: 'junk query', malformed: pairs.length > 0 || tail !== '' };
};

function syncShape(ctx: FuzzContext): BodyShape {
  const badProviders: unknown[] = [[], 'openai', [1], ['OpenAI'], Array<string>(201).fill('openai'), [null], [''], {}, null,
    ['no-such-provider'], [...ctx.notInUse.slice(0, 1)], ['"; drop table model_prices; --'], [`${'a'.repeat(64)}b`], ['../openai']];
  return {
    valid: (rng) => {
      const body: Record<string, unknown> = {};
      if (rng.chance(0.7)) body.providers = ctx.inUse.filter(() => rng.chance(0.5)).concat(rng.pick(ctx.inUse));
      if (rng.chance(0.5)) body.dry_run = rng.chance(0.5);
      if (rng.chance(0.5)) body.force = rng.chance(0.5);
      return body;
    },
    fields: [{ path: ['providers'], bad: badProviders }, { path: ['dry_run'], bad: BAD_BOOL }, { path: ['force'], bad: BAD_BOOL }],
    objects: [[]],
  };
}

const fxShape: BodyShape = {
  valid: (rng) => (rng.chance(0.7) ? { force: rng.chance(0.5) } : {}),
  fields: [{ path: ['force'], bad: BAD_BOOL }],
  objects: [[]],
};

const syncLog: Generator = (rng, ctx) => admin(rng, ctx, withQuery('/admin/pricing-sync/log', fuzzQuery(rng, ctx, [
  { name: 'provider', bad: ['', 'p'.repeat(65), '\u0000', 'open\u0000ai', 'line\nbreak', 'del\u007f'], valid: (r, c) => r.pick([...c.inUse, 'no-such-provider']) },
  { name: 'status', bad: ['SUCCESS', 'ok', '', 'success ', "success' or 1=1 --", 'in progress'],
    valid: (r) => r.pick(['in_progress', 'success', 'failed', 'rejected']) },
  { name: 'limit', bad: [...BAD_COUNT, '501'], valid: (r) => (r.chance(0.2) ? r.pick(ODD_COUNT) : String(1 + r.int(500))) },
], 0.15)));

const BAD_ID = ['0', '-1', '1.5', 'abc', '9007199254740993', '1e400', 'Infinity', 'NaN', '%20', ' ', "1' or 1=1 --", '1;drop', ' 1 x', '-0.5'];
const syncLogEntry: Generator = (rng, ctx) => {
  const roll = rng.int(10);
  const base = '/admin/pricing-sync/log/';
  if (roll < 5) return admin(rng, ctx, { path: `${base}${encode(rng.pick(BAD_ID))}`, headers: {}, kind: 'bad-id', malformed: true, field: 'path.id', status: 400 });
  if (roll < 7) return admin(rng, ctx, { path: `${base}${rng.pick(RAW_SEGMENTS)}`, headers: {}, kind: 'raw-segment', malformed: true });
  if (roll < 8) return admin(rng, ctx, { path: `${base}${rng.pick(ODD_COUNT).trim()}`, headers: {}, kind: 'odd-number', malformed: true });
  return admin(rng, ctx, { path: `${base}${1 + rng.int(40)}`, headers: {}, kind: 'valid', malformed: false });
};

function validTier(rng: Rng, above: number): Record<string, unknown> {
  return { above_input_tokens: above, input_cost_per_1m_tokens: rng.pick(MONEY_OK), output_cost_per_1m_tokens: rng.pick(MONEY_OK) };
}

function validOverride(rng: Rng): Record<string, unknown> {
  const state = rng.pick(['priced', 'priced', 'free', 'dynamic', 'unpriced']);
  const body: Record<string, unknown> = { reason: rng.pick(REASONS) };
  if (state !== 'priced' || rng.chance(0.7)) body.state = state;
  if (state === 'priced' || rng.chance(0.3)) {
    body.input_cost_per_1m_tokens = rng.pick(MONEY_OK);
    body.output_cost_per_1m_tokens = rng.pick(MONEY_OK);
  }
  for (const key of PRICE_KEYS) if (rng.chance(0.2)) body[key] = rng.chance(0.2) ? null : rng.pick(MONEY_OK);
  if (rng.chance(0.2)) body.request_cost = rng.pick(MONEY_OK);
  if (rng.chance(0.3)) body.tiers = [validTier(rng, 200_000), ...(rng.chance(0.3) ? [validTier(rng, 1_000_000)] : [])];
  return body;
}

const isPriced = (body: Record<string, unknown>) => body.state === undefined || body.state === 'priced';
const needTier = (body: Record<string, unknown>, rng: Rng) => {
  if (!Array.isArray(body.tiers) || body.tiers.length === 0) body.tiers = [validTier(rng, 200_000)];
};
const overrideShape: BodyShape = {
  valid: validOverride,
  fields: [
    { path: ['reason'], bad: BAD_REASON, required: () => true },
    { path: ['state'], bad: ['PRICED', 'paid', '', ' priced', 1, null, true, [], {}, ['priced']] },
    { path: ['input_cost_per_1m_tokens'], bad: BAD_MONEY, required: isPriced },
    { path: ['output_cost_per_1m_tokens'], bad: BAD_MONEY, required: isPriced },
    ...PRICE_KEYS.map((key) => ({ path: [key], bad: BAD_MONEY })),
    { path: ['request_cost'], bad: BAD_MONEY },
    { path: ['tiers'], bad: ['x', {}, [1], [null], [[]], 1, true, [{}], [{ above_input_tokens: 5, foo: 1 }],
      Array.from({ length: 11 }, (_, i) => ({ above_input_tokens: (i + 1) * 1000 }))] },
    { path: ['tiers', 0, 'above_input_tokens'], bad: [0, -1, 1.5, 1e9, 100_000_001, '5', null, true, [], {}, new Raw('1e400')],
      prepare: needTier },
    { path: ['tiers', 0, 'input_cost_per_1m_tokens'], bad: BAD_MONEY, prepare: needTier },
  ],
  objects: [[], ['tiers', 0]],
};

/** A broken override path (a quarter of the time), or the valid path of an allowed target. */
function overridePath(rng: Rng, ctx: FuzzContext): Part & { broken: boolean } {
  const { provider, model } = rng.pick(ctx.overrideTargets);
  const plain = { headers: {}, malformed: true, broken: true };
  const roll = rng.int(16);
  if (roll === 0) {
    return { ...plain, path: `/admin/prices/${encode(rng.pick(wellFormed(BAD_PROVIDER)))}/${pathSegments(model)}`, kind: 'bad-provider',
      field: 'path.provider', status: 400 };
  }
  if (roll === 1) {
    return { ...plain, path: `/admin/prices/${encode(provider)}/${encode(rng.pick(wellFormed(BAD_MODEL)))}`, kind: 'bad-model',
      field: 'path.model', status: 400 };
  }
  if (roll === 2) return { ...plain, path: `/admin/prices/${rng.pick(RAW_SEGMENTS)}/${pathSegments(model)}`, kind: 'raw-segment' };
  if (roll === 3) return { ...plain, path: `/admin/prices/${encode(provider)}/${rng.pick(RAW_SEGMENTS)}`, kind: 'raw-segment' };
  return { path: `/admin/prices/${encode(provider)}/${pathSegments(model)}`, headers: {}, kind: 'valid', malformed: false, broken: false };
}

const putPrice: Generator = (rng, ctx) => {
  const { broken, ...path } = overridePath(rng, ctx);
  if (broken) return admin(rng, ctx, { ...path, body: toJson(validOverride(rng)), headers: JSON_TYPE });
  return admin(rng, ctx, { path: path.path, ...fuzzBody(rng, ctx, overrideShape, 0.08) });
};

const deletePrice: Generator = (rng, ctx) => {
  const { broken, ...path } = overridePath(rng, ctx);
  const reason: QueryField = { name: 'reason', bad: ['', '   ', 'r'.repeat(201), '\u0000', 'a\u0000b', 'line\nbreak', 'del\u007f'],
    valid: (r) => r.pick(REASONS) };
  if (broken) return admin(rng, ctx, path);
  return admin(rng, ctx, withQuery(path.path, fuzzQuery(rng, ctx, [reason], 0.3)));
};

const JUNK_PATHS = ['/', '/costs/', '/COSTS', '/Costs', '/costs/quote/', '/costs/openai', '/admin', '/admin/', '/admin/prices',
  '/admin/prices/openai', '/.env', '/.git/config', '/%2e%2e/%2e%2e/etc/passwd', '/costs/%2e%2e/%2e%2e/admin/pricing-sync', '//costs',
  '/costs//', '/openapi.json/x', '/healthz/..', '/metrics%00', `/${encode('🦄')}`, `/${'a'.repeat(10_000)}`, '/costs/history/',
  '/admin/pricing-sync/log/', '/index.php?x=1', '/costs;x=1', '/%', '/%E0%A4%A', '/healthz%2F..%2Fadmin', '/admin%2fpricing-sync',
  '/ADMIN/pricing-sync', '/admin/../costs', '/costs/./quote', '/costs/quote%00', '/*', '/costs/*', '/(.*)', '/costs/:provider/*model'];
const WRONG_METHOD: ReadonlyArray<[Method, string]> = [['PATCH', '/costs/quote'], ['DELETE', '/costs'], ['PUT', '/healthz'],
  ['POST', '/openapi.json'], ['GET', '/admin/fx-refresh'], ['PATCH', '/admin/prices/openai/gpt-4o'], ['POST', '/costs/history'],
  ['GET', '/costs/quote'], ['POST', '/metrics'], ['DELETE', '/readyz'], ['PUT', '/admin/pricing-sync'], ['POST', '/costs/openai/gpt-4o']];

const unknownRoute: Generator = (rng, ctx) => {
  const [method, path] = rng.chance(0.5)
    ? [rng.pick(['GET', 'POST', 'PUT', 'DELETE', 'PATCH'] as const), rng.pick(JUNK_PATHS)]
    : rng.pick(WRONG_METHOD);
  const headers: Record<string, string> = rng.chance(0.5) ? { authorization: `Bearer ${ctx.token}` } : {};
  if (method === 'GET' || rng.chance(0.3)) return { method, path, headers, kind: 'unknown route', malformed: true };
  const body = rng.pick(['{"a":1}', '{bad', '[]', '{"__proto__":{"polluted":true}}', toJson(validQuoteItem(rng, ctx, 0))]);
  return { method, path, headers: { ...headers, ...JSON_TYPE }, body, kind: 'unknown route with a body', malformed: true };
};

export interface RouteSpec { route: string; method: Method; count: number; make: Generator }

export function routes(ctx: FuzzContext): RouteSpec[] {
  const sync = syncShape(ctx);
  return [
    { route: 'GET /costs', method: 'GET', count: 1100, make: costsList },
    { route: 'GET /costs/:provider/*model', method: 'GET', count: 1500, make: costsModel },
    { route: 'GET /costs/history', method: 'GET', count: 1000, make: costsHistory },
    { route: 'POST /costs/quote', method: 'POST', count: 2400, make: costsQuote },
    { route: 'GET /healthz', method: 'GET', count: 300, make: junkQuery('/healthz') },
    { route: 'GET /readyz', method: 'GET', count: 300, make: junkQuery('/readyz') },
    { route: 'GET /metrics', method: 'GET', count: 250, make: junkQuery('/metrics') },
    { route: 'GET /openapi.json', method: 'GET', count: 300, make: junkQuery('/openapi.json') },
    { route: 'POST /admin/pricing-sync', method: 'POST', count: 800,
      make: (rng, c) => admin(rng, c, { path: '/admin/pricing-sync', ...fuzzBody(rng, c, sync, 0.1) }) },
    { route: 'POST /admin/fx-refresh', method: 'POST', count: 500,
      make: (rng, c) => admin(rng, c, { path: '/admin/fx-refresh', ...fuzzBody(rng, c, fxShape, 0.1) }) },
    { route: 'GET /admin/pricing-sync/log', method: 'GET', count: 700, make: syncLog },
    { route: 'GET /admin/pricing-sync/log/:id', method: 'GET', count: 700, make: syncLogEntry },
    { route: 'PUT /admin/prices/:provider/*model', method: 'PUT', count: 1500, make: putPrice },
    { route: 'DELETE /admin/prices/:provider/*model', method: 'DELETE', count: 700, make: deletePrice },
    { route: 'unknown routes and methods', method: 'GET', count: 300, make: unknownRoute },
  ];
}

const EXTRA_HEADERS: ReadonlyArray<Record<string, string>> = [
  { 'x-request-id': "' or 1=1 --" }, { 'x-request-id': 'r'.repeat(300) }, { 'x-request-id': '../../etc/passwd' },
  { 'if-none-match': '*' }, { 'if-none-match': 'W/"catalog-1", "x"' }, { 'if-none-match': `"${'x'.repeat(1000)}` },
  { accept: 'text/html' }, { accept: 'application/xml;q=1, */*;q=0' }, { 'accept-encoding': 'gzip, br' },
  { 'x-forwarded-for': '127.0.0.1, ::1, "; drop' }, { range: 'bytes=0-10' }, { 'content-language': '../x' },
];

/** Every route's requests for `seed`, interleaved (PUTs race DELETEs and reads, as they would in production). */
export function generateRequests(seed: number, ctx: FuzzContext): FuzzRequest[] {
  const rng = new Rng(seed);
  const requests: FuzzRequest[] = [];
  for (const spec of routes(ctx)) {
    for (let i = 0; i < spec.count; i++) {
      const { method, ...part } = spec.make(rng, ctx);
      const headers = rng.chance(0.1) ? { ...rng.pick(EXTRA_HEADERS), ...part.headers } : part.headers;
      const size = part.path.length + Object.entries(headers).reduce((sum, [k, v]) => sum + k.length + v.length + 4, 0);
      // Past Node's 16 KB header limit the HTTP parser answers 431 before the app sees the request.
      if (size > 15_000) throw new Error(`fuzz generator bug: ${size} bytes of request line and headers for ${spec.route}`);
      requests.push({ route: spec.route, method: method ?? spec.method, ...part, headers });
    }
  }
  for (let i = requests.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [requests[i], requests[j]] = [requests[j]!, requests[i]!];
  }
  return requests;
}
