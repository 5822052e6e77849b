// What an upstream price source is: one module per source (models_dev.ts,
// openrouter.ts, litellm.ts, …) exports one `Source`, and registry.ts lists
// them. Config variables, the default source of a provider, the snapshot's
// known upstream ids and the catalog's `source` column all come from that list.
import type { PriceRecord, PriceState, SkippedRow, SourceResult, TokenPrices } from '../catalog/types.ts';
import { describeProblem } from './json.ts';

export interface Source {
  /** Stored in providers.source and model_prices.source: lower-case letters, digits and _. */
  readonly name: string;
  /** How people write it: "models.dev". */
  readonly title: string;
  /** The environment variable holding the source's URL, and its default. */
  readonly url: { readonly env: string; readonly default: string };
  /**
   * Providers this source feeds unless PROVIDER_SOURCES says otherwise (OpenRouter
   * feeds `openrouter`). A provider no source claims is fed by the default source.
   */
  readonly feeds?: readonly string[];
  /** The provider ids a payload of this source holds (models.dev provider ids, litellm_provider values). */
  upstreamIds(payload: unknown): string[];
  /** One provider's prices from a payload already read by parseExactJson. */
  parse(payload: unknown, upstreamId: string): SourceResult;
}

/**
 * Free only when nothing at all is charged: base input and output zero, and every
 * other price (tiers included) zero or not applicable.
 */
export function stateOf(base: TokenPrices & { request?: string | null }, tiers: readonly TokenPrices[] = []): PriceState {
  if (base.input !== '0' || base.output !== '0') return 'priced';
  const charges = [base.request ?? null, ...[base, ...tiers].flatMap((p) => [p.input, p.output, p.cache_read, p.cache_write, p.reasoning])];
  return charges.every((p) => p === null || p === '0') ? 'free' : 'priced';
}

/**
 * The parse loop every adapter shares: each upstream row becomes a record, or a
 * skipped row saying why (a malformed model is skipped, never fatal), and a
 * model id seen twice (compared as `key` says) is skipped as a repeat.
 */
export function collectRecords<T>(
  rows: Iterable<readonly [id: string, raw: T, label?: string]>,
  toRecord: (id: string, raw: T) => PriceRecord,
  key: (id: string) => string = (id) => id,
): SourceResult {
  const records: PriceRecord[] = [];
  const skipped: SkippedRow[] = [];
  /** key → how the first row with it was labelled upstream (its id, or its key in the payload). */
  const first = new Map<string, string>();
  for (const [id, raw, label = id] of rows) {
    const seen = first.get(key(id));
    if (seen !== undefined) {
      skipped.push({ model_id: id, reason: seen === label ? 'duplicate id' : `${label} repeats ${seen}` });
      continue;
    }
    first.set(key(id), label);
    try {
      records.push(toRecord(id, raw));
    } catch (error) {
      skipped.push({ model_id: id, reason: describeProblem(error) });
    }
  }
  return { records, skipped };
}
