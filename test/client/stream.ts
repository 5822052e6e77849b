// Reading GET /costs/changes in tests: the events of a real stream, one at a time.
import { readEvents, type StreamEvent } from '../../packages/client/src/sse.ts';

export interface OpenStream {
  status: number;
  headers: Headers;
  /** The next event; fails naming what it waited for after 30 s. */
  next(): Promise<StreamEvent>;
  /**
   * Reads to the end of the stream: 'ended' when the server ended the response
   * (its last chunk sent), 'cut' when the connection dropped in the middle of it.
   */
  ended(): Promise<'ended' | 'cut'>;
  close(): void;
}

export async function openStream(baseUrl: string, { lastEventId, since }: { lastEventId?: number; since?: number } = {}): Promise<OpenStream> {
  const abort = new AbortController();
  const res = await fetch(`${baseUrl}/costs/changes${since === undefined ? '' : `?since=${since}`}`, {
    headers: lastEventId === undefined ? {} : { 'last-event-id': String(lastEventId) }, signal: abort.signal,
  });
  // The body is locked now rather than at the first read: undici cancels the
  // body of a Response that is garbage-collected while its body is unlocked and
  // unread, closing the connection under a test that has not read yet.
  const events = readEvents(res.body!.values());
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
      try {
        while (!(await events.next()).done);
        return 'ended';
      } catch (err) {
        // undici's word for a response body whose connection closed before its end
        // (a TypeError of fetch's realm, not the test's: compared by name).
        const { name, message } = err as { name?: unknown; message?: unknown };
        if (name === 'TypeError' && message === 'terminated') return 'cut';
        throw err;
      }
    },
    close: () => abort.abort(),
  };
}
