// The baseline for invalidation: a bare LISTEN client on tariff's catalog
// channel, a process of its own, noting when each notification arrives on the
// machine-wide monotonic clock. Nothing is loaded or served.
//
// IPC out: {type: 'ready'} once LISTEN took effect; in: {type: 'report'} →
// {type: 'report', notifications}; {type: 'stop'}.
import { CATALOG_CHANNEL } from '../../src/cache/listener.ts';
import { createClient } from '../../src/db/pool.ts';
import { monotonicMs } from './stats.ts';

const url = process.argv[2];
if (!url) throw new Error('usage: listen-client.ts <database url>');

const notifications: Array<{ version: number; atMs: number }> = [];
const client = createClient(url, 'tariff-bench-listen');
client.on('notification', (msg) => {
  const atMs = monotonicMs();
  if (msg.channel === CATALOG_CHANNEL) notifications.push({ version: Number(msg.payload), atMs });
});
await client.connect();
await client.query(`listen ${CATALOG_CHANNEL}`);
process.send?.({ type: 'ready' });

process.on('message', (raw) => {
  const type = (raw as { type?: unknown }).type;
  if (type === 'report' && process.connected) process.send?.({ type: 'report', notifications });
  if (type === 'stop') void client.end().finally(() => { if (process.connected) process.disconnect?.(); });
});
