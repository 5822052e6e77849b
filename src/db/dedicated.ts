// A connection of its own, kept open: for LISTEN, and for session state such
// as advisory locks, which a pool cannot hold. It connects, prepares each new
// session (`setup`), and when the connection is lost (an error, an end, or a
// query that gets no answer in time: a half-open socket raises nothing) it
// lets the socket go and reconnects with capped, jittered backoff, telling its
// owner on each change.
import { backoffDelay, type Backoff } from '../retry.ts';
import type { Logger } from '../log.ts';
import { createClient, discardClient, type Client, type QueryResult } from './pool.ts';

export interface DedicatedOptions {
  connectionString: string;
  applicationName: string;
  logger: Logger;
  /** What the connection is for, in log lines: "catalog listener". */
  purpose: string;
  backoff?: Backoff;
  /** Prepares each new session before it counts as up (LISTEN, SET, event handlers). */
  setup?: (client: Client) => Promise<void>;
  /** Each time a session is up; `reconnected` after a loss. */
  onUp?: (client: Client, reconnected: boolean) => void | Promise<void>;
  /** Each time a connection attempt fails or a session is lost. */
  onDown?: (err: Error) => void;
}

export class DedicatedConnection {
  private current: Client | undefined;
  private stopped = false;
  private attempts = 0;
  private retry: NodeJS.Timeout | undefined;
  private readonly options: DedicatedOptions & { backoff: Backoff };

  constructor(options: DedicatedOptions) {
    this.options = { backoff: { minMs: 100, maxMs: 10_000 }, ...options };
  }

  /** The session while it is up. */
  get client(): Client | undefined {
    return this.current;
  }

  /** Connects in the background: failures retry with backoff, and are logged, never thrown. */
  start(): void {
    void this.connect().catch(() => undefined);
  }

  /** Connects now, throwing if this first attempt fails (later losses reconnect in the background). */
  async open(): Promise<void> {
    await this.connect(true);
  }

  /**
   * A query on the session that fails, and replaces the connection, when it
   * gets no answer within `limitMs`: a connection that stopped answering
   * raises no error of its own.
   */
  async query<R extends Record<string, unknown>>(text: string, values: unknown[], limitMs: number): Promise<QueryResult<R>> {
    const client = this.current;
    if (!client) throw new Error(`the ${this.options.purpose} connection is down`);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the ${this.options.purpose} connection did not answer a query in ${limitMs} ms`)), limitMs);
    });
    try {
      return await Promise.race([client.query<R>(text, values), timeout]);
    } catch (err) {
      this.lost(client, err instanceof Error ? err : new Error(String(err)));
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retry);
    const client = this.current;
    this.current = undefined;
    if (client) await discardClient(client);
  }

  private async connect(throwOnFailure = false): Promise<void> {
    if (this.stopped) return;
    const { connectionString, applicationName, setup, logger, purpose } = this.options;
    const client = createClient(connectionString, applicationName);
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client, new Error('connection ended')));
    try {
      await client.connect();
      await setup?.(client);
    } catch (err) {
      await discardClient(client);
      const error = err instanceof Error ? err : new Error(String(err));
      this.options.onDown?.(error);
      if (throwOnFailure) throw error;
      if (this.attempts === 0 || this.attempts % 10 === 0) logger.warn({ err, attempt: this.attempts + 1 }, `${purpose} cannot connect`);
      this.scheduleReconnect();
      return;
    }
    if (this.stopped) {
      await discardClient(client);
      return;
    }
    this.current = client;
    const reconnected = this.attempts > 0;
    this.attempts = 0;
    await this.options.onUp?.(client, reconnected);
  }

  private lost(client: Client, err: Error): void {
    if (this.current !== client) return;
    this.current = undefined;
    // With a query still in flight, end() destroys the socket rather than wait on a peer that is gone.
    void discardClient(client);
    if (this.stopped) return;
    this.options.onDown?.(err);
    this.options.logger.warn({ err }, `${this.options.purpose} connection lost; reconnecting`);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.stopped) return;
    const delay = backoffDelay(this.attempts, this.options.backoff);
    this.attempts += 1;
    this.retry = setTimeout(() => void this.connect(), delay);
  }
}
