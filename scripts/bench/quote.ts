// Measurement 3: cost arithmetic in-process. tariff's quote() against
// @pydantic/genai-prices' calcPrice on the same 1,000 (model, usage) pairs of
// models both know, timed over many passes, and every pair compared.
import { calcPrice, findProvider, type ModelPrice } from '@pydantic/genai-prices';
import { type CatalogEntry, quote, type QuoteUsage, resolveModel } from '@tariff/pricing';
import { randomInt, seededRandom } from '../support/random.ts';

/** tariff provider id → genai-prices provider id where they differ; the rest must match exactly. */
const PROVIDER_ALIASES: Readonly<Record<string, string>> = { 'amazon-bedrock': 'aws', xai: 'x-ai' };
/** genai-prices chooses prices by date: use the day the models.dev snapshot was captured. */
export const PRICE_DATE = new Date('2026-06-13T07:27:49Z');
const PAIRS = 1_000;
const RELATIVE_TOLERANCE = 1e-9;
const TARGET_SIDE_MS = 1_500;
const ROUNDS = 5;

interface Pair {
  entry: CatalogEntry;
  genaiProvider: string;
  genaiModel: string;
  usage: QuoteUsage;
  /** The same call as genai-prices counts it: input_tokens include cache tokens, output_tokens include reasoning. */
  genaiUsage: Record<string, number>;
}

export interface Disagreement {
  provider: string;
  model_id: string;
  genai_model: string;
  usage: QuoteUsage;
  tariff_total: string;
  genai_total: number;
  reason: string;
}

export interface QuoteMeasurement {
  pairs: number;
  models: number;
  providers: string[];
  agree: number;
  disagreements: Disagreement[];
  tariffNsPerCall: number;
  tariffLookupNsPerCall: number;
  genaiNsPerCall: number;
  passes: { tariff: number; tariffLookup: number; genai: number };
}

/** The pairs: every quotable tariff model genai-prices resolves under the mapped provider, usages from a seeded PRNG. */
export function buildPairs(entries: readonly CatalogEntry[], seed: number): { pairs: Pair[]; models: number; providers: string[] } {
  const known: Array<{ entry: CatalogEntry; genaiProvider: string; genaiModel: string }> = [];
  const providers = new Set<string>();
  for (const entry of entries) {
    if (entry.removed_at !== null || (entry.state !== 'priced' && entry.state !== 'free')) continue;
    const genaiProvider = PROVIDER_ALIASES[entry.provider] ?? entry.provider;
    if (findProvider({ providerId: genaiProvider })?.id !== genaiProvider) continue;
    let result;
    try {
      result = calcPrice({ input_tokens: 1000, output_tokens: 1000 }, entry.model_id, { providerId: genaiProvider, timestamp: PRICE_DATE });
    } catch {
      continue; // a price definition genai-prices itself cannot evaluate
    }
    // Only a model of that provider itself, not one found through its fallback providers.
    if (!result || !result.provider.models.includes(result.model)) continue;
    known.push({ entry, genaiProvider, genaiModel: result.model.id });
    providers.add(`${entry.provider}→${genaiProvider}`);
  }
  if (known.length === 0) throw new Error('no model is known to both tariff and genai-prices');
  const random = seededRandom(seed);
  const pairs: Pair[] = [];
  for (let i = 0; i < PAIRS; i++) {
    const { entry, genaiProvider, genaiModel } = known[i % known.length]!;
    const long = random() < 0.1;
    const input = long ? randomInt(random, 150_000, 400_000) : randomInt(random, 0, 50_000);
    const output = randomInt(random, 0, 8_000);
    const cacheRead = random() < 0.5 ? randomInt(random, 0, 60_000) : 0;
    const cacheWrite = random() < 0.3 ? randomInt(random, 0, 20_000) : 0;
    const reasoning = random() < 0.25 ? randomInt(random, 0, 4_000) : 0;
    pairs.push({
      entry, genaiProvider, genaiModel,
      usage: { input_tokens: input, output_tokens: output, cache_read_tokens: cacheRead, cache_write_tokens: cacheWrite, reasoning_tokens: reasoning },
      genaiUsage: {
        input_tokens: input + cacheRead + cacheWrite,
        cache_read_tokens: cacheRead,
        cache_write_tokens: cacheWrite,
        output_tokens: output + reasoning,
        output_reasoning_tokens: reasoning,
      },
    });
  }
  return { pairs, models: known.length, providers: [...providers].sort() };
}

export function measureQuotes(entries: readonly CatalogEntry[], seed: number): QuoteMeasurement {
  const { pairs, models, providers } = buildPairs(entries, seed);
  const byProvider = new Map<string, Map<string, CatalogEntry>>();
  for (const entry of entries) {
    if (!byProvider.has(entry.provider)) byProvider.set(entry.provider, new Map());
    byProvider.get(entry.provider)!.set(entry.model_id, entry);
  }

  let sink = 0;
  const tariffPass = () => {
    for (const p of pairs) sink += quote(p.entry, p.usage).total_usd.length;
  };
  const tariffLookupPass = () => {
    for (const p of pairs) {
      const resolved = resolveModel(byProvider.get(p.entry.provider)!, p.entry.provider, p.entry.model_id);
      sink += quote(resolved.entry!, p.usage).total_usd.length;
    }
  };
  const genaiPass = () => {
    for (const p of pairs) sink += calcPrice(p.genaiUsage, p.entry.model_id, { providerId: p.genaiProvider, timestamp: PRICE_DATE })!.total_price;
  };
  const sides = { tariff: tariffPass, tariffLookup: tariffLookupPass, genai: genaiPass };
  const passes = { tariff: 0, tariffLookup: 0, genai: 0 };
  const totals = { tariff: 0, tariffLookup: 0, genai: 0 };
  for (const name of Object.keys(sides) as Array<keyof typeof sides>) {
    for (let i = 0; i < 5; i++) sides[name](); // warm-up
    const started = performance.now();
    sides[name]();
    passes[name] = Math.max(1, Math.round(TARGET_SIDE_MS / ROUNDS / Math.max(0.01, performance.now() - started)));
  }
  // Rounds alternate the sides, so drift in machine load touches all of them alike.
  for (let round = 0; round < ROUNDS; round++) {
    for (const name of Object.keys(sides) as Array<keyof typeof sides>) {
      const started = performance.now();
      for (let i = 0; i < passes[name]; i++) sides[name]();
      totals[name] += performance.now() - started;
    }
  }
  if (Number.isNaN(sink)) throw new Error('unreachable: keeps the timed work observable');
  const nsPerCall = (name: keyof typeof sides) => (totals[name] * 1e6) / (passes[name] * ROUNDS * pairs.length);

  const disagreements: Disagreement[] = [];
  for (const p of pairs) {
    const tariffTotal = quote(p.entry, p.usage).total_usd;
    const result = calcPrice(p.genaiUsage, p.entry.model_id, { providerId: p.genaiProvider, timestamp: PRICE_DATE })!;
    const t = Number(tariffTotal);
    const g = result.total_price;
    if (Math.abs(t - g) <= RELATIVE_TOLERANCE * Math.max(Math.abs(t), Math.abs(g)) || (t === 0 && Math.abs(g) < 1e-15)) continue;
    disagreements.push({
      provider: p.entry.provider, model_id: p.entry.model_id, genai_model: p.genaiModel, usage: p.usage,
      tariff_total: tariffTotal, genai_total: g, reason: explain(p.entry, result.model_price, p.usage),
    });
  }
  return {
    pairs: pairs.length, models, providers, agree: pairs.length - disagreements.length, disagreements,
    tariffNsPerCall: nsPerCall('tariff'), tariffLookupNsPerCall: nsPerCall('tariffLookup'), genaiNsPerCall: nsPerCall('genai'),
    passes: { tariff: passes.tariff * ROUNDS, tariffLookup: passes.tariffLookup * ROUNDS, genai: passes.genai * ROUNDS },
  };
}

const COMPARED: ReadonlyArray<[keyof QuoteUsage, 'input' | 'output' | 'cache_read' | 'cache_write' | 'reasoning', string]> = [
  ['input_tokens', 'input', 'input_mtok'],
  ['output_tokens', 'output', 'output_mtok'],
  ['cache_read_tokens', 'cache_read', 'cache_read_mtok'],
  ['cache_write_tokens', 'cache_write', 'cache_write_mtok'],
  ['reasoning_tokens', 'reasoning', 'output_reasoning_mtok'],
];

/** Why two totals differ, from the prices each side applied to the components this usage has. */
function explain(entry: CatalogEntry, prices: ModelPrice, usage: QuoteUsage): string {
  const reasons: string[] = [];
  const prompt = usage.input_tokens + (usage.cache_read_tokens ?? 0) + (usage.cache_write_tokens ?? 0);
  const tier = [...entry.tiers].sort((a, b) => b.above_tokens - a.above_tokens).find((t) => prompt > t.above_tokens);
  for (const [units, field, key] of COMPARED) {
    if (!usage[units]) continue;
    const own = (tier?.[field] ?? entry[field]);
    const theirs = prices[key];
    const theirsAt = theirs === undefined ? undefined
      : typeof theirs === 'number' ? theirs
      : theirs.tiers.reduce((price, t) => (prompt > t.start ? t.price : price), theirs.base);
    const theirTier = theirs !== undefined && typeof theirs !== 'number' ? theirs.tiers.filter((t) => prompt > t.start).at(-1) : undefined;
    if (field === 'reasoning' && theirsAt === undefined) {
      if (own !== null && own !== (tier?.output ?? entry.output)) reasons.push(`reasoning: tariff ${own} (models.dev reasoning price), genai-prices bills it as output`);
      continue;
    }
    if (own === null && theirsAt === undefined) continue;
    if (own === null || theirsAt === undefined || Number(own) !== theirsAt) {
      const tiers = [tier ? `tariff's tier above ${tier.above_tokens}` : '', theirTier ? `genai-prices' tier above ${theirTier.start}` : ''].filter(Boolean);
      reasons.push(`${field}${tiers.length > 0 ? ` (prompt ${prompt}: ${tiers.join(', ')})` : ''}: tariff ${own ?? 'none'} vs genai-prices ${theirsAt ?? 'none'}`);
    }
  }
  const extra = Object.keys(prices).filter((k) => k === 'requests_kcount');
  if (extra.length > 0) reasons.push(`genai-prices adds ${extra.join(', ')}`);
  return reasons.length > 0 ? `different price data: ${reasons.join('; ')}` : 'same prices on both sides: a rule difference (investigate)';
}
