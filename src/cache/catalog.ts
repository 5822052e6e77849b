// The catalog an API instance serves from memory. Everything a response needs
// is derived once per catalog version (indexes, the serialised GET /costs body).
import type { Pool } from '../db/pool.ts';
import type { Logger } from '../log.ts';
import { coalesced } from '../retry.ts';
import { CatalogView, type Models } from '@tariff/pricing';
import { readCatalog, readCatalogSince, readCatalogStamp } from '../store/read.ts';

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

export class CatalogCache {
  private view: CatalogView | undefined;
  private staleSince: Date | undefined;
  private readonly loadListeners: Array<(view: CatalogView, previous: CatalogView | undefined) => void> = [];
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
  readonly reload = coalesced(() => this.loadOnce());

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

  /** Called with each new view and the one it replaces (e.g. to build the GET /costs body before the first request needs it). */
  onLoad(listener: (view: CatalogView, previous: CatalogView | undefined) => void): void {
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
    for (const listener of this.loadListeners) listener(next, previous);
  }
}
