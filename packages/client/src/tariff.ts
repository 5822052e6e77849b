// The client: tariff's catalog held in memory, quoted synchronously with the
// pricing core the server runs (@tariff/pricing), so an answer is the one the
// server gives for the same request at the same catalog version.
import { EventEmitter } from 'node:events';
import {
  type CatalogView, modelBody, modelPath, modelQuery, parseQuoteBody, parseRequest, plainModelRequest, quoteJson, batchJson,
  type ExchangeRate,
} from '@tariff/pricing';
import { readCacheFile, writeCacheFile } from './cache_file.ts';
import { applyDelta, type CatalogDeltaBody, type ModelKey, viewOf, withRates } from './catalog.ts';
import { answering, RemoteOnlyError } from './errors.ts';
import { Follower } from './follow.ts';
import { remoteClient, type RemoteClient } from './remote.ts';
import type { StreamEvent } from './sse.ts';

export interface ConnectOptions {
  /** Follow GET /costs/changes, applying each change as it commits. */
  live?: boolean;
  /** Start from this file when the server is unreachable; written atomically after each change. */
  cacheFile?: string;
  /** Reconnect backoff of the change stream (defaults 250 ms, 10 s). */
  minBackoffMs?: number;
  maxBackoffMs?: number;
}

export interface ChangeEvent {
  version: number;
  previous: number;
  changed: ModelKey[];
  removed: ModelKey[];
  /** True when the client reloaded the whole catalog (a reset, or a gap the server could not compute). */
  full: boolean;
}

/** A quote as POST /costs/quote answers it (the fields every quote has; the rest as the server sends them). */
export interface QuoteAnswer {
  provider: string;
  model_id: string;
  catalog_version: number;
  stale: boolean;
  total_usd: string;
  [field: string]: unknown;
}

export class Tariff {
  readonly url: string;
  /** A typed client of every route, for what only the server answers (prices at a past time, history). */
  readonly remote: RemoteClient;
  private view: CatalogView;
  private serverStale: boolean;
  private disconnectedAt: Date | undefined;
  private lastEvent: Date | undefined;
  private follower: Follower | undefined;
  private applying: Promise<void> = Promise.resolve();
  private readonly events = new EventEmitter();
  private readonly options: ConnectOptions;

  private constructor(url: string, view: CatalogView, serverStale: boolean, fromFile: boolean, options: ConnectOptions) {
    this.url = url;
    this.view = view;
    this.serverStale = serverStale;
    this.options = options;
    this.remote = remoteClient(url);
    if (fromFile) this.disconnectedAt = new Date();
  }

  /**
   * Loads the catalog from the server at `url` (or, when it is unreachable, from
   * `cacheFile`), and with `live` follows its changes. Fails, naming the URL it
   * tried, when neither is available.
   */
  static async connect(url: string, options: ConnectOptions = {}): Promise<Tariff> {
    const base = url.replace(/\/+$/, '');
    let tariff: Tariff;
    try {
      const body = await fetchDelta(base, 0);
      tariff = new Tariff(base, viewOf(body), body.stale, false, options);
      if (options.cacheFile) await writeCacheFile(options.cacheFile, tariff.view);
    } catch (err) {
      if (!options.cacheFile) throw new Error(`tariff: cannot load the catalog from ${base}/costs?since=0 and no cacheFile was given`, { cause: err });
      let view: CatalogView;
      try {
        view = await readCacheFile(options.cacheFile);
      } catch (fileErr) {
        throw new Error(`tariff: cannot load the catalog from ${base}/costs?since=0 nor from ${options.cacheFile}`, { cause: new AggregateError([err, fileErr]) });
      }
      tariff = new Tariff(base, view, false, true, options);
    }
    if (options.live) tariff.follow();
    return tariff;
  }

  /** The catalog version held. */
  get version(): number {
    return this.view.version;
  }

  /** True while the client cannot hear of changes (a live client disconnected, or started from the cache file). */
  get stale(): boolean {
    return this.disconnectedAt !== undefined;
  }

  /** Since when the client has been stale. */
  get staleSince(): Date | undefined {
    return this.disconnectedAt;
  }

  /** When the last event of the change stream arrived. */
  get lastEventAt(): Date | undefined {
    return this.lastEvent;
  }

  /**
   * What POST /costs/quote answers for `request` (one quote, or a batch), from
   * the catalog held. Throws TariffError with the server's status, code and
   * details for what it would refuse, and RemoteOnlyError for `at`.
   */
  quote(request: unknown): QuoteAnswer {
    return JSON.parse(answering(() => {
      const parsed = parseQuoteBody(request);
      const view = this.view;
      const stale = this.stale || this.serverStale;
      if (Array.isArray(parsed)) {
        if (parsed.some((item) => item.at)) throw remoteOnly('POST /costs/quote');
        return batchJson(parsed, () => view, stale);
      }
      if (parsed.at) throw remoteOnly('POST /costs/quote');
      return quoteJson(view, parsed, stale);
    })) as QuoteAnswer;
  }

  /** The record GET /costs/:provider/:model serves (converted with `currency`, from the rates held). */
  price(provider: string, model: string, query: { currency?: string; at?: string } = {}): Record<string, unknown> {
    return JSON.parse(answering(() => {
      const plain = plainModelRequest(provider, model, query);
      const path = plain?.path ?? parseRequest(modelPath, { provider, model }, 'path');
      const { currency, at } = plain?.query ?? parseRequest(modelQuery, query, 'query');
      if (at) throw remoteOnly('GET /costs/{provider}/{model}');
      const view = this.view;
      const { key, build } = modelBody(view, path.provider, path.model, currency, this.stale || this.serverStale);
      return view.memo(key, () => JSON.stringify(build()));
    })) as Record<string, unknown>;
  }

  /** The exchange rates held, by currency pair (USD/ZAR). */
  get rates(): ReadonlyMap<string, ExchangeRate> {
    return this.view.rates;
  }

  on(event: 'change', listener: (change: ChangeEvent) => void): this;
  on(event: 'error', listener: (err: Error) => void): this;
  on(event: 'change' | 'error', listener: Listener): this {
    this.events.on(event, listener as (...args: unknown[]) => void);
    return this;
  }

  off(event: 'change' | 'error', listener: Listener): this {
    this.events.off(event, listener as (...args: unknown[]) => void);
    return this;
  }

  /** Stops following changes and waits for the last change being applied. */
  async close(): Promise<void> {
    await this.follower?.stop();
    this.follower = undefined;
    await this.applying;
  }

  private follow(): void {
    this.follower = new Follower({
      url: this.url,
      lastEventId: () => String(this.view.version),
      onOpen: () => {
        this.disconnectedAt = undefined;
      },
      onLost: () => {
        this.disconnectedAt ??= new Date();
      },
      onEvent: (event) => this.apply(event),
      minBackoffMs: this.options.minBackoffMs ?? 250,
      maxBackoffMs: this.options.maxBackoffMs ?? 10_000,
    });
  }

  /** Applies events one at a time, in order. */
  private apply(event: StreamEvent): Promise<void> {
    this.lastEvent = new Date();
    this.applying = this.applying.then(() => this.applyOne(event)).catch((err: unknown) => {
      this.disconnectedAt ??= new Date();
      this.report(err);
    });
    return this.applying;
  }

  private async applyOne(event: StreamEvent): Promise<void> {
    if (event.event === 'fx') {
      const { version, rates } = JSON.parse(event.data) as { version: number; rates: ExchangeRate[] };
      if (version === this.view.version) this.view = withRates(this.view, rates);
      return;
    }
    if (event.event !== 'catalog' && event.event !== 'reset') return;
    const { version } = JSON.parse(event.data) as { version: number };
    if (event.event === 'catalog' && version <= this.view.version) return;
    const previous = this.view.version;
    const reset = event.event === 'reset';
    const body = reset ? undefined : await fetchDelta(this.url, previous).catch((err: unknown) => {
      if (err instanceof GoneError) return undefined;
      throw err;
    });
    const full = body ?? (await fetchDelta(this.url, 0));
    this.view = body ? applyDelta(this.view, body) : viewOf(full);
    this.serverStale = full.stale;
    const change: ChangeEvent = {
      version: this.view.version, previous, changed: full.changed.map(keyOf), removed: full.removed, full: body === undefined,
    };
    this.events.emit('change', change);
    if (this.options.cacheFile) await writeCacheFile(this.options.cacheFile, this.view);
  }

  private report(err: unknown): void {
    if (this.events.listenerCount('error') > 0) this.events.emit('error', err instanceof Error ? err : new Error(String(err)));
  }
}

type Listener = ((change: ChangeEvent) => void) | ((err: Error) => void);

class GoneError extends Error {}

/** GET /costs?since=: the changes after `since` (0: the whole catalog); GoneError on 410. */
async function fetchDelta(url: string, since: number): Promise<CatalogDeltaBody> {
  const res = await fetch(`${url}/costs?since=${since}`, { headers: { accept: 'application/json' } });
  if (res.status === 410) throw new GoneError(`GET /costs?since=${since} answered 410`);
  if (res.status !== 200) throw new Error(`GET ${url}/costs?since=${since} answered ${res.status}`);
  return (await res.json()) as CatalogDeltaBody;
}

function keyOf({ provider, model_id }: ModelKey): ModelKey {
  return { provider, model_id };
}

function remoteOnly(route: string): RemoteOnlyError {
  return new RemoteOnlyError(`\`at\` asks for prices in effect at a past time, which only the server keeps: ask it with tariff.remote (${route})`);
}
