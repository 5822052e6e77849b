// The client's HTTP, over node:http(s): GET of a JSON document on keep-alive
// connections, and the change stream's response. A live client fetches GET
// /costs?since= on every catalog change, and node's fetch took several times the
// CPU a request (about half of a client's work per change, measured with 200
// clients in bench 8b); its stream's web-stream reader most of the rest.
import { Agent as HttpAgent, type IncomingMessage, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

export interface JsonResponse {
  status: number;
  /** The parsed body; undefined when it is empty. */
  body: unknown;
}

// Idle keep-alive sockets are unref'd by node's Agent: they never keep a process alive.
const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };

/** A GET whose response is read as it comes (GET /costs/changes): its status, and its body as an async iterable of bytes. */
export function openGet(url: string, headers: Record<string, string>, signal: AbortSignal): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    // A connection of its own (agent: false): the stream holds it for as long as it lasts.
    const options = { headers, signal, agent: false as const };
    const req = target.protocol === 'https:' ? httpsRequest(target, options, resolve) : httpRequest(target, options, resolve);
    req.on('error', reject);
    req.end();
  });
}

export function getJson(url: string): Promise<JsonResponse> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const secure = target.protocol === 'https:';
    const options = { headers: { accept: 'application/json' }, agent: secure ? agents.https : agents.http };
    const onResponse = (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        try {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, body: text === '' ? undefined : JSON.parse(text) });
        } catch (err) {
          reject(new Error(`GET ${url}: the body is not JSON`, { cause: err }));
        }
      });
    };
    const req = secure ? httpsRequest(target, options, onResponse) : httpRequest(target, options, onResponse);
    req.on('error', reject);
    req.end();
  });
}
