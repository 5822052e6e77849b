// One side of the in-process quote A/B (npm run bench -- --ab): @tariff/client
// as installed beside this file (the working tree's, or a ref's checkout's
// own), connected to that side's API instance, timing `tariff.quote` on each
// request for `--ms` milliseconds after a warm-up. Prints `{name: ns per call}`.
//
//   node scripts/bench/quote-side.ts <api url> <requests.json> <ms>
import { readFileSync } from 'node:fs';
import { Tariff } from '@tariff/client';

const [url, requestsFile, ms] = process.argv.slice(2);
const requests = JSON.parse(readFileSync(requestsFile!, 'utf8')) as Record<string, unknown>;
const tariff = await Tariff.connect(url!);
const result: Record<string, number> = {};
let sink = 0;
for (const [name, request] of Object.entries(requests)) {
  for (let i = 0; i < 20_000; i++) sink += tariff.quote(request).total_usd.length;
  let calls = 0;
  const started = performance.now();
  while (performance.now() - started < Number(ms)) {
    for (let i = 0; i < 1_000; i++) sink += tariff.quote(request).total_usd.length;
    calls += 1_000;
  }
  result[name] = ((performance.now() - started) * 1e6) / calls;
}
if (Number.isNaN(sink)) throw new Error('unreachable: keeps the timed work observable');
await tariff.close();
process.stdout.write(`${JSON.stringify(result)}\n`);
