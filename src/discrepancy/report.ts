// The discrepancy report: every priced model tariff serves for a provider in
// use, compared with the same model in every other source that lists the
// provider; which models each source could not match; and the response of
// GET /costs/discrepancies built from it (see /work/design-notes.md's shape).
import type { ProviderSource } from '../config.ts';
import { type CatalogEntry, compare, earlierPrices, parseDecimal, priceAt, type PriceRecord, type UnitId } from '@tariff/pricing';
import { SOURCES } from '../sources/registry.ts';
import type { Source } from '../sources/source.ts';
import { CLASSES, compareModel, type DiscrepancyClass, type DiscrepancyItem, type OtherModel } from './compare.ts';
import { findCounterpart, indexRecords, scopeRecords, upstreamIdsFor, type SourceIndex } from './match.ts';

export interface ProviderStats {
  /** The source the provider is fed from (never compared with itself). */
  source: string;
  /** Priced models served and compared. */
  compared: number;
  /** Per other source listing the provider: how many of them it has, and how many it has not. */
  matched: Record<string, number>;
  unmatched: Record<string, number>;
}

export interface UnmatchedModel {
  provider: string;
  model_id: string;
  source: string;
}

export interface DiscrepancyReport {
  generated_at: string;
  catalog_version: number;
  providers: Record<string, ProviderStats>;
  /** Largest spread first. */
  items: DiscrepancyItem[];
  unmatched: UnmatchedModel[];
}

/** Per `<provider>\0<model_id>`, per dimension, every price tariff has served for the model. */
export type ServedHistory = ReadonlyMap<string, ReadonlyMap<UnitId, ReadonlySet<string>>>;

export interface ReportInput {
  catalog: { version: number; entries: readonly CatalogEntry[] };
  providers: readonly ProviderSource[];
  /** Each source's whole payload, by source name; a source without one is left out. */
  payloads: ReadonlyMap<string, unknown>;
  history: ServedHistory;
  at: Date;
}

export function historyKey(provider: string, modelId: string): string {
  return `${provider}\u0000${modelId}`;
}

export function buildReport({ catalog, providers, payloads, history, at }: ReportInput): DiscrepancyReport {
  const stats: Record<string, ProviderStats> = {};
  const items: DiscrepancyItem[] = [];
  const unmatched: UnmatchedModel[] = [];
  const parsed: ParsedPayloads = new Map();
  for (const provider of providers) {
    const served = catalog.entries.filter((e) => e.provider === provider.provider && e.removed_at === null && e.state === 'priced');
    const others = SOURCES.filter((source) => source.name !== provider.source && payloads.has(source.name)).flatMap((source) => {
      const indexes = indexesFor(source, provider.provider, payloads.get(source.name), parsed);
      return indexes.length > 0 ? [{ source: source.name, indexes }] : [];
    });
    const providerStats: ProviderStats = { source: provider.source, compared: served.length, matched: {}, unmatched: {} };
    for (const { source } of others) {
      providerStats.matched[source] = 0;
      providerStats.unmatched[source] = 0;
    }
    for (const entry of served) {
      const counterparts: OtherModel[] = [];
      for (const { source, indexes } of others) {
        const found = findCounterpart(source, provider.provider, entry.model_id, indexes);
        if (!found) {
          providerStats.unmatched[source]! += 1;
          unmatched.push({ provider: provider.provider, model_id: entry.model_id, source });
          continue;
        }
        providerStats.matched[source]! += 1;
        if (found.record.state !== 'priced') continue;
        counterparts.push({ source, model_id: found.record.model_id, list: priceAt(found.record, at), superseded: earlierPrices(found.record, at) });
      }
      items.push(...compareModel({
        provider: provider.provider, model_id: entry.model_id, source: entry.source, list: priceAt(entry, at), filled: entry.filled_from,
        earlier: history.get(historyKey(provider.provider, entry.model_id)) ?? new Map(),
      }, counterparts));
    }
    stats[provider.provider] = providerStats;
  }
  items.sort(bySpread);
  return { generated_at: at.toISOString(), catalog_version: catalog.version, providers: stats, items, unmatched };
}

/** A source's records per upstream provider id, parsed once per report (null: the source does not list it). */
type ParsedPayloads = Map<string, readonly PriceRecord[] | null>;

function indexesFor(source: Source, provider: string, payload: unknown, parsed: ParsedPayloads): SourceIndex[] {
  return upstreamIdsFor(source.name, provider).flatMap((upstreamId) => {
    const key = `${source.name}\0${upstreamId}`;
    let all = parsed.get(key);
    if (all === undefined) {
      try {
        all = source.parse(payload, upstreamId).records;
      } catch {
        all = null;
      }
      parsed.set(key, all);
    }
    if (all === null) return []; // the source does not list this provider
    const records = scopeRecords(source.name, provider, all);
    return records.length > 0 ? [indexRecords(upstreamId, records)] : [];
  });
}

/** Largest spread first (a spread with a zero price, null, before all); then by provider, model and dimension. */
function bySpread(a: DiscrepancyItem, b: DiscrepancyItem): number {
  if (a.spread !== b.spread) {
    if (a.spread === null) return -1;
    if (b.spread === null) return 1;
    const order = compare(parseDecimal(b.spread), parseDecimal(a.spread));
    if (order !== 0) return order;
  }
  return (a.provider + '\u0000' + a.model_id + '\u0000' + a.dimension).localeCompare(b.provider + '\u0000' + b.model_id + '\u0000' + b.dimension);
}

export interface ReportQuery {
  provider?: string | undefined;
  dimension?: UnitId | undefined;
  min_spread?: string | undefined;
}

export interface ReportSummary {
  models_compared: number;
  matched: Record<string, number>;
  unmatched: Record<string, number>;
  disagreements: { by_dimension: Partial<Record<UnitId, number>>; by_class: Record<DiscrepancyClass, number> };
}

/** The GET /costs/discrepancies body: the report narrowed to the query, with its summary. */
export function presentReport(report: DiscrepancyReport, query: ReportQuery = {}) {
  const min = query.min_spread === undefined ? undefined : parseDecimal(query.min_spread);
  const items = report.items.filter((item) => (query.provider === undefined || item.provider === query.provider)
    && (query.dimension === undefined || item.dimension === query.dimension)
    && (min === undefined || item.spread === null || compare(parseDecimal(item.spread), min) >= 0));
  const unmatched = report.unmatched.filter((u) => query.provider === undefined || u.provider === query.provider);
  return {
    generated_at: report.generated_at,
    catalog_version: report.catalog_version,
    summary: summarize(report, items, query.provider),
    items,
    unmatched,
  };
}

export function summarize(report: DiscrepancyReport, items: readonly DiscrepancyItem[] = report.items, provider?: string): ReportSummary {
  const summary: ReportSummary = {
    models_compared: 0, matched: {}, unmatched: {},
    disagreements: { by_dimension: {}, by_class: Object.fromEntries(CLASSES.map((c) => [c, 0])) as Record<DiscrepancyClass, number> },
  };
  for (const [id, stats] of Object.entries(report.providers)) {
    if (provider !== undefined && id !== provider) continue;
    summary.models_compared += stats.compared;
    for (const [source, n] of Object.entries(stats.matched)) summary.matched[source] = (summary.matched[source] ?? 0) + n;
    for (const [source, n] of Object.entries(stats.unmatched)) summary.unmatched[source] = (summary.unmatched[source] ?? 0) + n;
  }
  for (const item of items) {
    summary.disagreements.by_dimension[item.dimension] = (summary.disagreements.by_dimension[item.dimension] ?? 0) + 1;
    summary.disagreements.by_class[item.class] += 1;
  }
  return summary;
}

/**
 * The discrepancies of `current` that `previous` did not report: a model and
 * dimension not reported before, or reported with other prices. What a
 * `discrepancy.found` event carries.
 */
export function newDiscrepancies(previous: DiscrepancyReport | null, current: DiscrepancyReport): DiscrepancyItem[] {
  const seen = new Set((previous?.items ?? []).map(signature));
  return current.items.filter((item) => !seen.has(signature(item)));
}

function signature(item: DiscrepancyItem): string {
  const sources = Object.entries(item.sources).sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, s]) => `${name}=${s.price}`);
  return [item.provider, item.model_id, item.dimension, item.served.price, ...sources].join('\u0000');
}
