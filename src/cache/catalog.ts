// The catalog an API instance serves from memory. Everything a response needs
// is derived once per catalog version (indexes, the serialised GET /costs body).
import type { Pool } from '../db/pool.ts';
import type { Logger } from '../log.ts';
import {
  readCatalog, readCatalogSince, readCatalogStamp, type CatalogData, type CatalogDelta, type CatalogEntry, type ExchangeRate,
  type ProviderInfo,
} from '../catalog/read.ts';

const MEMO_LIMIT = 20_000;

type Models = ReadonlyMap<string, CatalogEntry>;

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
  private readonly bodies = new Map<string, string | Buffer>();

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
   * A response body derived from this version, serialised by the caller,
   * built on first use and kept while the version lasts (up to MEMO_LIMIT
   * bodies, so callers cannot grow it without bound). A small body is kept as
   * its string: node:http writes a string body in the same write as the
   * response's headers, where a Buffer takes a writev. A large one (GET /costs)
   * is kept encoded, so it is never encoded again.
   */
  memoText(key: string, build: () => string | Buffer): string | Buffer {
    let body = this.bodies.get(key);
    if (body === undefined) {
      const built = build();
      body = typeof built === 'string' && built.length > STRING_BODY_LIMIT ? Buffer.from(built) : built;
      if (this.bodies.size < MEMO_LIMIT) this.bodies.set(key, body);
    }
    return body;
  }
}

/** Memoised bodies up to this many characters stay strings (see memoText). */
const STRING_BODY_LIMIT = 64 * 1024;

const fragments = new WeakMap<Models, Map<string, Buffer>>();

/**
 * UTF-8 JSON derived from one provider's models, cached by the identity of its
 * model map: a version that did not change the provider shares the map, and so
 * reuses the bytes instead of serialising thousands of models again. Bytes, not
 * strings: joining fragments is then a memcpy (a string join would turn all
 * 2 MB two-byte as soon as one fragment holds a non-Latin-1 character).
 */
export function providerFragment(models: Models, key: string, build: (models: Models) => string): Buffer {
  let cached = fragments.get(models);
  if (!cached) fragments.set(models, (cached = new Map()));
  let bytes = cached.get(key);
  if (bytes === undefined) {
    bytes = Buffer.from(build(models));
    cached.set(key, bytes);
  }
  return bytes;
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

export class CatalogCache {
  private view: CatalogView | undefined;
  private inFlight: Promise<void> | undefined;
  private again = false;
  private staleSince: Date | undefined;
  private readonly loadListeners: Array<(view: CatalogView) => void> = [];
  private readonly pool: Pool;
  private readonly logger: Logger;

  constructor(pool: Pool, logger: Logger) {
    this.pool = pool;
    this.logger = logger.child({ component: 'catalog-cache' });
  }

  get loaded(): boolean {
    return this.view !== undefined;
  }

  get current(): CatalogView {
    if (!this.view) throw new Error('catalog not loaded yet');
    return this.view;
  }

  /** Set when the database could not be reached; the last good catalog is still served. */
  get stale(): Date | undefined {
    return this.staleSince;
  }

  /**
   * Reloads from the database. Calls made while a reload runs are coalesced
   * into one more reload after it, so a burst of notifications costs two reads.
   */
  reload(): Promise<void> {
    if (this.inFlight) {
      this.again = true;
      return this.inFlight;
    }
    this.inFlight = (async () => {
      try {
        do {
          this.again = false;
          await this.loadOnce();
        } while (this.again);
      } finally {
        this.inFlight = undefined;
      }
    })();
    return this.inFlight;
  }

  /** Reloads only if the database holds a newer version than the one served (the backstop check). */
  async refreshIfBehind(): Promise<boolean> {
    try {
      const stamp = await readCatalogStamp(this.pool);
      this.markFresh();
      if (this.view && stamp.version === this.view.version && stamp.synced === this.view.synced) return false;
    } catch (err) {
      this.markStale(err);
      return false;
    }
    await this.reload();
    return true;
  }

  markStale(err: unknown): void {
    if (!this.staleSince) {
      this.staleSince = new Date();
      this.logger.warn({ err }, 'database unreachable: serving the last loaded catalog, marked stale');
    }
  }

  private markFresh(): void {
    if (this.staleSince) {
      this.logger.info({ staleSince: this.staleSince }, 'database reachable again');
      this.staleSince = undefined;
    }
  }

  /** Called with each new view (e.g. to build the GET /costs body before the first request needs it). */
  onLoad(listener: (view: CatalogView) => void): void {
    this.loadListeners.push(listener);
  }

  private async loadOnce(): Promise<void> {
    const previous = this.view;
    let next: CatalogView;
    try {
      if (!previous) {
        next = new CatalogView(await readCatalog(this.pool));
      } else {
        const read = await readCatalogSince(this.pool, previous.version);
        if ('full' in read) next = new CatalogView(read.full);
        // A sync that changed no price still moves the sync counter and the providers' sync times.
        else next = read.delta.version > previous.version || (read.delta.synced ?? 0) > previous.synced ? previous.withDelta(read.delta) : previous;
      }
    } catch (err) {
      this.markStale(err);
      throw err;
    }
    this.markFresh();
    if (previous && (next.version < previous.version || (next.version === previous.version && next.synced < previous.synced))) return;
    if (next === previous) return;
    this.view = next;
    if (previous?.version !== next.version) {
      this.logger.info({ version: next.version, previous: previous?.version, models: next.modelCount }, 'catalog loaded');
    }
    for (const listener of this.loadListeners) listener(next);
  }
}
