// Keeps an API instance's catalog in step with the database: a dedicated
// connection LISTENs on the catalog channel and reloads on every notification.
// A dropped connection reconnects with backoff and reloads fully, since
// notifications sent while it was away are lost.
import { createClient, type Client } from '../db/pool.ts';
import type { Logger } from '../log.ts';
import type { CatalogCache } from './catalog.ts';

export const CATALOG_CHANNEL = 'tariff_catalog';

export interface ListenerOptions {
  connectionString: string;
  catalog: CatalogCache;
  logger: Logger;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /** Called after each reload a notification caused (metrics). */
  onReload?: (reason: 'notify' | 'reconnect') => void;
}

export class CatalogListener {
  private client: Client | undefined;
  private stopped = false;
  private retry: NodeJS.Timeout | undefined;
  private attempts = 0;
  private readonly options: Required<Omit<ListenerOptions, 'onReload'>> & Pick<ListenerOptions, 'onReload'>;
  private readonly log: Logger;

  constructor(options: ListenerOptions) {
    this.options = { minBackoffMs: 100, maxBackoffMs: 10_000, ...options };
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
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
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
      client.removeAllListeners();
      await client.end().catch(() => undefined);
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
    const wasRetrying = this.attempts > 0;
    this.attempts = 0;
    this.log.debug({ reconnected: wasRetrying }, `listening on ${CATALOG_CHANNEL}`);
    // Whatever was committed before LISTEN took effect was not notified to us.
    this.reload('reconnect');
  }

  private reload(reason: 'notify' | 'reconnect'): void {
    this.options.catalog.reload().then(
      () => this.options.onReload?.(reason),
      (err) => this.log.warn({ err, reason }, 'catalog reload failed; serving the last loaded catalog'),
    );
  }

  private lost(client: Client, err: Error): void {
    if (this.client !== client) return;
    this.client = undefined;
    client.removeAllListeners();
    client.on('error', () => undefined);
    void client.end().catch(() => undefined);
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
