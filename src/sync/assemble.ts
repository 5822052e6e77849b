// A provider's served records, assembled from every source that prices its
// models: its primary source's records (PROVIDER_SOURCES), each completed with
// the dimensions it leaves unpriced from the other sources that have the same
// model at the same provider (discrepancy/match.ts finds it), in FILL_ORDER.
//
// The payloads are read first (readPayloads), outside any transaction. The
// primary source must be read, or the sync fails with nothing written. A
// filling source that cannot be fetched or read is left out, and the
// dimensions it filled before are kept as stored (storedFills): an outage of
// one source never blocks the providers it only completes, nor changes a price.
import type { ProviderSource } from '../config.ts';
import { assemble, type FillDisagreement, type Filler, type PriceRecord, type SourceResult, storedFills } from '@tariff/pricing';
import { findCounterpart, recordsOf, sourceIndexes } from '../discrepancy/match.ts';
import { fillSources, sourceNamed } from '../sources/registry.ts';
import type { Source } from '../sources/source.ts';

export interface AssembledResult extends SourceResult {
  /** Dimensions two filling sources price differently (the first in FILL_ORDER is served). */
  disagreements: FillDisagreement[];
  /** Filling sources that could not be read, each with why; their earlier fills were kept. */
  unavailable: Array<{ source: string; reason: string }>;
}

/** Reads a source's whole payload (fetched upstream, or from a file). */
export type PayloadReader = (source: Source) => Promise<unknown>;

type Provider = Pick<ProviderSource, 'provider' | 'source' | 'upstream_id'>;

export interface ProviderPayloads {
  primary: SourceResult;
  /** Each filling source in FILL_ORDER, with the records matching the primary's models, or why it could not be read. */
  fillers: Array<{ source: string; matched: Map<string, PriceRecord> } | { source: string; reason: string }>;
}

export async function readPayloads(provider: Provider, read: PayloadReader): Promise<ProviderPayloads> {
  const primarySource = sourceNamed(provider.source);
  const primary = primarySource.parse(await read(primarySource), provider.upstream_id);
  const fillers: ProviderPayloads['fillers'] = [];
  // One source at a time, only its matches kept: the payloads are large.
  for (const source of fillSources(provider.provider, primarySource.name)) {
    try {
      const payload = await read(source);
      const indexes = sourceIndexes(source, provider.provider, (upstreamId) => recordsOf(source, payload, upstreamId));
      const matched = new Map<string, PriceRecord>();
      for (const record of primary.records) {
        const found = indexes.length === 0 ? null : findCounterpart(source.name, provider.provider, record.model_id, indexes);
        if (found) matched.set(record.model_id, found.record);
      }
      fillers.push({ source: source.name, matched });
    } catch (error) {
      fillers.push({ source: source.name, reason: error instanceof Error ? error.message : String(error) });
    }
  }
  return { primary, fillers };
}

/** The primary's records completed from the fillers; `stored` (the provider's stored records) stands in for an unavailable filler. */
export function assembleProvider(payloads: ProviderPayloads, stored: ReadonlyMap<string, PriceRecord> = new Map()): AssembledResult {
  const disagreements: FillDisagreement[] = [];
  const records = payloads.primary.records.map((record) => {
    const fillers: Filler[] = payloads.fillers.flatMap((filler): Filler[] => {
      const found = 'matched' in filler ? filler.matched.get(record.model_id) : kept(stored.get(record.model_id), filler.source);
      return found ? [{ source: filler.source, record: found }] : [];
    });
    const assembled = assemble(record, fillers);
    disagreements.push(...assembled.disagreements);
    return assembled.record;
  });
  const unavailable = payloads.fillers.flatMap((f) => ('reason' in f ? [{ source: f.source, reason: f.reason }] : []));
  return { ...payloads.primary, records, disagreements, unavailable };
}

function kept(stored: PriceRecord | undefined, source: string): PriceRecord | null {
  return stored ? storedFills(stored, source) : null;
}

/** readPayloads then assembleProvider, with nothing stored: the snapshot's and the tests' assembly. */
export async function assembledPrices(provider: Provider, read: PayloadReader): Promise<AssembledResult> {
  return assembleProvider(await readPayloads(provider, read));
}
