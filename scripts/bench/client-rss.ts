// Measurement 8c's client, a process of its own: its resident memory with
// @tariff/client loaded, then holding the full catalog of the API instance it
// connects to (one quote made, so what quoting builds is counted too). Prints
// one JSON document. Run with --expose-gc: each sample follows a full collection.
//
//   node --expose-gc scripts/bench/client-rss.ts http://127.0.0.1:…
import { Tariff } from '@tariff/client';
import { sleep } from './stats.ts';

const url = process.argv[2];
if (!url) throw new Error('usage: client-rss.ts <API base URL>');
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('client-rss.ts needs node --expose-gc');

/** RSS after a full collection, sampled until four samples in a row lie within 1% (at most 10 s). */
async function settled(): Promise<number> {
  const samples: number[] = [];
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    gc!();
    samples.push(process.memoryUsage.rss());
    const recent = samples.slice(-4);
    if (recent.length === 4 && Math.max(...recent) <= Math.min(...recent) * 1.01) break;
    await sleep(250);
  }
  return samples.at(-1)!;
}

const beforeBytes = await settled();
const tariff = await Tariff.connect(url);
tariff.quote({ provider: 'anthropic', model: 'claude-sonnet-4-5', usage: { input_tokens: 1200, output_tokens: 300 } });
const afterBytes = await settled();
process.stdout.write(`${JSON.stringify({ beforeBytes, afterBytes, version: tariff.version })}\n`);
await tariff.close();
