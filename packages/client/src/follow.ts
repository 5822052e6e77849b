// Following GET /costs/changes: each event handed to the client, reconnecting
// with capped, jittered backoff and resuming from the last event id.
import { readEvents, type StreamEvent } from './sse.ts';

export interface FollowOptions {
  url: string;
  /** The event id to resume from (the catalog version held). */
  lastEventId: () => string;
  onEvent: (event: StreamEvent) => Promise<void>;
  onOpen: () => void;
  onLost: (err: unknown) => void;
  minBackoffMs: number;
  maxBackoffMs: number;
}

export class Follower {
  private readonly abort = new AbortController();
  private readonly running: Promise<void>;
  private wake: (() => void) | undefined;
  private readonly options: FollowOptions;

  constructor(options: FollowOptions) {
    this.options = options;
    this.running = this.run();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    this.wake?.();
    await this.running;
  }

  private async run(): Promise<void> {
    const { signal } = this.abort;
    for (let attempt = 0; !signal.aborted; attempt++) {
      try {
        const res = await fetch(`${this.options.url}/costs/changes`, {
          headers: { accept: 'text/event-stream', 'last-event-id': this.options.lastEventId() }, signal,
        });
        if (res.status !== 200 || !res.body) throw new Error(`GET /costs/changes answered ${res.status}`);
        this.options.onOpen();
        attempt = 0;
        for await (const event of readEvents(res.body)) await this.options.onEvent(event);
        if (!signal.aborted) this.options.onLost(new Error('the change stream ended'));
      } catch (err) {
        if (signal.aborted) return;
        this.options.onLost(err);
      }
      await this.sleep(this.backoff(attempt));
    }
  }

  private backoff(attempt: number): number {
    const delay = Math.min(this.options.maxBackoffMs, this.options.minBackoffMs * 2 ** attempt);
    return Math.round(delay / 2 + Math.random() * (delay / 2));
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
