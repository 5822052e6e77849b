// Measurement 8b's clients, a process of their own: N live @tariff/client
// instances following one API instance's GET /costs/changes. Each notes, on
// CLOCK_MONOTONIC, when it first holds each catalog version; over IPC the bench
// asks when all of them hold a version ('expect' → 'reached') and for every
// observation at the end ('report').
//
//   node scripts/bench/client-fleet.ts '{"url": "http://127.0.0.1:…", "clients": 200}'
import { Tariff } from '@tariff/client';
import { z } from 'zod';
import { monotonicMs } from './stats.ts';

const options = z.object({ url: z.url(), clients: z.number().int().positive() }).parse(JSON.parse(process.argv[2] ?? '{}'));
const send = (message: unknown) => process.send!(message);

const observations: Array<{ client: number; version: number; atMs: number }> = [];
const waiting = new Map<number, () => void>();
const clients: Tariff[] = [];

function check(): void {
  for (const [version, wake] of waiting) if (clients.every((client) => client.version >= version)) wake();
}

for (let i = 0; i < options.clients; i++) {
  const tariff = await Tariff.connect(options.url, { live: true });
  tariff.on('change', (change) => {
    observations.push({ client: i, version: change.version, atMs: monotonicMs() });
    check();
  });
  clients.push(tariff);
}

process.on('message', (raw: unknown) => {
  const message = (raw ?? {}) as { type?: unknown; version?: unknown };
  if (message.type === 'expect') {
    const version = Number(message.version);
    waiting.set(version, () => {
      waiting.delete(version);
      send({ type: 'reached', version });
    });
    check();
  } else if (message.type === 'report') {
    send({ type: 'report', observations, versions: clients.map((client) => client.version) });
  } else if (message.type === 'stop') {
    void Promise.all(clients.map((client) => client.close())).then(() => process.exit(0));
  }
});
send({ type: 'ready' });
