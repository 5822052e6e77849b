// Measurement 6: resident memory of an API instance holding the full catalog,
// against a bare node process with only express and pg loaded.
import path from 'node:path';
import { BENCH_DIR, firstLine, residentBytes, type Children } from './processes.ts';
import { sleep } from './stats.ts';
import { START_API, startApiProcess } from './tariff.ts';

const WARM_REQUESTS = 5;

export interface MemoryMeasurement {
  tariffBytes: number;
  baselineBytes: number;
  /** The same API on a catalog with no prices: what tariff's code takes before any catalog. */
  emptyCatalogBytes: number;
  /** RSS samples (bytes) taken while waiting for it to settle. */
  tariffSamples: number[];
  baselineSamples: number[];
}

export async function measureMemory(children: Children, databaseUrl: string, emptyDatabaseUrl: string): Promise<MemoryMeasurement> {
  const tariff = await apiRss(children, 'api-memory', databaseUrl);
  const empty = await apiRss(children, 'api-memory-empty', emptyDatabaseUrl);
  // The same node flags as the API (the young-generation size moves RSS), so the ratio compares code and data only.
  const bare = children.spawnNode('bare-deps', [...START_API.nodeFlags, path.join(BENCH_DIR, 'bare-deps.ts')], { ...START_API.env, DATABASE_URL: databaseUrl }, { stdout: 'pipe' });
  let baseline: number[];
  try {
    const url = `http://127.0.0.1:${Number(await firstLine(bare))}/`;
    for (let i = 0; i < WARM_REQUESTS; i++) await (await fetch(url)).arrayBuffer();
    baseline = await settledRss(bare.pid);
  } finally {
    await children.stop(bare);
  }
  return {
    tariffBytes: tariff.at(-1)!, baselineBytes: baseline.at(-1)!, emptyCatalogBytes: empty.at(-1)!,
    tariffSamples: tariff, baselineSamples: baseline,
  };
}

/** A fresh API instance (no other running), GET /costs a few times, then its settled RSS samples. */
async function apiRss(children: Children, name: string, databaseUrl: string): Promise<number[]> {
  const api = await startApiProcess(children, name, databaseUrl);
  try {
    for (let i = 0; i < WARM_REQUESTS; i++) await (await fetch(`${api.baseUrl}/costs`)).arrayBuffer();
    return await settledRss(api.child.pid);
  } finally {
    await children.stop(api.child);
  }
}

/** Samples every 500 ms after a 2 s pause until four samples in a row lie within 1% (at most 15 s). */
export async function settledRss(pid: number): Promise<number[]> {
  await sleep(2_000);
  const samples: number[] = [];
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    samples.push(await residentBytes(pid));
    const recent = samples.slice(-4);
    if (recent.length === 4 && Math.max(...recent) <= Math.min(...recent) * 1.01) break;
    await sleep(500);
  }
  return samples;
}
