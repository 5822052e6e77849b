// Reading GET /costs/changes in tests: the events of a real stream, one at a time.
import { readEvents, type StreamEvent } from '../../packages/client/src/sse.ts';

export interface OpenStream {
  status: number;
  headers: Headers;
  /** The next event; fails naming what it waited for after 30 s. */
  next(): Promise<StreamEvent>;
  /** Resolves when the server ends the stream. */
  ended(): Promise<void>;
  close(): void;
}

export async function openStream(baseUrl: string, { lastEventId, since }: { lastEventId?: number; since?: number } = {}): Promise<OpenStream> {
  const abort = new AbortController();
  const res = await fetch(`${baseUrl}/costs/changes${since === undefined ? '' : `?since=${since}`}`, {
    headers: lastEventId === undefined ? {} : { 'last-event-id': String(lastEventId) }, signal: abort.signal,
  });
  const events = readEvents(res.body!);
  let done = false;
  return {
    status: res.status,
    headers: res.headers,
    async next() {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error('no event from GET /costs/changes within 30 s')), 30_000);
      });
      try {
        const result = await Promise.race([events.next(), timeout]);
        if (result.done) throw new Error('the stream ended');
        return result.value;
      } finally {
        clearTimeout(timer);
      }
    },
    async ended() {
      while (!done) done = (await events.next()).done === true;
    },
    close: () => abort.abort(),
  };
}
