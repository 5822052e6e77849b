// Keeps an API instance's catalog in step with the database: a dedicated
// connection LISTENs on the catalog channel and reloads on every notification.
// A dropped connection reconnects with backoff and reloads fully, since
// notifications sent while it was away are lost. A connection that silently
// stops delivering (a half-open socket: no FIN, no RST) raises no error, so the
// listener also probes it with a query of its own and replaces it when the
// answer does not come in time.
import { createClient, discardClient, endClient, type Client } from '../db/pool.ts';
import type { Logger } from '../log.ts';
import type { CatalogCache } from './catalog.ts';

export const CATALOG_CHANNEL = 'tariff_catalog';
/** However short the check interval, a probe is given this long: a busy database is not a dead one. */
const MIN_PROBE_TIMEOUT_MS = 1_000;

/** Why the catalog was reloaded: a NOTIFY, the first LISTEN catching up, or a LISTEN after a lost connection. */
export type ReloadReason = 'notify' | 'listen' | 'reconnect';

export interface ListenerOptions {
  connectionString: string;
  catalog: CatalogCache;
  logger: Logger;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /**
   * A connection that stopped answering is detected and replaced within this (default 30 s): it is
   * probed every half of it, and each probe is given the other half (at least MIN_PROBE_TIMEOUT_MS).
   */
  checkIntervalMs?: number;
  /** Called after each reload a notification caused (metrics). */
  onReload?: (reason: ReloadReason) => void;
}

export class CatalogListener {
  private client: Client | undefined;
  private stopped = false;
  private retry: NodeJS.Timeout | undefined;
  private attempts = 0;
  private listenedBefore = false;
  private probeTimer: NodeJS.Timeout | undefined;
  private probing = false;
  private readonly options: Required<Omit<ListenerOptions, 'onReload'>> & Pick<ListenerOptions, 'onReload'>;
  private readonly log: Logger;

  constructor(options: ListenerOptions) {
    this.options = { minBackoffMs: 100, maxBackoffMs: 10_000, checkIntervalMs: 30_000, ...options };
    this.log = options.logger.child({ component: 'catalog-listener' });
  }

  /** True while the LISTEN connection is up. */
  get connected(): boolean {
    return this.client !== undefined;
  }

  /** Connects in the background; never throws (failures retry with backoff). */
  start(): void {
    void this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    clearInterval(this.probeTimer);
    const client = this.client;
    this.client = undefined;
    if (client) await endClient(client);
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = createClient(this.options.connectionString, 'tariff-api-listener');
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client, new Error('connection ended')));
    client.on('notification', (message) => {
      if (message.channel !== CATALOG_CHANNEL) return;
      const version = Number(message.payload);
      if (this.options.catalog.loaded && Number.isFinite(version) && version <= this.options.catalog.current.version) return;
      this.reload('notify');
    });
    try {
      await client.connect();
      await client.query(`listen ${CATALOG_CHANNEL}`);
    } catch (err) {
      await discardClient(client);
      this.options.catalog.markStale(err);
      if (this.attempts === 0 || this.attempts % 10 === 0) this.log.warn({ err, attempt: this.attempts + 1 }, 'catalog listener cannot connect');
      this.scheduleReconnect();
      return;
    }
    if (this.stopped) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    this.probing = false;
    this.probeTimer = setInterval(() => this.probe(client), this.options.checkIntervalMs / 2);
    this.probeTimer.unref();
    const wasRetrying = this.attempts > 0;
    this.attempts = 0;
    this.log.debug({ reconnected: wasRetrying }, `listening on ${CATALOG_CHANNEL}`);
    // Whatever was committed before LISTEN took effect was not notified to us.
    this.reload(this.listenedBefore ? 'reconnect' : 'listen');
    this.listenedBefore = true;
  }

  private reload(reason: ReloadReason): void {
    this.options.catalog.reload().then(
      () => this.options.onReload?.(reason),
      (err) => this.log.warn({ err, reason }, 'catalog reload failed; serving the last loaded catalog'),
    );
  }

  /** A query with a deadline on the LISTEN connection: no answer in time, and the connection is replaced. */
  private probe(client: Client): void {
    if (this.client !== client || this.probing) return;
    this.probing = true;
    const limitMs = Math.max(this.options.checkIntervalMs / 2, MIN_PROBE_TIMEOUT_MS);
    const deadline = setTimeout(() => this.lost(client, new Error(`the listener connection did not answer a query in ${limitMs} ms`)), limitMs);
    client.query('select 1').then(
      () => undefined,
      (err: Error) => this.lost(client, err),
    ).finally(() => {
      clearTimeout(deadline);
      if (this.client === client) this.probing = false;
    });
  }

  private lost(client: Client, err: Error): void {
    if (this.client !== client) return;
    this.client = undefined;
    clearInterval(this.probeTimer);
    // With the probe still in flight, end() destroys the socket rather than wait on a peer that is gone.
    void discardClient(client);
    if (this.stopped) return;
    this.log.warn({ err }, 'catalog listener connection lost; reconnecting');
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    const delay = Math.min(this.options.maxBackoffMs, this.options.minBackoffMs * 2 ** this.attempts);
    this.attempts += 1;
    // Jitter spreads the reconnects of many instances after a database restart.
    const jittered = Math.round(delay / 2 + Math.random() * (delay / 2));
    this.retry = setTimeout(() => void this.connect(), jittered);
  }
}
