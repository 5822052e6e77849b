// Keeps an API instance's catalog in step with the database: a dedicated
// connection LISTENs on the catalog channel and reloads on every notification.
// On the same connection it LISTENs for new discrepancy reports, and loads each.
// A dropped connection reconnects with backoff and reloads fully, since
// notifications sent while it was away are lost. A connection that silently
// stops delivering (a half-open socket: no FIN, no RST) raises no error, so the
// listener also probes it with a query of its own and replaces it when the
// answer does not come in time.
import { DedicatedConnection } from '../db/dedicated.ts';
import type { Logger } from '../log.ts';
import { DISCREPANCY_CHANNEL } from '../discrepancy/store.ts';
import type { CatalogCache } from './catalog.ts';
import type { DiscrepancyCache } from './discrepancies.ts';

export const CATALOG_CHANNEL = 'tariff_catalog';

/** Why the listener reloaded: the first load once listening, a notification, or a catch-up after a reconnect. */
export type ReloadReason = 'start' | 'notify' | 'reconnect';
/** However short the check interval, a probe is given this long: a busy database is not a dead one. */
const MIN_PROBE_TIMEOUT_MS = 1_000;

export interface ListenerOptions {
  connectionString: string;
  catalog: CatalogCache;
  /** Loads the report each DISCREPANCY_CHANNEL notification names, and catches up after a reconnect. */
  discrepancies?: DiscrepancyCache;
  logger: Logger;
  minBackoffMs?: number;
  maxBackoffMs?: number;
  /**
   * A connection that stopped answering is detected and replaced within this (default 30 s): it is
   * probed every half of it, and each probe is given the other half (at least MIN_PROBE_TIMEOUT_MS).
   */
  checkIntervalMs?: number;
  /** Called after each reload the listener caused (metrics). */
  onReload?: (reason: ReloadReason) => void;
}

export class CatalogListener {
  private readonly connection: DedicatedConnection;
  private probeTimer: NodeJS.Timeout | undefined;
  private probing = false;
  private readonly options: Required<Omit<ListenerOptions, 'onReload' | 'discrepancies'>> & Pick<ListenerOptions, 'onReload' | 'discrepancies'>;
  private readonly log: Logger;

  constructor(options: ListenerOptions) {
    this.options = { minBackoffMs: 100, maxBackoffMs: 10_000, checkIntervalMs: 30_000, ...options };
    this.log = options.logger.child({ component: 'catalog-listener' });
    const { catalog, discrepancies } = this.options;
    this.connection = new DedicatedConnection({
      connectionString: this.options.connectionString,
      applicationName: 'tariff-api-listener',
      logger: this.log,
      purpose: 'catalog listener',
      backoff: { minMs: this.options.minBackoffMs, maxMs: this.options.maxBackoffMs },
      setup: async (client) => {
        client.on('notification', (message) => {
          if (message.channel === DISCREPANCY_CHANNEL) {
            const id = Number(message.payload);
            if (!(Number.isFinite(id) && id <= (discrepancies?.current?.id ?? 0))) this.loadReport();
            return;
          }
          if (message.channel !== CATALOG_CHANNEL) return;
          const version = Number(message.payload);
          if (catalog.loaded && Number.isFinite(version) && version <= catalog.current.version) return;
          this.reload('notify');
        });
        await client.query(`listen ${CATALOG_CHANNEL}; listen ${DISCREPANCY_CHANNEL}`);
      },
      onUp: (_client, reconnected) => {
        this.probing = false;
        this.log.debug({ reconnected }, `listening on ${CATALOG_CHANNEL}`);
        // Whatever was committed before LISTEN took effect was not notified to us: the first load, or a catch-up.
        this.reload(reconnected ? 'reconnect' : 'start');
        this.loadReport();
      },
      onDown: (err) => catalog.markStale(err),
    });
  }

  /** True while the LISTEN connection is up. */
  get connected(): boolean {
    return this.connection.client !== undefined;
  }

  /** Connects in the background; never throws (failures retry with backoff). */
  start(): void {
    this.connection.start();
    this.probeTimer = setInterval(() => this.probe(), this.options.checkIntervalMs / 2);
    this.probeTimer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.probeTimer);
    await this.connection.stop();
  }

  private loadReport(): void {
    this.options.discrepancies?.refreshIfBehind()
      .catch((err: unknown) => this.log.warn({ err }, 'discrepancy report reload failed; serving the last loaded report'));
  }

  private reload(reason: ReloadReason): void {
    this.options.catalog.reload().then(
      () => this.options.onReload?.(reason),
      (err) => this.log.warn({ err, reason }, 'catalog reload failed; serving the last loaded catalog'),
    );
  }

  /** A query with a deadline on the LISTEN connection: no answer in time, and the connection is replaced. */
  private probe(): void {
    if (!this.connection.client || this.probing) return;
    this.probing = true;
    const limitMs = Math.max(this.options.checkIntervalMs / 2, MIN_PROBE_TIMEOUT_MS);
    this.connection.query('select 1', [], limitMs).catch(() => undefined).finally(() => {
      this.probing = false;
    });
  }
}
