// Measurement 8c: what @tariff/client and its change stream cost in memory.
// A client process's RSS growth from loading the full catalog (client-rss.ts),
// and an API instance's RSS with idle GET /costs/changes streams open against
// its own RSS before them (same process, same catalog, settled the same way).
import { connect, type Socket } from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import { settledRss } from './memory.ts';
import { BENCH_DIR, jsonOutput, type Children } from './processes.ts';
import { streamsOpen } from './client-propagation.ts';
import { startApiProcess } from './tariff.ts';

const WARM_REQUESTS = 5;

export interface ClientMemoryMeasurement {
  clientBeforeBytes: number;
  clientAfterBytes: number;
  streams: number;
  apiBaselineBytes: number;
  apiWithStreamsBytes: number;
}

const rssSchema = z.object({ beforeBytes: z.number(), afterBytes: z.number(), version: z.number() });

export async function measureClientMemory(children: Children, databaseUrl: string, streams: number): Promise<ClientMemoryMeasurement> {
  const api = await startApiProcess(children, 'api-streams', databaseUrl);
  const sockets: Socket[] = [];
  try {
    const rss = children.spawnNode('client-rss', ['--expose-gc', '--conditions=tariff-source', path.join(BENCH_DIR, 'client-rss.ts'), api.baseUrl], {}, { stdout: 'pipe' });
    const client = rssSchema.parse(await jsonOutput(rss));
    for (let i = 0; i < WARM_REQUESTS; i++) await (await fetch(`${api.baseUrl}/costs`)).arrayBuffer();
    const baseline = await settledRss(api.child.pid);
    const { port } = new URL(api.baseUrl);
    for (let i = 0; i < streams; i++) sockets.push(await openIdleStream(Number(port)));
    await streamsOpen(api.baseUrl, streams);
    const withStreams = await settledRss(api.child.pid);
    return {
      clientBeforeBytes: client.beforeBytes, clientAfterBytes: client.afterBytes, streams,
      apiBaselineBytes: baseline.at(-1)!, apiWithStreamsBytes: withStreams.at(-1)!,
    };
  } finally {
    for (const socket of sockets) socket.destroy();
    await children.stop(api.child);
  }
}

/** A GET /costs/changes on a raw socket, its bytes read and dropped: an idle client that keeps up. */
function openIdleStream(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write('GET /costs/changes HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n');
      resolve(socket);
    });
    socket.once('error', reject);
    socket.resume();
  });
}
