// Quotes straight from providers' own response bodies, in-process: tariff's
// readResponse + resolveModel + quote() against @pydantic/genai-prices'
// extractUsage + calcPrice, on the same real bodies (the API-reference
// examples in test/fixtures/responses/), timed over many passes, and every
// total compared.
import { calcPrice, extractUsage, findProvider } from '@pydantic/genai-prices';
import { type CatalogView, quote, readResponse, resolveModel } from '@tariff/pricing';
import { FORMAT_PROVIDERS, responseBodies, type ResponseBody } from '../support/responses.ts';

const TARGET_SIDE_MS = 1_000;
const ROUNDS = 5;
const RELATIVE_TOLERANCE = 1e-9;

export interface ResponseMeasurement {
  bodies: Array<{ name: string; model: string; tariff_total: string; genai_total: number | null; agree: boolean | null }>;
  tariffNsPerCall: number;
  genaiNsPerCall: number;
  passes: { tariff: number; genai: number };
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
