// Polls every API instance's cheap endpoint about once a millisecond (one
// keep-alive connection each) and notes when each first serves each catalog
// version, on the machine-wide monotonic clock. A process of its own, so the
// polling costs neither the committer nor the instances' own event loops.
//
// IPC in: {type: 'expect', version} → answers {type: 'reached', version} once every
// instance serves that version or a later one; {type: 'report'} → {type: 'report',
// observations}; {type: 'stop'}. Out, unasked: {type: 'problem', instance, message}
// when an instance answers without a version (an error, a non-200).
import { Agent, get } from 'node:http';
import { z } from 'zod';
import { monotonicMs } from './stats.ts';

const { urls, intervalMs } = z.object({ urls: z.array(z.url()).min(1), intervalMs: z.number().nonnegative() })
  .parse(JSON.parse(process.argv[2] ?? '{}'));
const message = z.discriminatedUnion('type', [
  z.object({ type: z.literal('expect'), version: z.number() }),
  z.object({ type: z.literal('report') }),
  z.object({ type: z.literal('stop') }),
]);

interface Observation { instance: number; version: number; atMs: number }

const agent = new Agent({ keepAlive: true, maxSockets: 1 });
const served: number[] = urls.map(() => -1);
const observations: Observation[] = [];
let expected: number | undefined;
let stopped = false;

function send(value: unknown): void {
  // After 'stop' the channel is closed; requests still in flight end in errors nobody needs to hear of.
  if (!stopped && process.connected) process.send?.(value);
}

function checkExpected(): void {
  if (expected !== undefined && served.every((v) => v >= expected!)) {
    send({ type: 'reached', version: expected });
    expected = undefined;
  }
}

const lastProblem: string[] = urls.map(() => '');

/** Tells the parent what is wrong with an instance's answers, once per distinct problem. */
function problem(instance: number, message: string): void {
  if (lastProblem[instance] === message) return;
  lastProblem[instance] = message;
  send({ type: 'problem', instance, message });
}

function poll(instance: number): void {
  if (stopped) return;
  const request = get(urls[instance]!, { agent }, (res) => {
    const atMs = monotonicMs();
    const version = Number(res.headers['x-catalog-version']);
    if (res.statusCode !== 200 || !Number.isFinite(version)) problem(instance, `status ${res.statusCode}, X-Catalog-Version ${res.headers['x-catalog-version']}`);
    if (Number.isFinite(version) && version !== served[instance]) {
      served[instance] = version;
      observations.push({ instance, version, atMs });
      checkExpected();
    }
    res.resume();
    res.on('end', () => setTimeout(() => poll(instance), intervalMs));
  });
  request.on('error', (err) => {
    problem(instance, err.message);
    setTimeout(() => poll(instance), 50);
  });
}

process.on('message', (raw) => {
  const msg = message.parse(raw);
  if (msg.type === 'expect') {
    expected = msg.version;
    checkExpected();
  } else if (msg.type === 'report') {
    send({ type: 'report', observations });
  } else {
    stopped = true;
    agent.destroy();
    process.disconnect?.();
  }
});
for (let i = 0; i < urls.length; i++) poll(i);
