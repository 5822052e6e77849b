// GET of a JSON document over node:http(s), on keep-alive connections: a live
// client fetches GET /costs?since= on every catalog change, and node's fetch
// took several times the CPU a request (about half of a client's work per
// change, measured with 200 clients in bench 8b).
import { Agent as HttpAgent, type IncomingMessage, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

export interface JsonResponse {
  status: number;
  /** The parsed body; undefined when it is empty. */
  body: unknown;
}

// Idle keep-alive sockets are unref'd by node's Agent: they never keep a process alive.
const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };

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
