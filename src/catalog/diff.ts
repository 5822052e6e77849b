// Compares a provider's stored prices with what its source reports now.
import type { PriceOrigin, PriceRecord, PriceTier, TokenPrices } from './types.ts';
import { TOKEN_PRICE_FIELDS } from './types.ts';

/** A stored synced price (model_prices row), decimals canonical. */
export interface StoredPrice extends PriceRecord {
  source: PriceOrigin;
  removed_at: string | null;
}

/** The price part of a record, as kept in history (decimal strings). */
export type Price = Pick<PriceRecord, 'state' | 'input' | 'output' | 'cache_read' | 'cache_write' | 'reasoning' | 'request' | 'tiers'>;

export type ChangeKind = 'added' | 'updated' | 'removed' | 'restored';

export interface PriceChange {
  model_id: string;
  change: ChangeKind;
  old_price: Price | null;
  new_price: Price | null;
}

export interface PriceDiff {
  /** Records to write: added, updated, restored, or with only their name or source changed. */
  writes: PriceRecord[];
  /** Price changes, one per model, as history records them. */
  changes: PriceChange[];
  removed: string[];
  unchanged: number;
  added: number;
  updated: number;
}

export function priceOf(record: Price): Price {
  return {
    state: record.state,
    input: record.input,
    output: record.output,
    cache_read: record.cache_read,
    cache_write: record.cache_write,
    reasoning: record.reasoning,
    request: record.request,
    tiers: record.tiers.map(tierOf),
  };
}

function tierOf(tier: PriceTier): PriceTier {
  const { above_tokens, input, output, cache_read, cache_write, reasoning } = tier;
  return { above_tokens, input, output, cache_read, cache_write, reasoning };
}

/** Decimals are canonical strings on both sides, so equal prices have equal keys. */
export function samePrice(a: Price, b: Price): boolean {
  return JSON.stringify(priceOf(a)) === JSON.stringify(priceOf(b));
}

/**
 * The diff of a provider's stored prices against a source's full list.
 * `keep` names models the source listed but could not parse: they are neither
 * updated nor removed.
 */
export function diffPrices(
  stored: ReadonlyMap<string, StoredPrice>,
  incoming: readonly PriceRecord[],
  source: PriceOrigin,
  keep: ReadonlySet<string> = new Set(),
): PriceDiff {
  const diff: PriceDiff = { writes: [], changes: [], removed: [], unchanged: 0, added: 0, updated: 0 };
  const seen = new Set<string>();
  for (const record of incoming) {
    seen.add(record.model_id);
    const current = stored.get(record.model_id);
    if (!current) {
      diff.added += 1;
      diff.writes.push(record);
      diff.changes.push({ model_id: record.model_id, change: 'added', old_price: null, new_price: priceOf(record) });
    } else if (current.removed_at !== null) {
      diff.added += 1;
      diff.writes.push(record);
      diff.changes.push({ model_id: record.model_id, change: 'restored', old_price: null, new_price: priceOf(record) });
    } else if (!samePrice(current, record)) {
      diff.updated += 1;
      diff.writes.push(record);
      diff.changes.push({ model_id: record.model_id, change: 'updated', old_price: priceOf(current), new_price: priceOf(record) });
    } else {
      diff.unchanged += 1;
      if (current.name !== record.name || current.source !== source) diff.writes.push(record);
    }
  }
  for (const [modelId, current] of stored) {
    if (current.removed_at === null && !seen.has(modelId) && !keep.has(modelId)) {
      diff.removed.push(modelId);
      diff.changes.push({ model_id: modelId, change: 'removed', old_price: priceOf(current), new_price: null });
    }
  }
  return diff;
}

export interface PriceMove {
  model_id: string;
  field: string;
  old: string;
  new: string;
  /** max(new/old, old/new): 10 means ten times dearer or cheaper. */
  factor: number;
}

/** Every non-zero price that changed (tier prices included, matched by threshold), largest move first. */
export function priceMoves(changes: readonly PriceChange[]): PriceMove[] {
  const moves: PriceMove[] = [];
  for (const { model_id, old_price, new_price } of changes) {
    if (!old_price || !new_price) continue;
    const pairs: Array<[string, TokenPrices & { request?: string | null }, TokenPrices & { request?: string | null }]> = [['', old_price, new_price]];
    for (const tier of new_price.tiers) {
      const before = old_price.tiers.find((t) => t.above_tokens === tier.above_tokens);
      if (before) pairs.push([`tier>${tier.above_tokens}.`, before, tier]);
    }
    for (const [prefix, before, after] of pairs) {
      for (const field of [...TOKEN_PRICE_FIELDS, 'request'] as const) {
        const a = before[field] ?? null;
        const b = after[field] ?? null;
        if (a === null || b === null || a === b) continue;
        // A ratio for ordering, never money: binary floats are fine here (the guard compares exactly).
        const x = Number(a);
        const y = Number(b);
        if (x === 0 || y === 0) continue;
        moves.push({ model_id, field: prefix + field, old: a, new: b, factor: Math.max(x / y, y / x) });
      }
    }
  }
  return moves.sort((m, n) => n.factor - m.factor);
}
