// The real bundled catalog (the snapshot), indexed as the API serves it, for
// tests of the pure pricing functions.
import { type CatalogEntry, CatalogView } from '@tariff/pricing';
import { readSnapshot } from '../../src/store/snapshot.ts';

export async function snapshotView(): Promise<CatalogView> {
  const snapshot = await readSnapshot();
  const entries: CatalogEntry[] = snapshot.providers.flatMap((provider) => provider.models.map((model) => ({
    ...model,
    provider: provider.id,
    source: 'snapshot' as const,
    effective_at: snapshot.taken_at,
    last_seen_at: null,
    removed_at: null,
    override_reason: null,
  })));
  return new CatalogView({ version: 1, changed_at: snapshot.taken_at, providers: [], entries, rates: [] });
}
