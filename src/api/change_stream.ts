// GET /costs/changes: every catalog version this instance loads, pushed to
// each open stream as Server-Sent Events. Driven by the instance's own
// LISTEN-driven catalog, so a stream costs no database query per event; only
// a client resuming from further back than the change log reaches costs one
// read of catalog_changes. Events:
//   catalog (id: version) {version, previous, changed, removed}: coalesced when the client was behind
//   fx {version, rates}: the exchange rates, when a version changed them
//   reset (id: version) {version, reason}: the gap cannot be computed; load the catalog in full
// A comment every heartbeat keeps idle proxies from closing the connection; a
// client that does not read is disconnected once its unsent events pass a
// bound; close() ends every stream (graceful shutdown).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type CatalogView, presentRate } from '@tariff/pricing';
import type { CatalogCache } from '../cache/catalog.ts';
import { ChangeLog, changesIn, type Changes } from '../cache/changes.ts';
import type { Pool } from '../db/pool.ts';
import type { Logger } from '../log.ts';
import { changesSince } from '../serving/delta.ts';
import { writeStreamHead } from '../http/reply.ts';

export interface ChangeStreamOptions {
  catalog: CatalogCache;
  pool: Pool;
  logger: Logger;
  heartbeatMs: number;
  maxBufferBytes: number;
}

interface Subscriber {
  res: ServerResponse;
  /** The version the client holds, as far as this stream has told it. */
  at: number;
}

const STREAM_HEADERS = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache, no-transform',
  // Proxies that buffer responses (nginx) would hold events back.
  'X-Accel-Buffering': 'no',
};

export class ChangeStream {
  /** What GET /costs?since= reads too: the changes of the versions this instance loaded. */
  readonly log = new ChangeLog();
  private readonly subscribers = new Set<Subscriber>();
  private readonly heartbeat: NodeJS.Timeout;
  private closed = false;
  private readonly options: ChangeStreamOptions;
  private readonly logger: Logger;

  constructor(options: ChangeStreamOptions) {
    this.options = options;
    this.logger = options.logger.child({ component: 'change-stream' });
    options.catalog.onLoad((view, previous) => {
      this.log.record(previous, view);
      if (previous) this.publish(view, previous);
    });
    this.heartbeat = setInterval(() => this.broadcast(':\n\n'), options.heartbeatMs);
    this.heartbeat.unref();
  }

  /** Streams open now. */
  get size(): number {
    return this.subscribers.size;
  }

  /** Opens a stream for a client that holds `since` (undefined: the current version). */
  async subscribe(req: IncomingMessage, res: ServerResponse, id: string, since: number | undefined): Promise<void> {
    writeStreamHead(res, id, 200, STREAM_HEADERS);
    req.socket.setNoDelay(true);
    const subscriber: Subscriber = { res, at: since ?? this.options.catalog.current.version };
    res.write(`: tariff catalog ${this.options.catalog.current.version}\n\n`);
    // Catch up first; a version loaded meanwhile is caught up with too before the stream joins the others.
    for (let view = this.options.catalog.current; subscriber.at < view.version; view = this.options.catalog.current) {
      const event = await this.eventSince(view, subscriber.at);
      if (!this.write(subscriber, event)) return;
      subscriber.at = view.version;
    }
    if (this.closed || res.destroyed) {
      res.end();
      return;
    }
    this.subscribers.add(subscriber);
    res.on('close', () => this.subscribers.delete(subscriber));
  }

  /** Ends every stream: the server is shutting down. Clients reconnect (elsewhere) from their last event id. */
  close(): void {
    this.closed = true;
    clearInterval(this.heartbeat);
    for (const { res } of this.subscribers) res.end();
    this.subscribers.clear();
  }

  private publish(view: CatalogView, previous: CatalogView): void {
    const events = new Map<number, string>();
    if (view.version > previous.version) {
      for (const subscriber of this.subscribers) {
        if (subscriber.at >= view.version) continue;
        const at = subscriber.at;
        let event = events.get(at);
        if (event === undefined) events.set(at, (event = this.eventFromLog(view, at)));
        if (this.write(subscriber, event)) subscriber.at = view.version;
      }
    }
    if (ratesJson(view) !== ratesJson(previous)) {
      this.broadcast(`event: fx\ndata: {"version":${view.version},"rates":${ratesJson(view)}}\n\n`);
    }
  }

  /** The event taking a client from `at` to `view`, from memory: the change log, or a reset. */
  private eventFromLog(view: CatalogView, at: number): string {
    const keys = this.log.keysSince(at);
    return keys ? catalogEvent(view, at, changesIn(view, keys)) : resetEvent(view, `version ${at} is older than the changes this server keeps`);
  }

  /** The same, reaching back into the database's catalog_changes when the log does not (a client resuming after a restart). */
  private async eventSince(view: CatalogView, at: number): Promise<string> {
    if (at > view.version) return resetEvent(view, `version ${at} is newer than this server's catalog`);
    try {
      const changes = await changesSince(view, this.log, this.options.pool, at);
      return changes ? catalogEvent(view, at, changes) : resetEvent(view, `version ${at} is older than the changes the database keeps`);
    } catch (err) {
      this.logger.warn({ err, since: at }, 'changes since a resumed version unreadable; telling the client to reload');
      return resetEvent(view, 'the changes since that version cannot be read now');
    }
  }

  private broadcast(text: string): void {
    for (const subscriber of this.subscribers) this.write(subscriber, text);
  }

  /** Writes an event, or disconnects a client with more than the bound unsent. False when the stream is gone. */
  private write(subscriber: Subscriber, text: string): boolean {
    const { res } = subscriber;
    if (res.destroyed) return false;
    if (res.writableLength + text.length > this.options.maxBufferBytes) {
      this.logger.warn({ unsent: res.writableLength, text: text.length }, 'change stream client not reading; disconnected');
      this.subscribers.delete(subscriber);
      res.destroy();
      return false;
    }
    res.write(text);
    return true;
  }
}

/** A catalog event: the client at `previous` reaches `view`'s version with these changes. */
function catalogEvent(view: CatalogView, previous: number, changes: Changes): string {
  const data = JSON.stringify({ version: view.version, previous, changed: changes.changed, removed: changes.removed });
  return `id: ${view.version}\nevent: catalog\ndata: ${data}\n\n`;
}

function resetEvent(view: CatalogView, reason: string): string {
  return `id: ${view.version}\nevent: reset\ndata: ${JSON.stringify({ version: view.version, reason })}\n\n`;
}

/** A view's exchange rates as the fx event carries them, serialised once per view. */
const ratesOfView = new WeakMap<CatalogView, string>();
function ratesJson(view: CatalogView): string {
  let json = ratesOfView.get(view);
  if (json === undefined) ratesOfView.set(view, (json = JSON.stringify([...view.rates.values()].map(presentRate))));
  return json;
}
