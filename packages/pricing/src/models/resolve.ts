// Resolves a model id the way callers send it to one catalog entry of a provider.
//
// - exact: the id as stored.
// - alias: the id with a `<provider>/` prefix (OpenRouter style), and/or in
//   another letter case.
// - normalized: a trailing snapshot date (`-2024-08-06`, `-20241022`,
//   `@20250514`) resolves to the entry of that model and date in any of those
//   forms, otherwise to the undated base model, if the provider has it.
// - rule: for entries whose source publishes a `match` rule (genai-prices),
//   the first such entry in the source's order whose rule matches the
//   lower-cased id. The source decides those rules; no other entry is ever
//   matched this way.
// Nothing else is stripped: an id never matches a different model by a loose
// prefix or suffix (`gpt-4` is not `gpt-4o`, `x:free` is not `x`). An unknown id
// gets up to five suggestions instead.
import type { CatalogEntry } from '../catalog/types.ts';
import { matchesRule } from './rules.ts';

export type Resolution =
  | { entry: CatalogEntry; matched_by: 'exact' | 'alias' | 'normalized' | 'rule' }
  | { entry: null; suggestions: string[] };

interface Index {
  /** lower-cased id → entry; null when two ids differ only by case, so neither is guessed. */
  readonly lower: Map<string, CatalogEntry | null>;
  /** `<lower-cased base>@<YYYYMMDD>` → the dated entry. */
  readonly dated: Map<string, CatalogEntry>;
  /** Every id in sorted order, with what suggest() compares it by. */
  readonly candidates: readonly Candidate[];
  /** Entries carrying their source's match rule, in the source's order. */
  readonly ruled: readonly CatalogEntry[];
}

interface Candidate {
  readonly id: string;
  readonly lower: string;
  /** After the last `/`; null when the id has none. */
  readonly tail: string | null;
  /** Without its trailing date; null when it has none. */
  readonly undated: string | null;
  readonly tokens: ReadonlySet<string>;
}

const indexes = new WeakMap<ReadonlyMap<string, CatalogEntry>, Index>();

// A trailing date after `-` or `@`: YYYY-MM-DD or YYYYMMDD, never a mix of the two.
const DATED = /^(.+)[-@](?:(20\d\d)-(\d\d)-(\d\d)|(20\d\d)(\d\d)(\d\d))$/;

const MAX_SUGGESTIONS = 5;

export function resolveModel(models: ReadonlyMap<string, CatalogEntry>, provider: string, requested: string): Resolution {
  const exact = models.get(requested);
  if (exact) return { entry: exact, matched_by: 'exact' };

  const index = indexFor(models);
  const lower = requested.toLowerCase();
  const prefix = `${provider.toLowerCase()}/`;
  const forms = lower.startsWith(prefix) && lower.length > prefix.length ? [lower, lower.slice(prefix.length)] : [lower];

  for (const id of forms) {
    const entry = index.lower.get(id);
    if (entry) return { entry, matched_by: 'alias' };
  }
  for (const id of forms) {
    const dated = splitDate(id);
    if (!dated) continue;
    const entry = index.dated.get(`${dated.base}@${dated.date}`) ?? index.lower.get(dated.base);
    if (entry) return { entry, matched_by: 'normalized' };
  }
  for (const id of forms) {
    const entry = index.ruled.find((candidate) => matchesRule(candidate.match!, id));
    if (entry) return { entry, matched_by: 'rule' };
  }
  return { entry: null, suggestions: suggest(index, forms[forms.length - 1] ?? lower) };
}

/** The base and compact date of an id ending in a plausible date, else null. */
function splitDate(lowerId: string): { base: string; date: string } | null {
  const match = DATED.exec(lowerId);
  if (!match) return null;
  const [, base = '', y1, m1, d1, y2, m2, d2] = match;
  const year = y1 ?? y2 ?? '';
  const month = m1 ?? m2 ?? '';
  const day = d1 ?? d2 ?? '';
  if (month < '01' || month > '12' || day < '01' || day > '31') return null;
  return { base, date: year + month + day };
}

function indexFor(models: ReadonlyMap<string, CatalogEntry>): Index {
  let index = indexes.get(models);
  if (index) return index;
  const lower = new Map<string, CatalogEntry | null>();
  const dated = new Map<string, CatalogEntry>();
  const candidates: Candidate[] = [];
  const ruled: CatalogEntry[] = [];
  // Sorted so that which of two same-date ids (`x-20250101`, `x@20250101`) wins does not depend on map order.
  for (const id of [...models.keys()].sort()) {
    const entry = models.get(id);
    if (!entry) continue;
    const key = id.toLowerCase();
    lower.set(key, lower.has(key) ? null : entry);
    const split = splitDate(key);
    if (split && !dated.has(`${split.base}@${split.date}`)) dated.set(`${split.base}@${split.date}`, entry);
    candidates.push({ id, lower: key, tail: tailOf(key), undated: split?.base ?? null, tokens: new Set(tokens(key)) });
    if (entry.match) ruled.push(entry);
  }
  // Stable: entries without a position keep id order after the positioned ones.
  ruled.sort((a, b) => (a.match_index ?? Number.MAX_SAFE_INTEGER) - (b.match_index ?? Number.MAX_SAFE_INTEGER));
  index = { lower, dated, candidates, ruled };
  indexes.set(models, index);
  return index;
}

/**
 * The provider's ids closest to `query` (lower-cased): edit distance (optimal string
 * alignment; also, for 1 more, between the parts after the last `/` and against the id
 * without its date), less a bonus of up to 1 for the share of `-/._:@`-separated
 * tokens in common; each distance at most 40% of the length compared. Best first, ties by id.
 */
function suggest(index: Index, query: string): string[] {
  const limit = limitFor(query);
  const queryTokens = new Set(tokens(query));
  const queryTail = tailOf(query) ?? query;
  const tailLimit = limitFor(queryTail);
  const scored: { id: string; score: number }[] = [];
  for (const c of index.candidates) {
    let distance = within(query, c.lower, limit + 1);
    if (c.tail !== null || queryTail !== query) distance = Math.min(distance, within(queryTail, c.tail ?? c.lower, tailLimit) + 1);
    if (c.undated !== null) distance = Math.min(distance, within(query, c.undated, limit) + 1);
    if (distance === Infinity) continue;
    const score = distance - tokenOverlap(queryTokens, c.tokens);
    if (score <= limit) scored.push({ id: c.id, score });
  }
  scored.sort((a, b) => a.score - b.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return scored.slice(0, MAX_SUGGESTIONS).map((s) => s.id);
}

function limitFor(text: string): number {
  return Math.max(2, Math.ceil(text.length * 0.4));
}

function tokens(id: string): string[] {
  return id.split(/[-/._:@]+/).filter(Boolean);
}

function tailOf(id: string): string | null {
  const slash = id.lastIndexOf('/');
  return slash < 0 ? null : id.slice(slash + 1);
}

/** |shared tokens| / |all tokens|, in [0, 1]. */
function tokenOverlap(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  let shared = 0;
  for (const t of b) if (a.has(t)) shared++;
  const union = a.size + b.size - shared;
  return union === 0 ? 0 : shared / union;
}

// Rows of the edit-distance table, reused across calls (suggest() is synchronous).
let rows = [new Int32Array(64), new Int32Array(64), new Int32Array(64)] as const;

/**
 * Damerau–Levenshtein distance (optimal string alignment: an adjacent swap counts 1),
 * or Infinity as soon as it must exceed `max`.
 */
function within(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return Infinity;
  if (rows[0].length <= b.length) rows = [new Int32Array(b.length + 1), new Int32Array(b.length + 1), new Int32Array(b.length + 1)];
  let [before, previous, current] = rows;
  for (let j = 0; j <= b.length; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    const ai = a.charCodeAt(i - 1);
    current[0] = i;
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const bj = b.charCodeAt(j - 1);
      let value = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (ai === bj ? 0 : 1));
      if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === bj) value = Math.min(value, before[j - 2]! + 1);
      current[j] = value;
      if (value < rowMin) rowMin = value;
    }
    if (rowMin > max) return Infinity;
    [before, previous, current] = [previous, current, before];
  }
  const distance = previous[b.length]!;
  return distance > max ? Infinity : distance;
}
