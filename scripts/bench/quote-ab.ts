// The in-process half of `npm run bench -- --ab <ref>`: @tariff/client's
// synchronous quote on each side's own code (the working tree's packages, or
// the ref checkout's), each side a process of its own connected to its own API
// instance, in alternating rounds. It is what a change to the pricing core's
// quote path costs a consumer, measured as repeatably as the HTTP reads.
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { jsonOutput, REPO_ROOT, type Children } from './processes.ts';
import { percentile } from './stats.ts';
import { START_API } from './tariff.ts';

export interface QuoteAbResult {
  name: string;
  /** ns per call, per round. */
  a: number[];
  b: number[];
}

const SIDE_SCRIPT = path.join(REPO_ROOT, 'scripts/bench/quote-side.ts');

export async function measureQuoteAb(options: {
  children: Children; workDir: string; refRoot: string; urls: { a: string; b: string };
  requests: Record<string, unknown>; rounds: number; ms: number;
}): Promise<QuoteAbResult[]> {
  const requestsFile = path.join(options.workDir, 'quote-ab-requests.json');
  await writeFile(requestsFile, JSON.stringify(options.requests));
  // The same harness on both sides: the ref's checkout gets this tree's copy beside its own packages.
  const refScript = path.join(options.refRoot, 'scripts/bench/quote-side.ts');
  await mkdir(path.dirname(refScript), { recursive: true });
  await copyFile(SIDE_SCRIPT, refScript);
  const sides = { a: { root: REPO_ROOT, script: SIDE_SCRIPT }, b: { root: options.refRoot, script: refScript } };
  const perRound: Record<'a' | 'b', Array<Record<string, number>>> = { a: [], b: [] };
  for (let round = 0; round < options.rounds; round++) {
    for (const side of (round % 2 === 0 ? ['a', 'b'] : ['b', 'a']) as Array<'a' | 'b'>) {
      const child = options.children.spawnNode(`quote-${side}-${round + 1}`, [...START_API.nodeFlags, sides[side].script, options.urls[side], requestsFile, String(options.ms)],
        START_API.env, { stdout: 'pipe', cwd: sides[side].root });
      perRound[side].push(await jsonOutput(child) as Record<string, number>);
    }
  }
  return Object.keys(options.requests).map((name) => ({ name, a: perRound.a.map((r) => r[name]!), b: perRound.b.map((r) => r[name]!) }));
}

export function quoteAbTable(results: readonly QuoteAbResult[]): string {
  const lines = ['In process: tariff.quote (@tariff/client) on each side\'s own code, ns per call (median of the rounds, range); A ÷ B below 1 means A is faster.'];
  for (const r of results) {
    const ratios = r.a.map((a, i) => a / r.b[i]!);
    lines.push(
      `${r.name}`,
      `  A ${Math.round(percentile(r.a, 50))} ns (${Math.round(Math.min(...r.a))}–${Math.round(Math.max(...r.a))}), B ${Math.round(percentile(r.b, 50))} ns (${Math.round(Math.min(...r.b))}–${Math.round(Math.max(...r.b))})`,
      `  A ÷ B ${percentile(ratios, 50).toFixed(3)}× (${Math.min(...ratios).toFixed(3)}–${Math.max(...ratios).toFixed(3)})`,
    );
  }
  return lines.join('\n');
}
