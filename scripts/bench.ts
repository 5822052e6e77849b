// tariff's benchmark: HTTP reads against a bare node:http server,
// quote arithmetic (from usage and from providers' response bodies) against @pydantic/genai-prices, the sync writer against a
// naive one, invalidation latency across API instances against a raw NOTIFY,
// memory against a bare express + pg process, and webhook delivery latency and
// throughput against direct POSTs, and @tariff/client (in-process quotes against
// POST /costs/quote and genai-prices, propagation to live clients, memory). Prints a table and writes
// BENCHMARKS.md.
//
//   npm run bench [-- --only apply,quote,http,invalidation,memory,webhooks,client] [--seed N]
//   npm run bench -- --ab <git ref> [--rounds N]
//
// --ab compares two API builds on the small HTTP reads: the working tree (A)
// against the code of a git ref (B), beside the bare node:http server, in
// alternating short runs (scripts/bench/ab.ts). It prints each side's req/s,
// its ratio to bare and A ÷ B with the spread over the rounds, and writes nothing.
//
// Starts everything itself (PostgreSQL: DATABASE_URL's server with fresh
// databases, else an embedded server in a temporary directory; API instances
// and baselines as child processes) and stops all of it on exit or Ctrl-C.
// Exit code 0 whether or not targets are met; non-zero only when the benchmark
// itself fails. BENCHMARKS.md is written only by a run of every measurement.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { type CatalogEntry, CatalogView } from '@tariff/pricing';
import { readCatalog } from '../src/store/read.ts';
import { createPool, type Pool } from '../src/db/pool.ts';
import { createLogger } from '../src/log.ts';
import { measureApply, parseModelsDev, registerSnapshotProviders, tariffWriter } from './bench/apply.ts';
import { measureClientMemory } from './bench/client-memory.ts';
import { measurePropagation, type PropagationSettings } from './bench/client-propagation.ts';
import { measureClientQuotes } from './bench/client-quotes.ts';
import { abTable, measureAb, type AbSettings } from './bench/ab.ts';
import { measureQuoteAb, quoteAbTable, type QuoteAbResult } from './bench/quote-ab.ts';
import { checkoutRef } from './bench/checkout.ts';
import { startDatabaseServer, type DatabaseServer } from './bench/database.ts';
import { measureHttp, type Endpoint, type LoadSettings } from './bench/http.ts';
import { measureInvalidation, measureReloadWork, POLL_MODEL, POLL_PATH, POLL_PROVIDER, type InvalidationSettings } from './bench/invalidation.ts';
import { measureMemory } from './bench/memory.ts';
import { Children, REPO_ROOT, residentBytes } from './bench/processes.ts';
import { measureQuotes } from './bench/quote.ts';
import { measureResponseQuotes } from './bench/responses.ts';
import { responseBodies } from './support/responses.ts';
import { describeMachine, loadAverage, textTable, writeGenerated } from './bench/report.ts';
import { clientDetails } from './bench/client-summary.ts';
import { markdown, rows, type Results } from './bench/summary.ts';
import { startApiProcess, type ApiProcess } from './bench/tariff.ts';
import { measureWebhooks, type WebhookSettings } from './bench/webhooks.ts';

const MEASUREMENTS = ['apply', 'quote', 'http', 'invalidation', 'memory', 'webhooks', 'client'] as const;
type Measurement = (typeof MEASUREMENTS)[number];

const LOAD: LoadSettings = { connections: 10, warmupSeconds: 2, durationSeconds: 10, rounds: 4 };
const INVALIDATION: InvalidationSettings = { commits: 100, pollIntervalMs: 1, gapMs: [100, 200] };
const WEBHOOKS: WebhookSettings = { commits: 100, gapMs: [50, 100], endpoints: 50, burstCommits: 20 };
const API_INSTANCES = 3;
const CLIENT_LOAD: LoadSettings = { connections: 10, warmupSeconds: 2, durationSeconds: 6, rounds: 2 };
const PROPAGATION: PropagationSettings = { clients: 200, processes: 1, commits: 50, gapMs: [100, 200] };
const IDLE_STREAMS = 1_000;
const QUOTE_BODY = JSON.stringify({
  provider: POLL_PROVIDER, model: POLL_MODEL,
  usage: { input_tokens: 1200, output_tokens: 350, cache_read_tokens: 4000, cache_write_tokens: 800 },
});
/**
 * A quote straight from a provider's response: the Anthropic Messages API reference example, as a client
 * would send it, with the example's placeholder `inference_geo` ("inference_geo", a 422) set to "global",
 * what a call billed at the standard price reports.
 */
const RESPONSE_QUOTE_BODY = JSON.stringify({
  provider: 'anthropic',
  response: withUsage(responseBodies().find((b) => b.name === 'anthropic/messages_api_reference')!.plain, { inference_geo: 'global' }),
});
/** The in-process A/B's requests: measurement 1–2's usage quote, and the OpenAI chat body section 8 quotes. */
const QUOTE_AB_REQUESTS = {
  'usage object': JSON.parse(QUOTE_BODY) as unknown,
  'OpenAI chat body': { provider: 'openai', response: responseBodies().find((b) => b.format === 'openai_chat')!.plain },
};
const QUOTE_AB_MS = 1_500;
const ENDPOINTS: Endpoint[] = [
  { name: 'GET /costs', method: 'GET', path: '/costs' },
  { name: 'GET /costs/:provider/:model', method: 'GET', path: POLL_PATH },
  { name: 'POST /costs/quote', method: 'POST', path: '/costs/quote', body: QUOTE_BODY },
  { name: 'POST /costs/quote (response)', method: 'POST', path: '/costs/quote', body: RESPONSE_QUOTE_BODY },
];

/** The small reads, where a microsecond of tariff's own work shows in the ratio; GET /costs is bound by its 2.8 MB of bytes. */
const AB_ENDPOINTS = ENDPOINTS.filter((endpoint) => endpoint.path !== '/costs');

const { values: args } = parseArgs({
  options: { only: { type: 'string' }, seed: { type: 'string', default: '6' }, ab: { type: 'string' }, rounds: { type: 'string', default: '8' } },
});
const AB: AbSettings = { connections: LOAD.connections, rounds: Number(args.rounds), warmupSeconds: 1.5, runSeconds: 2.5 };
if (args.ab !== undefined && args.only !== undefined) throw new Error('--ab runs on its own: it takes no --only');
if (!Number.isInteger(AB.rounds) || AB.rounds < 2) throw new Error(`--rounds: a whole number ≥ 2, got "${args.rounds}"`);
const selected = new Set<Measurement>(args.only
  ? args.only.split(',').map((name) => {
    if (!(MEASUREMENTS as readonly string[]).includes(name)) throw new Error(`--only: unknown measurement "${name}" (known: ${MEASUREMENTS.join(', ')})`);
    return name as Measurement;
  })
  : MEASUREMENTS);
const seed = Number(args.seed);

const logger = createLogger(process.env.LOG_LEVEL ?? 'warn', 'tariff-bench');
const startedAt = performance.now();
const loadBefore = loadAverage();
const tempDir = await mkdtemp(path.join(tmpdir(), 'tariff-bench-'));
const logDir = path.join(tempDir, 'logs');
await mkdir(logDir);
const children = new Children(logDir);
const pools: Pool[] = [];
/** Kept as a promise so that a Ctrl-C while PostgreSQL is still starting stops it once it is up. */
let serverStart: Promise<DatabaseServer> | undefined;
let failed = false;
let interrupted = false;

/** The 1-minute load average when each measurement started: other work on the machine skews the numbers. */
const loadAtStep: Array<[string, string]> = [];

/** The response body with `fields` set in its usage. */
function withUsage(body: unknown, fields: Record<string, unknown>): unknown {
  const response = body as { usage: Record<string, unknown> };
  return { ...response, usage: { ...response.usage, ...fields } };
}

function progress(message: string, step?: string): void {
  if (step) loadAtStep.push([step, loadAverage().split(' ')[0]!]);
  process.stderr.write(`[bench ${((performance.now() - startedAt) / 1000).toFixed(0).padStart(4)} s] ${message}\n`);
}

let cleaning: Promise<void> | undefined;
function cleanup(): Promise<void> {
  cleaning ??= (async () => {
    const problems: unknown[] = [];
    const attempt = async (fn: () => Promise<unknown>) => { await fn().catch((err: unknown) => problems.push(err)); };
    await attempt(() => children.stopAll());
    for (const pool of pools) await attempt(() => pool.end());
    await attempt(async () => (await serverStart)?.stop());
    // A failed run keeps its child processes' logs for diagnosis; everything else goes (all of it on Ctrl-C).
    const keepLogs = failed && !interrupted;
    await attempt(() => (keepLogs ? rm(path.join(tempDir, 'pgdata'), { recursive: true, force: true }) : rm(tempDir, { recursive: true, force: true })));
    for (const err of problems) process.stderr.write(`cleanup: ${(err instanceof Error ? err.message : String(err)).split('\n')[0]}\n`);
  })();
  return cleaning;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    interrupted = true;
    progress(`${signal}: stopping everything the benchmark started`);
    void cleanup().finally(() => process.exit(130));
  });
}

// pg-pool's end() resolves before its sockets have closed, so stopping the server right
// after it makes them report 57P01 as "connection lost": expected at the end of a run.
const poolLogger = logger.child({ component: 'bench-pool' }, { level: 'error' });

function openPool(url: string): Pool {
  const pool = createPool({ connectionString: url, max: 4, applicationName: 'tariff-bench', logger: poolLogger });
  pools.push(pool);
  return pool;
}

async function closePool(pool: Pool): Promise<void> {
  pools.splice(pools.indexOf(pool), 1);
  await pool.end();
}

/** npm run bench -- --ab <ref>: the working tree against the ref, on one database holding the models.dev snapshot. */
async function runAb(ref: string): Promise<void> {
  const checkout = await checkoutRef(ref, path.join(tempDir, 'ref'));
  progress(`A/B: working tree (A) against ${ref} = ${checkout.commit.slice(0, 12)} (B), ${AB.rounds} rounds; PostgreSQL ${process.env.DATABASE_URL ? 'from DATABASE_URL' : 'embedded'}`);
  serverStart = startDatabaseServer(tempDir, logger);
  const server = await serverStart;
  const serveUrl = await server.createDatabase('serve');
  const pool = openPool(serveUrl);
  const snapshot = await parseModelsDev();
  await registerSnapshotProviders(pool, snapshot.providers);
  await tariffWriter(pool, snapshot.providers);
  let quotes: QuoteAbResult[] = [];
  const results = await measureAb({
    children, workDir: tempDir, databaseUrl: serveUrl, refRoot: checkout.root, endpoints: AB_ENDPOINTS, settings: AB, progress,
    alsoWithApis: async (urls) => {
      progress(`A/B in process: tariff.quote, ${AB.rounds} rounds × 2 sides × ${QUOTE_AB_MS} ms per request`);
      quotes = await measureQuoteAb({ children, workDir: tempDir, refRoot: checkout.root, urls, requests: QUOTE_AB_REQUESTS, rounds: AB.rounds, ms: QUOTE_AB_MS });
    },
  });
  process.stdout.write(`\n${abTable(results, { a: 'working tree', b: `${ref} (${checkout.commit.slice(0, 12)})` })}\n\n${quoteAbTable(quotes)}\n\n`);
  process.stdout.write(`load average before / after: ${loadBefore} / ${loadAverage()}; ${((performance.now() - startedAt) / 1000).toFixed(0)} s\n`);
}

async function run(): Promise<void> {
  if (args.ab !== undefined) return runAb(args.ab);
  progress(`measurements: ${[...selected].join(', ')}; PostgreSQL ${process.env.DATABASE_URL ? 'from DATABASE_URL' : 'embedded'}`);
  serverStart = startDatabaseServer(tempDir, logger);
  const server = await serverStart;
  const serveUrl = await server.createDatabase('serve');
  const pool = openPool(serveUrl);
  const snapshot = await parseModelsDev();
  progress(`models.dev snapshot: ${snapshot.providers.length} providers, ${snapshot.models} models`);
  const results: Results = {
    machine: await describeMachine(server.version, loadBefore),
    database: server.kind,
    snapshot: { providers: snapshot.providers.length, models: snapshot.models, skipped: snapshot.skipped, bytes: snapshot.bytes, parseMs: snapshot.parseMs },
    seconds: 0,
  };

  let entries: CatalogEntry[] = [];
  const readEntries = async () => { entries = (await readCatalog(pool)).entries; };
  if (selected.has('apply')) {
    progress('4. sync apply: warm-up, then tariff vs naive writer, three phases', 'apply');
    const names = ['one_pass', 'naive', 'warm_tariff', 'warm_one_pass', 'warm_naive'];
    const urls: string[] = [];
    for (const name of names) urls.push(await server.createDatabase(name));
    const [onePass, naive, warmTariff, warmOnePass, warmNaive] = urls.map(openPool) as [Pool, Pool, Pool, Pool, Pool];
    results.apply = await measureApply({
      snapshot, seed,
      pools: { tariff: pool, tariffOnePass: onePass, naive },
      warmPools: { tariff: warmTariff, tariffOnePass: warmOnePass, naive: warmNaive },
      afterInitial: readEntries,
    });
    for (const [i, extra] of [onePass, naive, warmTariff, warmOnePass, warmNaive].entries()) {
      await closePool(extra);
      await server.dropDatabase(urls[i]!);
    }
  } else {
    await registerSnapshotProviders(pool, snapshot.providers);
    await tariffWriter(pool, snapshot.providers);
    await readEntries();
  }

  if (selected.has('quote')) {
    progress('3. quote() vs calcPrice', 'quote');
    results.quotes = measureQuotes(entries, seed);
    progress('3b. quotes from response bodies vs extractUsage + calcPrice');
    results.responses = measureResponseQuotes(new CatalogView({ version: 0, changed_at: new Date().toISOString(), providers: [], entries, rates: [] }));
  }

  if (selected.has('http') || selected.has('invalidation')) {
    progress(`starting ${API_INSTANCES} API instances`);
    const instances: ApiProcess[] = [];
    for (let i = 0; i < API_INSTANCES; i++) instances.push(await startApiProcess(children, `api-${i + 1}`, serveUrl));
    if (selected.has('http')) {
      progress(`1–2. HTTP: ${ENDPOINTS.length} endpoints × 3 servers × ${LOAD.rounds} runs × (${LOAD.warmupSeconds} s + ${LOAD.durationSeconds / LOAD.rounds} s)`, 'http');
      const measured = await measureHttp(children, tempDir, { url: instances[0]!.baseUrl, pid: instances[0]!.child.pid }, ENDPOINTS, LOAD);
      results.http = { settings: LOAD, ...measured, rssAfterLoadBytes: await residentBytes(instances[0]!.child.pid) };
    }
    if (selected.has('invalidation')) {
      progress(`5. invalidation: ${INVALIDATION.commits} commits, ${API_INSTANCES} instances`, 'invalidation');
      const anthropic = snapshot.providers.find((p) => p.id === POLL_PROVIDER);
      if (!anthropic) throw new Error(`the models.dev snapshot has no ${POLL_PROVIDER}`);
      results.invalidation = await measureInvalidation({
        children, pool, databaseUrl: serveUrl, instanceUrls: instances.map((i) => i.baseUrl), provider: anthropic, settings: INVALIDATION, seed,
      });
    }
    for (const instance of instances) await children.stop(instance.child);
    if (results.invalidation) {
      progress('5. what an instance does per commit, timed in-process');
      results.reloadWork = await measureReloadWork(pool, snapshot.providers.find((p) => p.id === POLL_PROVIDER)!, logger);
    }
  }

  if (selected.has('memory')) {
    progress('6. memory', 'memory');
    results.memory = await measureMemory(children, serveUrl, await server.createDatabase('empty'));
  }

  if (selected.has('webhooks')) {
    progress(`7. webhooks: ${WEBHOOKS.commits} commits to one endpoint, then ${WEBHOOKS.burstCommits} commits to ${WEBHOOKS.endpoints} endpoints`, 'webhooks');
    const anthropic = snapshot.providers.find((p) => p.id === POLL_PROVIDER);
    if (!anthropic) throw new Error(`the models.dev snapshot has no ${POLL_PROVIDER}`);
    results.webhooks = await measureWebhooks({ children, pool, databaseUrl: serveUrl, provider: anthropic, settings: WEBHOOKS, seed });
  }

  if (selected.has('client')) {
    results.client = {};
    progress('8a. @tariff/client quotes vs POST /costs/quote and genai-prices', 'client');
    const api = await startApiProcess(children, 'api-client', serveUrl);
    try {
      results.client.quotes = await measureClientQuotes(children, { baseUrl: api.baseUrl, pid: api.child.pid }, QUOTE_BODY, CLIENT_LOAD);
    } finally {
      await children.stop(api.child);
    }
    progress(`8b. propagation: ${PROPAGATION.commits} commits to ${PROPAGATION.clients} live clients`);
    const anthropic = snapshot.providers.find((p) => p.id === POLL_PROVIDER);
    if (!anthropic) throw new Error(`the models.dev snapshot has no ${POLL_PROVIDER}`);
    const propagationUrl = await server.createDatabase('propagation');
    const propagationPool = openPool(propagationUrl);
    await registerSnapshotProviders(propagationPool, [anthropic]);
    await tariffWriter(propagationPool, [anthropic]);
    const followed = await startApiProcess(children, 'api-propagation', propagationUrl);
    try {
      results.client.propagation = await measurePropagation({
        children, pool: propagationPool, api: { baseUrl: followed.baseUrl, pid: followed.child.pid }, provider: anthropic, models: anthropic.records.length, settings: PROPAGATION, seed,
      });
    } finally {
      await children.stop(followed.child);
      await closePool(propagationPool);
      await server.dropDatabase(propagationUrl);
    }
    progress(`8c. memory: a client with the full catalog; an API instance with ${IDLE_STREAMS} idle change streams`);
    results.client.memory = await measureClientMemory(children, serveUrl, IDLE_STREAMS);
  }

  results.seconds = (performance.now() - startedAt) / 1000;
  results.machine.loadAfter = loadAverage();
  results.loadAtStep = loadAtStep;
  const table = rows(results);
  process.stdout.write(`\n${textTable(table)}\n\n`);
  process.stdout.write(`load average before / after: ${results.machine.loadBefore} / ${results.machine.loadAfter}; ${results.seconds.toFixed(0)} s\n`);
  if (selected.size === MEASUREMENTS.length) {
    await writeGenerated(path.join(REPO_ROOT, 'BENCHMARKS.md'), markdown(results, table));
    progress('wrote BENCHMARKS.md');
  } else {
    // What BENCHMARKS.md would say of the measurement of its own: its settings and details.
    if (results.client) process.stdout.write(`${clientDetails(results.client).join('\n')}\n`);
    progress('partial run (--only): BENCHMARKS.md left as it was');
  }
}

let exitCode = 0;
try {
  await run();
} catch (err) {
  failed = true;
  exitCode = 1;
  // On Ctrl-C the children stop under the running measurement: that failure is expected, not news.
  if (!interrupted) process.stderr.write(`benchmark failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\nchild logs kept in ${logDir}\n`);
} finally {
  await cleanup();
}
process.exit(exitCode);
