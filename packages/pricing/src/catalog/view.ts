// A catalog version held in memory: its models indexed by provider and id, its
// exchange rates by currency pair, and the response bodies derived from it,
// built once per version. The API serves from one; so does the client.
import type { CatalogData, CatalogDelta, CatalogEntry, ExchangeRate, ProviderInfo } from './types.ts';

const MEMO_LIMIT = 20_000;

export type Models = ReadonlyMap<string, CatalogEntry>;

export class CatalogView {
  readonly version: number;
  readonly changedAt: string;
  readonly etag: string;
  /** Successful syncs so far (catalog_version.synced): what, with the version, GET /costs's body depends on. */
  readonly synced: number;
  /** GET /costs's ETag: its body also holds each provider's last sync time, which moves without a new version. */
  readonly costsEtag: string;
  readonly providers: readonly ProviderInfo[];
  /** provider → model_id → entry, each provider's models in model_id order */
  readonly byProvider: ReadonlyMap<string, Models>;
  readonly rates: ReadonlyMap<string, ExchangeRate>;
  readonly modelCount: number;
  private readonly bodies = new Map<string, string | Uint8Array | readonly Uint8Array[]>();

  constructor(data: CatalogData | (Omit<CatalogData, 'entries'> & { byProvider: ReadonlyMap<string, Models> })) {
    this.version = data.version;
    this.changedAt = data.changed_at;
    this.etag = `"catalog-${data.version}"`;
    this.synced = data.synced ?? 0;
    this.costsEtag = `"catalog-${data.version}.${this.synced}"`;
    this.providers = data.providers;
    this.byProvider = 'byProvider' in data ? data.byProvider : index(data.entries);
    this.rates = new Map(data.rates.map((rate) => [`${rate.base}/${rate.quote}`, rate]));
    let count = 0;
    for (const models of this.byProvider.values()) count += models.size;
    this.modelCount = count;
  }

  /**
   * The next version from this one and a delta: only the changed providers'
   * model maps are rebuilt; the others are shared with this view (and so are
   * their cached JSON fragments, see providerFragment).
   */
  withDelta(delta: CatalogDelta): CatalogView {
    const byProvider = new Map(this.byProvider);
    const touched = new Map<string, Map<string, CatalogEntry>>();
    const modelsOf = (provider: string) => {
      let models = touched.get(provider);
      if (!models) {
        models = new Map(byProvider.get(provider));
        touched.set(provider, models);
      }
      return models;
    };
    for (const { provider, model_id } of delta.deleted) modelsOf(provider).delete(model_id);
    for (const entry of delta.upserts) modelsOf(entry.provider).set(entry.model_id, entry);
    for (const [provider, models] of touched) {
      if (models.size === 0) byProvider.delete(provider);
      else byProvider.set(provider, new Map([...models].sort(([a], [b]) => compareIds(a, b))));
    }
    const { upserts: _upserts, deleted: _deleted, ...rest } = delta;
    return new CatalogView({ ...rest, byProvider });
  }

  /**
   * A response body derived from this version, built on first use and kept
   * while the version lasts (up to MEMO_LIMIT bodies, so callers cannot grow it
   * without bound).
   */
  memo<T extends string | Uint8Array | readonly Uint8Array[]>(key: string, build: () => T): T {
    let body = this.bodies.get(key) as T | undefined;
    if (body === undefined) {
      body = build();
      if (this.bodies.size < MEMO_LIMIT) this.bodies.set(key, body);
    }
    return body;
  }
}

function index(entries: readonly CatalogEntry[]): Map<string, Models> {
  const byProvider = new Map<string, Map<string, CatalogEntry>>();
  for (const entry of entries) {
    let models = byProvider.get(entry.provider);
    if (!models) byProvider.set(entry.provider, (models = new Map()));
    models.set(entry.model_id, entry);
  }
  return byProvider;
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

