// Quotes straight from providers' own response bodies, in-process: tariff's
// readResponse + resolveModel + quote() against @pydantic/genai-prices'
// extractUsage + calcPrice, on the same real bodies (the API-reference
// examples in test/fixtures/responses/), timed over many passes, and every
// total compared.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { calcPrice, extractUsage, findProvider } from '@pydantic/genai-prices';
import { type CatalogView, type Format, quote, readResponse, resolveModel } from '@tariff/pricing';
import { parseExactJson } from '../../src/sources/json.ts';
import { REPO_ROOT } from './processes.ts';

export const RESPONSES_DIR = path.join(REPO_ROOT, 'test/fixtures/responses');
/** Which tariff provider and genai-prices provider (and API flavour) quote each format's bodies. */
const FORMAT_PROVIDERS: Readonly<Partial<Record<Format, { provider: string; genai: string; flavor: string }>>> = {
  openai_chat: { provider: 'openai', genai: 'openai', flavor: 'chat' },
  openai_responses: { provider: 'openai', genai: 'openai', flavor: 'responses' },
  anthropic: { provider: 'anthropic', genai: 'anthropic', flavor: 'default' },
  gemini: { provider: 'google', genai: 'google', flavor: 'default' },
  openrouter: { provider: 'openrouter', genai: 'openrouter', flavor: 'chat' },
};
const TARGET_SIDE_MS = 1_000;
const ROUNDS = 5;
const RELATIVE_TOLERANCE = 1e-9;

export interface ResponseBody {
  name: string;
  format: Format;
  provider: string;
  /** The body as the API receives it: numbers kept as their literal text. */
  exact: unknown;
  /** The same body through plain JSON.parse, as genai-prices takes it. */
  plain: unknown;
}

export interface ResponseMeasurement {
  bodies: Array<{ name: string; model: string; tariff_total: string; genai_total: number | null; agree: boolean | null }>;
  tariffNsPerCall: number;
  genaiNsPerCall: number;
  passes: { tariff: number; genai: number };
}

/** Every fixture body whose format maps to a provider both tariff's catalog and genai-prices price. */
export function responseBodies(): ResponseBody[] {
  const bodies: ResponseBody[] = [];
  for (const format of readdirSync(RESPONSES_DIR, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name)) {
    for (const file of readdirSync(path.join(RESPONSES_DIR, format)).filter((f) => f.endsWith('.json')).sort()) {
      const text = readFileSync(path.join(RESPONSES_DIR, format, file), 'utf8');
      const fixture = JSON.parse(text) as { format: Format; body: unknown; expected?: { error?: unknown } };
      const mapping = FORMAT_PROVIDERS[fixture.format];
      if (!mapping || fixture.expected?.error !== undefined) continue;
      const exact = (parseExactJson(text) as { body: unknown }).body;
      bodies.push({ name: `${format}/${file.replace(/\.json$/, '')}`, format: fixture.format, provider: mapping.provider, exact, plain: fixture.body });
    }
  }
  return bodies;
}

/** One quote from a body, as POST /costs/quote with `response` computes it. */
function tariffTotal(view: CatalogView, body: ResponseBody): { model: string; total: string } | null {
  const reading = readResponse(body.exact, body.format);
  const models = view.byProvider.get(body.provider);
  if (!models || !reading.model) return null;
  const resolved = resolveModel(models, body.provider, reading.model);
  if (!resolved.entry) return null;
  try {
    return { model: resolved.entry.model_id, total: quote(resolved.entry, reading.counts, undefined, reading.service_tier).total_usd };
  } catch {
    return null;
  }
}

function genaiTotal(body: ResponseBody): number | null {
  const mapping = FORMAT_PROVIDERS[body.format]!;
  const provider = findProvider({ providerId: mapping.genai });
  if (!provider) return null;
  try {
    const extracted = extractUsage(provider, body.plain, mapping.flavor);
    if (extracted.model === null) return null;
    return calcPrice(extracted.usage, extracted.model, { providerId: mapping.genai })?.total_price ?? null;
  } catch {
    return null;
  }
}

export function measureResponseQuotes(view: CatalogView): ResponseMeasurement {
  const quotable = responseBodies().flatMap((body) => {
    const tariff = tariffTotal(view, body);
    return tariff ? [{ body, tariff }] : [];
  });
  if (quotable.length === 0) throw new Error('no response body resolves to a quotable model in the catalog');
  const bodies = quotable.map(({ body, tariff }) => {
    const genai = genaiTotal(body);
    const agree = genai === null ? null : Math.abs(genai - Number(tariff.total)) <= RELATIVE_TOLERANCE * Math.max(Math.abs(genai), 1e-12);
    return { name: body.name, model: tariff.model, tariff_total: tariff.total, genai_total: genai, agree };
  });
  const timed = quotable.map((q) => q.body);

  const calibrate = (run: () => void): number => {
    let passes = 1;
    for (;;) {
      const started = performance.now();
      for (let i = 0; i < passes; i++) run();
      const ms = performance.now() - started;
      if (ms > 50) return Math.max(1, Math.round((passes * TARGET_SIDE_MS) / ms / ROUNDS));
      passes *= 2;
    }
  };
  const tariffPass = () => { for (const body of timed) tariffTotal(view, body); };
  const genaiPass = () => { for (const body of timed) genaiTotal(body); };
  for (let i = 0; i < 5; i++) { tariffPass(); genaiPass(); }
  const passes = { tariff: calibrate(tariffPass), genai: calibrate(genaiPass) };
  let tariffMs = 0;
  let genaiMs = 0;
  for (let round = 0; round < ROUNDS; round++) {
    let started = performance.now();
    for (let i = 0; i < passes.tariff; i++) tariffPass();
    tariffMs += performance.now() - started;
    started = performance.now();
    for (let i = 0; i < passes.genai; i++) genaiPass();
    genaiMs += performance.now() - started;
  }
  const calls = (n: number) => n * ROUNDS * timed.length;
  return {
    bodies,
    tariffNsPerCall: (tariffMs * 1e6) / calls(passes.tariff),
    genaiNsPerCall: (genaiMs * 1e6) / calls(passes.genai),
    passes: { tariff: passes.tariff * ROUNDS, genai: passes.genai * ROUNDS },
  };
}
