import {
  AmbiguousFormatError, InconsistentUsageError, INPUT_BUCKETS, normalizeResponse, TOKEN_BUCKETS, type Usage,
} from '@tariff/pricing';
import { loadFixtures, n, type Fixture } from './fixtures.ts';

const byJsonParse = loadFixtures('json');
const byExactParse = loadFixtures('exact');

/** Bare usage objects whose fields other formats share: detection must ask, naming these formats. */
const AMBIGUOUS: Record<string, string[]> = {
  'openai_chat/prompt_caching_usage': ['openai_chat', 'openrouter'],
};

const succeeding = (fixtures: Fixture[]) => fixtures.filter((f) => !('error' in f.expected));
const failing = (fixtures: Fixture[]) => fixtures.filter((f) => 'error' in f.expected);

describe("the providers' published responses", () => {
  test('there are published examples for every format the fixtures cover, two or more each', () => {
    const perFormat = new Map<string, number>();
    for (const f of byJsonParse) perFormat.set(f.format, (perFormat.get(f.format) ?? 0) + 1);
    for (const [, count] of perFormat) expect(count).toBeGreaterThanOrEqual(2);
    expect([...perFormat.keys()].sort()).toEqual(['anthropic', 'gemini', 'openai_chat', 'openai_responses', 'openrouter']);
  });

  describe.each([['JSON.parse', byJsonParse], ['parseExactJson', byExactParse]] as const)('parsed with %s', (_, fixtures) => {
    test.each(succeeding(fixtures).map((f) => [f.name, f] as const))('%s decomposes to its expected usage', (_name, f) => {
      expect(normalizeResponse(f.body, f.format)).toEqual({ format: f.format, ...f.expected });
    });

    test.each(failing(fixtures).map((f) => [f.name, f] as const))('%s is refused, naming the fields that disagree', (_name, f) => {
      const error = catchError(() => normalizeResponse(f.body, f.format));
      expect(error).toBeInstanceOf(InconsistentUsageError);
      expect((error as InconsistentUsageError).fields).toEqual(f.expected.fields);
    });
  });

  test.each(byJsonParse.map((f) => [f.name, f] as const))('%s is read as its own format when no format is named', (name, f) => {
    const ambiguous = AMBIGUOUS[name];
    if (ambiguous) {
      const error = catchError(() => normalizeResponse(f.body));
      expect(error).toBeInstanceOf(AmbiguousFormatError);
      expect((error as AmbiguousFormatError).candidates).toEqual(ambiguous);
    } else if ('error' in f.expected) {
      expect(catchError(() => normalizeResponse(f.body))).toBeInstanceOf(InconsistentUsageError);
    } else {
      expect(normalizeResponse(f.body).format).toBe(f.format);
    }
  });

  test.each(succeeding(byExactParse).map((f) => [f.name, f] as const))(
    "%s: the buckets add up to the provider's own prompt, output and total counts",
    (_name, f) => {
      const usage = normalizeResponse(f.body, f.format).usage;
      const reported = reportedTotals(f);
      expect(inputSide(usage)).toBe(reported.input);
      expect(outputSide(usage)).toBe(reported.output);
      if (reported.total !== undefined) expect(inputSide(usage) + outputSide(usage)).toBe(reported.total);
    },
  );
});

/** What the provider itself says the prompt side, the output side and the whole call came to. */
function reportedTotals(f: Fixture): { input: number; output: number; total?: number } {
  const body = f.body as Record<string, unknown>;
  // The usage object, whether the body is a full response or only its usage.
  const u = (wrapper: string) => (k: string) => n(((body[wrapper] ?? body) as Record<string, unknown>)[k]);
  const total = (wrapper: string, k: string) => {
    const value = ((body[wrapper] ?? body) as Record<string, unknown>)[k];
    return value === undefined ? undefined : n(value);
  };
  switch (f.format) {
    case 'openai_chat':
    case 'openrouter': {
      const c = u('usage');
      return { input: c('prompt_tokens'), output: c('completion_tokens'), total: total('usage', 'total_tokens') };
    }
    case 'openai_responses': {
      const c = u('usage');
      return { input: c('input_tokens'), output: c('output_tokens'), total: total('usage', 'total_tokens') };
    }
    case 'anthropic': {
      const c = u('usage');
      return { input: c('input_tokens') + c('cache_read_input_tokens') + c('cache_creation_input_tokens'), output: c('output_tokens') };
    }
    case 'gemini': {
      const c = u('usageMetadata');
      return {
        input: c('promptTokenCount') + c('toolUsePromptTokenCount'),
        output: c('candidatesTokenCount') + c('thoughtsTokenCount'),
        total: total('usageMetadata', 'totalTokenCount'),
      };
    }
    case 'bedrock_converse': {
      const c = u('usage');
      return { input: c('inputTokens') + c('cacheReadInputTokens') + c('cacheWriteInputTokens'), output: c('outputTokens'), total: total('usage', 'totalTokens') };
    }
  }
}

function inputSide(usage: Usage): number {
  return INPUT_BUCKETS.reduce((acc, bucket) => acc + (usage[bucket] ?? 0), 0);
}

function outputSide(usage: Usage): number {
  return TOKEN_BUCKETS.filter((b) => !INPUT_BUCKETS.includes(b)).reduce((acc, bucket) => acc + (usage[bucket] ?? 0), 0);
}

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
