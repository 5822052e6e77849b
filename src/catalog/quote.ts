// The exact cost of one LLM call from a catalog entry and the call's usage.
//
// Rules:
// - input_tokens are the prompt tokens NOT read from or written to the cache;
//   output_tokens exclude reasoning_tokens.
// - cache_read_tokens / cache_write_tokens are billed at the cache read / write
//   prices, falling back to the input price when the model has no cache price.
// - reasoning_tokens are billed at the reasoning price, falling back to the
//   output price.
// - requests (default 1) × the request price in USD per request (0 when the
//   model has none).
// - Any other null token price means "not charged": cost 0, unit_price null.
// - Long-context tiers: the prompt size is input + cache_read + cache_write
//   tokens. When it exceeds a tier's above_tokens, the highest such tier
//   replaces the base prices for the WHOLE request; a tier field that is null
//   keeps the base price (the fallbacks above then apply to the merged prices).
// - cost = tokens × price per 1M / 1,000,000, exactly; total = sum of costs.
//   Prices are USD per 1M tokens; amounts are exact decimal strings.
// - A dynamic (priced per request upstream) or unpriced entry cannot be quoted:
//   QuoteError.
import { formatDecimal, multiply, parseDecimal, type Decimal } from '../money/decimal.ts';
import type { CatalogEntry } from './read.ts';
import type { PriceState, TokenPrices } from './types.ts';

export interface Usage {
  input_tokens: number;
  output_tokens: number;
  cache_read_tokens?: number;
  cache_write_tokens?: number;
  reasoning_tokens?: number;
  requests?: number;
}

export interface QuoteComponent {
  units: number;
  /** USD per 1M tokens, or per request for `requests`; null when not charged. */
  unit_price: string | null;
  cost_usd: string;
}

export const COMPONENTS = ['input', 'output', 'cache_read', 'cache_write', 'reasoning', 'requests'] as const;
export type ComponentName = (typeof COMPONENTS)[number];

export interface Quote {
  state: 'priced' | 'free';
  /** The long-context tier applied, or null for the base prices. */
  tier: { above_input_tokens: number } | null;
  components: Record<ComponentName, QuoteComponent>;
  total_usd: string;
}

/** The entry has no fixed price to quote (dynamic or unpriced); the API answers 422. */
export class QuoteError extends Error {
  readonly reason: string;
  readonly provider: string;
  readonly model_id: string;
  /** The entry's state: why it has no fixed price. */
  readonly state: PriceState;

  constructor(entry: CatalogEntry, reason: string) {
    super(reason);
    this.name = 'QuoteError';
    this.reason = reason;
    this.provider = entry.provider;
    this.model_id = entry.model_id;
    this.state = entry.state;
  }
}

/** One applied price: its canonical text and its coefficient at the entry's common cost exponent. */
interface Price {
  readonly text: string;
  readonly coef: bigint;
}

interface ParsedPrices {
  /** Every cost of this entry is coef × 10^exp with this one exp, so sums are plain BigInt additions. */
  readonly exp: number;
  /** Prices per component in COMPONENTS order, tier merged and fallbacks applied. */
  readonly base: readonly (Price | null)[];
  /** Highest threshold first. */
  readonly tiers: readonly { readonly above: number; readonly prices: readonly (Price | null)[] }[];
}

// Served entries are never mutated (a new catalog version brings new objects), so a parse is kept per object.
const parsedCache = new WeakMap<CatalogEntry, ParsedPrices>();
const PER_MILLION = 6;

export function quote(entry: CatalogEntry, usage: Usage): Quote {
  if (entry.state === 'dynamic') {
    throw new QuoteError(entry, `model ${entry.model_id} has dynamic pricing: its price is set per request upstream`);
  }
  if (entry.state === 'unpriced') {
    throw new QuoteError(entry, `model ${entry.model_id} has no per-token price upstream`);
  }
  const units = [
    count(usage.input_tokens, 'input_tokens'),
    count(usage.output_tokens, 'output_tokens'),
    count(usage.cache_read_tokens ?? 0, 'cache_read_tokens'),
    count(usage.cache_write_tokens ?? 0, 'cache_write_tokens'),
    count(usage.reasoning_tokens ?? 0, 'reasoning_tokens'),
    count(usage.requests ?? 1, 'requests'),
  ] as const;

  const parsed = parsedPrices(entry);
  const prompt = units[0] + units[2] + units[3];
  let prices = parsed.base;
  let tier: Quote['tier'] = null;
  for (const t of parsed.tiers) {
    if (prompt > t.above) {
      prices = t.prices;
      tier = { above_input_tokens: t.above };
      break;
    }
  }

  const exp = parsed.exp;
  const costs = [
    cost(prices[0], units[0]), cost(prices[1], units[1]), cost(prices[2], units[2]),
    cost(prices[3], units[3]), cost(prices[4], units[4]), cost(prices[5], units[5]),
  ] as const;
  return {
    state: entry.state,
    tier,
    components: {
      input: line(prices[0], units[0], costs[0], exp),
      output: line(prices[1], units[1], costs[1], exp),
      cache_read: line(prices[2], units[2], costs[2], exp),
      cache_write: line(prices[3], units[3], costs[3], exp),
      reasoning: line(prices[4], units[4], costs[4], exp),
      requests: line(prices[5], units[5], costs[5], exp),
    },
    total_usd: formatAt(costs[0] + costs[1] + costs[2] + costs[3] + costs[4] + costs[5], exp),
  };
}

/** The exact product of a USD amount and an exchange rate, e.g. for a quote in EUR. */
export function convert(amountUsd: string, rate: string): string {
  return formatDecimal(multiply(parseDecimal(amountUsd), parseDecimal(rate)));
}

function count(value: number, field: string): number {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${field} must be a non-negative integer, got ${String(value)}`);
  }
  return value;
}

function cost(price: Price | null | undefined, units: number): bigint {
  return price == null || units === 0 ? 0n : BigInt(units) * price.coef;
}

function line(price: Price | null | undefined, units: number, amount: bigint, exp: number): QuoteComponent {
  return { units, unit_price: price == null ? null : price.text, cost_usd: formatAt(amount, exp) };
}

function parsedPrices(entry: CatalogEntry): ParsedPrices {
  let parsed = parsedCache.get(entry);
  if (!parsed) {
    parsed = parseEntry(entry);
    parsedCache.set(entry, parsed);
  }
  return parsed;
}

/** A price as read, with the exponent of the cost it yields (token prices are per 1M tokens). */
interface Raw {
  readonly text: string;
  readonly d: Decimal;
  readonly costExp: number;
}

function read(text: string | null, perUnit = false): Raw | null {
  if (text === null) return null;
  const d = parseDecimal(text);
  if (d.coef < 0n) throw new RangeError(`negative price ${text}`);
  return { text: formatDecimal(d), d, costExp: perUnit ? d.exp : d.exp - PER_MILLION };
}

function parseEntry(entry: CatalogEntry): ParsedPrices {
  const request = read(entry.request, true);
  const base = applied(entry, request);
  const tiers = [...entry.tiers]
    .sort((x, y) => y.above_tokens - x.above_tokens)
    .map((tier) => ({
      above: tier.above_tokens,
      raw: applied({
        input: tier.input ?? entry.input,
        output: tier.output ?? entry.output,
        cache_read: tier.cache_read ?? entry.cache_read,
        cache_write: tier.cache_write ?? entry.cache_write,
        reasoning: tier.reasoning ?? entry.reasoning,
      }, request),
    }));

  let exp = 0;
  for (const r of [...base, ...tiers.flatMap((t) => t.raw)]) if (r) exp = Math.min(exp, r.costExp);
  const scale = (raw: (Raw | null)[]) =>
    raw.map((r) => (r === null ? null : { text: r.text, coef: r.d.coef * 10n ** BigInt(r.costExp - exp) }));
  return { exp, base: scale(base), tiers: tiers.map((t) => ({ above: t.above, prices: scale(t.raw) })) };
}

/** The price each component is billed at, fallbacks applied, in COMPONENTS order. */
function applied(p: TokenPrices, request: Raw | null): (Raw | null)[] {
  const input = read(p.input);
  const output = read(p.output);
  return [input, output, read(p.cache_read) ?? input, read(p.cache_write) ?? input, read(p.reasoning) ?? output, request];
}

/** coef × 10^exp (coef ≥ 0) in plain notation: the text formatDecimal gives, without BigInt normalisation. */
function formatAt(coef: bigint, exp: number): string {
  if (coef === 0n) return '0';
  let digits = coef.toString();
  if (exp >= 0) return digits + '0'.repeat(exp);
  let end = digits.length;
  while (exp < 0 && digits.charCodeAt(end - 1) === 48 /* '0' */) {
    end--;
    exp++;
  }
  digits = digits.slice(0, end);
  const point = digits.length + exp;
  if (exp === 0) return digits;
  return point > 0 ? `${digits.slice(0, point)}.${digits.slice(point)}` : `0.${'0'.repeat(-point)}${digits}`;
}
