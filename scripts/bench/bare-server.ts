// The HTTP baselines, each a process of its own, answering each route with
// bytes recorded from tariff once, with tariff's headers. A POST reads and
// JSON-parses its body first, as the least any API must do with it. Prints its
// port on stdout once it listens.
//
//   node scripts/bench/bare-server.ts <manifest.json>            a bare node:http server (the baseline)
//   node scripts/bench/bare-server.ts <manifest.json> --express  a minimal Express 5 app (the framework's floor)
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { z } from 'zod';

const manifest = z.object({
  routes: z.array(z.object({
    method: z.enum(['GET', 'POST']),
    path: z.string(),
    status: z.number().int(),
    headers: z.record(z.string(), z.string()),
    bodyFile: z.string(),
  })),
}).parse(JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')));

const routes = new Map(manifest.routes.map((route) => {
  const body = readFileSync(route.bodyFile);
  return [`${route.method} ${route.path}`, { ...route, body, headers: { ...route.headers, 'content-length': String(body.length) } }];
}));

const server = process.argv[3] === '--express' ? expressServer() : bareServer();

function bareServer(): Server {
  return createServer((req, res) => {
    const route = routes.get(`${req.method} ${req.url}`);
    if (!route) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
      return;
    }
    if (req.method === 'GET') {
      res.writeHead(route.status, route.headers).end(route.body);
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      try {
        JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        res.writeHead(400, { 'content-type': 'application/json' }).end('{"error":"bad json"}');
        return;
      }
      res.writeHead(route.status, route.headers).end(route.body);
    });
  });
}

/** Express with no middleware but what the route needs: express.json() for a POST. */
function expressServer(): Server {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  for (const route of routes.values()) {
    const { 'content-length': _length, ...headers } = route.headers;
    const handlers = route.method === 'POST' ? [express.json()] : [];
    const send: express.RequestHandler = (_req, res) => {
      res.status(route.status).set(headers).send(route.body);
    };
    if (route.method === 'GET') app.get(route.path, ...handlers, send);
    else app.post(route.path, ...handlers, send);
  }
  return createServer(app);
}
server.keepAliveTimeout = 65_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${(server.address() as AddressInfo).port}\n`);
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    server.close(() => process.exit(0));
    server.closeAllConnections();
  });
}
