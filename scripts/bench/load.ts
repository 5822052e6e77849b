// The load generator, a process of its own: autocannon through its API, so
// that each response's exact latency is kept (in µs); autocannon's own
// histogram rounds latencies to whole milliseconds. Runs a warm-up, then the
// measured run, and prints one JSON document with every 2xx latency.
//
//   node scripts/bench/load.ts '{"url": …, "method": …, "connections": 10, "warmupSeconds": 3, "durationSeconds": 10}'
import { createRequire } from 'node:module';
import { z } from 'zod';

const options = z.object({
  url: z.url(),
  method: z.enum(['GET', 'POST']).default('GET'),
  headers: z.record(z.string(), z.string()).default({}),
  body: z.string().optional(),
  connections: z.number().int().positive(),
  warmupSeconds: z.number().nonnegative(),
  durationSeconds: z.number().positive(),
}).parse(JSON.parse(process.argv[2] ?? '{}'));

// The subset of autocannon's result this script reads.
const resultSchema = z.looseObject({
  duration: z.number(),
  errors: z.number(),
  timeouts: z.number(),
  non2xx: z.number(),
  '2xx': z.number(),
  throughput: z.looseObject({ total: z.number() }),
});

interface Instance {
  on(event: 'response', listener: (client: unknown, status: number, bytes: number, responseTimeMs: number) => void): void;
  on(event: 'reqError', listener: (err: Error) => void): void;
}
type Autocannon = (opts: Record<string, unknown>, done: (err: Error | null, result: unknown) => void) => Instance;

const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

/** The first few distinct request errors, so that a failed run says why. */
const errorSamples = new Set<string>();

function run(seconds: number, latencies?: number[]): Promise<z.output<typeof resultSchema>> {
  return new Promise((resolve, reject) => {
    const instance = autocannon({
      url: options.url,
      method: options.method,
      headers: options.headers,
      ...(options.body === undefined ? {} : { body: options.body }),
      connections: options.connections,
      pipelining: 1,
      duration: seconds,
    }, (err, result) => (err ? reject(err) : resolve(resultSchema.parse(result))));
    if (latencies) instance.on('response', (_client, status, _bytes, ms) => { if (status < 300) latencies.push(ms); });
    instance.on('reqError', (err) => { if (errorSamples.size < 3) errorSamples.add(`${err.name}: ${err.message}`); });
  });
}

const warmup = options.warmupSeconds > 0 ? await run(options.warmupSeconds) : undefined;
const latencies: number[] = [];
const result = await run(options.durationSeconds, latencies);
process.stdout.write(`${JSON.stringify({
  responses: result['2xx'],
  warmupResponses: warmup?.['2xx'] ?? 0,
  bytes: result.throughput.total,
  errors: result.errors,
  timeouts: result.timeouts,
  non2xx: result.non2xx,
  durationSeconds: result.duration,
  latenciesUs: latencies.map((ms) => Math.round(ms * 1000)),
  errorSamples: [...errorSamples],
})}\n`);
