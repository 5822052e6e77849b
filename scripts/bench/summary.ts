// Turns the measurements into the results table and the BENCHMARKS.md text:
// settings and details per measurement, and what bounds a missed target.
import type { ApplyMeasurement } from './apply.ts';
import { clientDetails, clientRows, type ClientMeasurement } from './client-summary.ts';
import { PINNED, type EndpointComparison, type LoadSettings } from './http.ts';
import type { InvalidationMeasurement, ReloadWork } from './invalidation.ts';
import type { MemoryMeasurement } from './memory.ts';
import type { QuoteMeasurement } from './quote.ts';
import type { ResponseMeasurement } from './responses.ts';
import { WARMUP_COMMITS as WARMUP, type WebhookMeasurement } from './webhooks.ts';
import { fmt, markdownTable, resultsTable, type Machine, type Row } from './report.ts';
import { mean, percentile } from './stats.ts';
import { START_API } from './tariff.ts';

export interface Results {
  machine: Machine;
  database: string;
  snapshot: { providers: number; models: number; skipped: number; bytes: number; parseMs: number };
  http?: { settings: LoadSettings; comparisons: EndpointComparison[]; pinned: boolean; rssAfterLoadBytes: number };
  quotes?: QuoteMeasurement;
  responses?: ResponseMeasurement;
  apply?: ApplyMeasurement;
  invalidation?: InvalidationMeasurement;
  reloadWork?: ReloadWork;
  memory?: MemoryMeasurement;
  webhooks?: WebhookMeasurement;
  client?: ClientMeasurement;
  seconds: number;
  /** [measurement, 1-minute load average when it started] */
  loadAtStep?: Array<[string, string]>;
}

export const TARGETS = {
  costsThroughput: 0.8,
  smallThroughput: 0.75,
  responseThroughput: 0.7,
  applySpeedup: 10,
  invalidationP99Ms: 50,
  memoryBytes: 150e6,
};

export function rows(r: Results): Row[] {
  const out: Row[] = [];
  for (const c of r.http?.comparisons ?? []) {
    const target = c.endpoint.path === '/costs' ? TARGETS.costsThroughput
      : c.endpoint.name.endsWith('(response)') ? TARGETS.responseThroughput : TARGETS.smallThroughput;
    const ratio = c.tariff.requestsPerSecond / c.bare.requestsPerSecond;
    out.push({
      measurement: `${c.endpoint.name} req/s`,
      tariff: fmt.int(c.tariff.requestsPerSecond), baseline: fmt.int(c.bare.requestsPerSecond),
      ratio: fmt.ratio(ratio), target: `≥ ${target}×`, met: ratio >= target,
    });
    out.push({
      measurement: `${c.endpoint.name} p50 / p99`,
      tariff: `${fmt.ms(c.tariff.latencyMs.p50)} / ${fmt.ms(c.tariff.latencyMs.p99)}`,
      baseline: `${fmt.ms(c.bare.latencyMs.p50)} / ${fmt.ms(c.bare.latencyMs.p99)}`,
      ratio: `${fmt.ratio(c.tariff.latencyMs.p50 / c.bare.latencyMs.p50)} / ${fmt.ratio(c.tariff.latencyMs.p99 / c.bare.latencyMs.p99)}`,
      target: '—', met: null,
    });
  }
  if (r.quotes) {
    const q = r.quotes;
    const speed = q.genaiNsPerCall / q.tariffNsPerCall;
    out.push({
      measurement: 'quote() vs calcPrice, per call', tariff: `${fmt.int(q.tariffNsPerCall)} ns`, baseline: `${fmt.int(q.genaiNsPerCall)} ns`,
      ratio: `${fmt.ratio(speed)} as fast`, target: '≥ 1× as fast', met: speed >= 1,
    });
    out.push({
      measurement: 'resolveModel + quote() vs calcPrice', tariff: `${fmt.int(q.tariffLookupNsPerCall)} ns`, baseline: `${fmt.int(q.genaiNsPerCall)} ns`,
      ratio: `${fmt.ratio(q.genaiNsPerCall / q.tariffLookupNsPerCall)} as fast`, target: '—', met: null,
    });
    out.push({
      measurement: 'quote totals agreeing (1e-9 rel.)', tariff: `${q.agree} / ${q.pairs}`, baseline: 'genai-prices',
      ratio: '—', target: '—', met: null,
    });
  }
  if (r.responses) {
    const m = r.responses;
    const agree = m.bodies.filter((b) => b.agree === true).length;
    out.push({
      measurement: 'quote from a response body vs extractUsage + calcPrice, per call', tariff: `${fmt.int(m.tariffNsPerCall)} ns`,
      baseline: `${fmt.int(m.genaiNsPerCall)} ns`, ratio: `${fmt.ratio(m.genaiNsPerCall / m.tariffNsPerCall)} as fast`, target: '—', met: null,
    });
    out.push({
      measurement: 'response-body totals agreeing (1e-9 rel.)', tariff: `${agree} / ${m.bodies.length}`, baseline: 'genai-prices',
      ratio: '—', target: '—', met: null,
    });
  }
  for (const p of r.apply?.phases ?? []) {
    for (const [how, run] of [['per-provider transactions', p.tariff], ['one pass', p.tariffOnePass]] as const) {
      const speedup = p.naive.ms / run.ms;
      out.push({
        measurement: `apply, ${p.phase} (${how})`, tariff: fmt.ms(run.ms), baseline: fmt.ms(p.naive.ms),
        ratio: `${fmt.ratio(speedup)} faster`, target: `≥ ${TARGETS.applySpeedup}× faster`, met: speedup >= TARGETS.applySpeedup,
      });
    }
  }
  const unchanged = r.apply?.phases.find((p) => p.phase === 'unchanged re-sync');
  if (unchanged) {
    out.push({
      measurement: 'history rows, unchanged re-sync', tariff: fmt.int(unchanged.tariff.historyRows), baseline: fmt.int(unchanged.naive.historyRows),
      ratio: '—', target: '0', met: unchanged.tariff.historyRows === 0,
    });
  }
  if (r.invalidation) {
    const inv = r.invalidation;
    const p50 = percentile(inv.allInstancesMs, 50);
    const p99 = percentile(inv.allInstancesMs, 99);
    const raw50 = percentile(inv.rawNotifyMs, 50);
    const raw99 = percentile(inv.rawNotifyMs, 99);
    // The raw NOTIFY can reach the listener before the committer's COMMIT returns: a time ≤ 0 has no meaningful ratio.
    const over = (a: number, b: number) => (b > 0 ? fmt.ratio(a / b) : '—');
    out.push({
      measurement: `invalidation p50, ${inv.instances} instances`, tariff: fmt.ms(p50), baseline: `${fmt.ms(raw50)} (raw NOTIFY)`,
      ratio: over(p50, raw50), target: '—', met: null,
    });
    out.push({
      measurement: `invalidation p99, ${inv.instances} instances`, tariff: fmt.ms(p99), baseline: `${fmt.ms(raw99)} (raw NOTIFY)`,
      ratio: over(p99, raw99), target: `< ${TARGETS.invalidationP99Ms} ms`, met: p99 < TARGETS.invalidationP99Ms && inv.timedOut === 0,
    });
  }
  if (r.memory) {
    const m = r.memory;
    out.push({
      measurement: 'RSS, API with full catalog', tariff: `${fmt.mb(m.tariffBytes)} (${fmt.mib(m.tariffBytes)})`,
      baseline: `${fmt.mb(m.baselineBytes)} (express+pg)`,
      ratio: fmt.ratio(m.tariffBytes / m.baselineBytes), target: `< ${TARGETS.memoryBytes / 1e6} MB`, met: m.tariffBytes < TARGETS.memoryBytes,
    });
  }
  if (r.webhooks) out.push(...webhookRows(r.webhooks));
  if (r.client) out.push(...clientRows(r.client));
  return out;
}

function webhookRows(w: WebhookMeasurement): Row[] {
  const [p50, p99, d50, d99] = [percentile(w.latencyMs, 50), percentile(w.latencyMs, 99), percentile(w.directMs, 50), percentile(w.directMs, 99)];
  const rate = w.burst.deliveries / w.burst.seconds;
  const directRate = w.burst.deliveries / w.burst.directSeconds;
  return [
    {
      measurement: 'webhook commit → delivery p50 / p99', tariff: `${fmt.ms(p50)} / ${fmt.ms(p99)}`,
      baseline: `${fmt.ms(d50)} / ${fmt.ms(d99)} (direct POST)`, ratio: `${fmt.ratio(p50 / d50)} / ${fmt.ratio(p99 / d99)}`,
      target: '—', met: w.timedOut === 0 ? null : false,
    },
    {
      measurement: `webhook deliveries/s, ${w.settings.endpoints} endpoints`, tariff: fmt.int(rate), baseline: `${fmt.int(directRate)} (direct POSTs)`,
      ratio: fmt.ratio(rate / directRate), target: '—', met: null,
    },
  ];
}

export function markdown(r: Results, table: readonly Row[]): string {
  const m = r.machine;
  const parts = [
    '## Machine',
    '',
    markdownTable(['', ''], [
      ['CPU', m.cpu], ['cores', String(m.cores)], ['memory', m.memory], ['Node.js', m.node],
      ['PostgreSQL', `${m.postgres} (${r.database})`], ['date', m.date],
      ['load average (1/5/15 min) before / after', `${m.loadBefore} / ${m.loadAfter}`],
      ['load average (1 min) as each measurement started', (r.loadAtStep ?? []).map(([step, load]) => `${step} ${load}`).join(', ')],
      ['whole run', `${r.seconds.toFixed(0)} s`],
    ]),
    '',
    'Everything runs on this one machine: PostgreSQL, the tariff processes, the baselines and the load generator share its cores, so the absolute numbers are lower than on a dedicated host; the ratios compare like with like, measured in the same run. Every measurement follows a warm-up.',
    '',
    '## Results',
    '',
    resultsTable(table),
    '',
    'Ratios: throughput and latency are tariff ÷ baseline; the apply rows are naive ÷ tariff (how many times faster tariff is); the quote rows are calcPrice time ÷ tariff time; the tariff.quote rows are the client\'s quotes per second ÷ POST /costs/quote\'s requests per second, and genai-prices\' time ÷ the client\'s.',
    '',
    ...details(r),
    ...bounds(r, table),
  ];
  return parts.join('\n');
}

function details(r: Results): string[] {
  const out: string[] = ['## How each is measured', ''];
  if (r.http) {
    const s = r.http.settings;
    out.push('### 1–2. HTTP reads: tariff vs a bare node:http server', '',
      `autocannon 9 through its API in a process of its own (scripts/bench/load.ts), ${s.connections} connections, pipelining 1, ` +
      `${s.durationSeconds} s measured per server and endpoint, as ${s.rounds} runs of ${s.durationSeconds / s.rounds} s in alternating order ` +
      '(tariff, bare, Express floor, then Express floor, bare, tariff, and so on), ' +
      `each run after its own ${s.warmupSeconds} s warm-up; the same settings for every server. ` +
      (r.http.pinned
        ? `The server under test (tariff, the bare server and the Express floor alike, every thread of each) runs pinned to CPU ${PINNED.server} and each load generator to CPU ${PINNED.load} (taskset), ` +
          'so the load generator never takes CPU time from the server it measures, and each server gets one CPU; PostgreSQL and the idle processes are not pinned. '
        : 'Nothing is pinned to a CPU (taskset unavailable or a single CPU): the load generator shares the CPUs with the server it measures. ') +
      'Latency percentiles come from every response\'s own time (autocannon\'s histogram rounds to whole ms). ' +
      `tariff is one API process, started as package.json's start:api starts it (\`${apiCommand()}\`); the baselines run with the same node flags (${START_API.nodeFlags.join(' ') || 'none'}); ` +
      'the baseline is a `node:http` process (scripts/bench/bare-server.ts) answering the bytes and headers recorded from tariff once ' +
      '(a POST reads and JSON-parses its body first), as a Buffer, which node:http sends with the headers in one writev. ' +
      'tariff answers quotes, and memoised bodies up to 64 KiB, as strings, which node:http sends in the same write as the headers (GET /costs stays a Buffer); ' +
      'a bare server could do the same, so the small-body ratios include that difference in how the bytes are written. ' +
      'The "Express floor" (informational) is the same recorded bytes served by a minimal Express 5 app ' +
      '(no middleware but express.json() on the POST route): what the framework alone costs. Only 2xx responses are counted; any error fails the run.', '',
      markdownTable(['endpoint', 'body', 'tariff req/s', 'bare req/s', 'Express floor req/s', 'tariff ÷ Express floor', 'tariff MB/s', 'bare MB/s', 'tariff p50 / p99', 'bare p50 / p99', 'Express floor p50 / p99'],
        r.http.comparisons.map((c) => [
          `${c.endpoint.method} ${c.endpoint.path}`, `${fmt.int(c.bytes)} B`,
          fmt.int(c.tariff.requestsPerSecond), fmt.int(c.bare.requestsPerSecond), fmt.int(c.express.requestsPerSecond),
          fmt.ratio(c.tariff.requestsPerSecond / c.express.requestsPerSecond),
          (c.tariff.bytesPerSecond / 1e6).toFixed(0), (c.bare.bytesPerSecond / 1e6).toFixed(0),
          `${fmt.ms(c.tariff.latencyMs.p50)} / ${fmt.ms(c.tariff.latencyMs.p99)}`, `${fmt.ms(c.bare.latencyMs.p50)} / ${fmt.ms(c.bare.latencyMs.p99)}`,
          `${fmt.ms(c.express.latencyMs.p50)} / ${fmt.ms(c.express.latencyMs.p99)}`,
        ])), '');
    const quoteBody = r.http.comparisons.find((c) => c.endpoint.method === 'POST')?.endpoint.body;
    if (quoteBody) out.push(`Quote request body: \`${quoteBody}\``, '');
    out.push(`RSS of that API instance after these runs: ${fmt.mib(r.http.rssAfterLoadBytes)}.`, '');
  }
  if (r.quotes) {
    const q = r.quotes;
    out.push('### 3. Cost arithmetic in-process: quote() vs genai-prices calcPrice', '',
      `${q.pairs} (model, usage) pairs over the ${q.models} quotable models of tariff's catalog (the models.dev snapshot as loaded into the database) ` +
      `that @pydantic/genai-prices 0.1.8 resolves under the same provider (${q.providers.join(', ')}). Usages come from a seeded PRNG: ` +
      'uncached input 0–50k tokens (10% of pairs 150k–400k, to cross long-context tiers), output 0–8k, cache reads on half, cache writes on 30%, ' +
      'reasoning tokens on 25%. genai-prices counts cache tokens inside input_tokens and reasoning inside output_tokens ' +
      '(output_reasoning_tokens), so its usage is mapped that way; it is asked for prices as of the models.dev capture date. ' +
      `Timed after 5 warm-up passes, in 5 alternating rounds: quote() ${fmt.int(q.passes.tariff)} passes, ` +
      `resolveModel + quote() ${fmt.int(q.passes.tariffLookup)}, calcPrice ${fmt.int(q.passes.genai)} (each side ~1.5 s). ` +
      'quote() gets the catalog entry; calcPrice gets the model id and provider id, since looking the model up is part of its work; ' +
      'the middle row adds tariff\'s own lookup (resolveModel) for a like-for-like comparison.', '',
      `Agreement: ${q.agree} of ${q.pairs} totals agree within 1e-9 relative (tariff's exact decimal total vs calcPrice's float); ${q.disagreements.length} disagree.`, '');
    if (q.disagreements.length > 0) {
      const byModel = new Map<string, typeof q.disagreements>();
      for (const d of q.disagreements) {
        const key = `${d.provider}/${d.model_id}`;
        byModel.set(key, [...(byModel.get(key) ?? []), d]);
      }
      out.push('<details>', `<summary>Disagreements by model (${byModel.size} models; one example pair each)</summary>`, '',
        markdownTable(['model (genai-prices model)', 'pairs', 'example usage (in/out/cache r/cache w/reasoning)', 'tariff total', 'calcPrice total', 'reason'],
          [...byModel].map(([key, list]) => {
            const d = list[0]!;
            const u = d.usage;
            return [`${key} (${d.genai_model})`, String(list.length),
              `${u.input_tokens}/${u.output_tokens}/${u.cache_read_tokens ?? 0}/${u.cache_write_tokens ?? 0}/${u.reasoning_tokens ?? 0}`,
              d.tariff_total, String(d.genai_total), d.reason];
          })), '', '</details>', '');
    }
  }
  if (r.responses) {
    const m = r.responses;
    out.push('### 3b. Quotes from providers\' response bodies in-process: tariff vs genai-prices extractUsage + calcPrice', '',
      `The ${m.bodies.length} examples from the providers' API references in test/fixtures/responses/ that both price (each fixture names its source). ` +
      'tariff: readResponse (format given) + resolveModel + quote(), as POST /costs/quote with `response` computes; ' +
      'genai-prices: extractUsage (the provider\'s API flavour) + calcPrice. Both sides price from their own data: tariff from its catalog ' +
      `(the models.dev snapshot), genai-prices from its bundled prices. Timed after 5 warm-up passes, in 5 alternating rounds: tariff ${fmt.int(m.passes.tariff)} passes, ` +
      `genai-prices ${fmt.int(m.passes.genai)}.`, '',
      markdownTable(['body', 'model', 'tariff total', 'genai-prices total', 'agree'],
        m.bodies.map((b) => [b.name, b.model, b.tariff_total, b.genai_total === null ? '—' : String(b.genai_total), b.agree === null ? '—' : b.agree ? 'yes' : 'no'])), '');
  }
  if (r.apply) {
    const a = r.apply;
    out.push('### 4. Sync apply of the full models.dev snapshot', '',
      `${r.snapshot.providers} providers, ${fmt.int(r.snapshot.models)} models (${r.snapshot.skipped} skipped by the parser) from ` +
      `models-dev-api.json (${fmt.mb(r.snapshot.bytes)}), parsed once by tariff's own parser (${fmt.ms(r.snapshot.parseMs)}, not timed below). ` +
      'Two ways tariff applies it, both with its own writer: "per-provider transactions" is `applyPrices` per provider, each in its own ' +
      'transaction, as the sync jobs run (one job per provider): lock, read stored prices, diff, set-based writes, commit. "One pass" is one ' +
      '`applyPriceSets` call with every provider\'s list, in one transaction, as the first-start snapshot loader runs. ' +
      'Naive, as specified: in one transaction, delete every price row, then one INSERT per model and one price_history INSERT per model, ' +
      'then a version bump. ' +
      `Each writer on a fresh database of its own, cloned from one migrated template; within a phase the writers take turns. 10% changed: a seeded ${fmt.int(a.changed)} models (10%, chosen among those with a non-zero input price) get 1.1× their input price. ` +
      `Warm-up: every writer ran all three phases on ${a.warmupProviders} providers (${fmt.int(a.warmupModels)} models) in throwaway databases. ` +
      'PostgreSQL runs with its defaults (fsync and synchronous_commit on), so every commit that wrote waits for a WAL flush.', '',
      markdownTable(['phase', 'tariff, per-provider transactions', 'tariff, one pass', 'naive', 'tariff history rows', 'naive history rows'],
        a.phases.map((p) => [p.phase, fmt.ms(p.tariff.ms), fmt.ms(p.tariffOnePass.ms), fmt.ms(p.naive.ms), fmt.int(p.tariff.historyRows), fmt.int(p.naive.historyRows)])), '');
  }
  if (r.invalidation) {
    const inv = r.invalidation;
    const perInstance = inv.perInstanceMs[0]?.map((_, i) => inv.perInstanceMs.map((row) => row[i]!)) ?? [];
    out.push('### 5. Invalidation latency', '',
      `${inv.instances} API instances (\`${apiCommand()}\`, separate processes) serving the full catalog. ${inv.settings.commits} commits (after 5 warm-up commits), ` +
      'each an `applyPrices` of the anthropic provider with claude-sonnet-4-5\'s input price set to a new value, committed from the bench process. ' +
      `A poller process requests \`GET /costs/anthropic/claude-sonnet-4-5\` on each instance every ~${inv.settings.pollIntervalMs} ms over a keep-alive connection and notes when each first answers with ` +
      'the new X-Catalog-Version; latency is that moment minus the moment the committing transaction returned (CLOCK_MONOTONIC, shared by all processes). ' +
      `After every instance has it, the bench waits ${inv.settings.gapMs[0]}–${inv.settings.gapMs[1]} ms (seeded) before the next commit, so each commit is timed on its own. ` +
      'Baseline: a bare pg LISTEN client process on the same channel, timed on the same commits; a time ≤ 0 means the notification reached it ' +
      'before the committer\'s COMMIT call had returned (PostgreSQL sends both at commit).', '',
      markdownTable(['', 'p50', 'p90', 'p99', 'max', 'mean'], [
        ['every instance serves it', ...stats(inv.allInstancesMs)],
        ...perInstance.map((values, i) => [`instance ${i + 1}`, ...stats(values)]),
        ['raw NOTIFY to a LISTEN client', ...stats(inv.rawNotifyMs)],
      ]), '',
      `Commits not served by every instance within 5 s: ${inv.timedOut}.`, '');
    if (r.reloadWork) {
      const w = r.reloadWork;
      out.push(`What each instance does per commit, timed afterwards in the bench process once the API instances and the poller have stopped (median of ${w.commits} commits of the same kind), through tariff's own code: ` +
        `\`CatalogCache.reload\` (read the delta, apply it) ${fmt.ms(w.reloadMs)}, then the costs router's post-load hook (rebuilding the GET /costs body) ${fmt.ms(w.afterLoadMs)}. ` +
        'The hook runs on the event loop right after the new version is swapped in, so a request arriving meanwhile waits for it.', '');
    }
  }
  if (r.memory) {
    const m = r.memory;
    out.push('### 6. Memory', '',
      `A fresh API instance (\`${apiCommand()}\`, no other instance running) loads the full catalog and serves \`GET /costs\` 5 times; after a 2 s pause VmRSS (/proc/<pid>/status) is sampled every 500 ms ` +
      'until four samples lie within 1%; the last is reported. Baseline: a node process with the same node flags that loaded express and pg, connected a pool and served a trivial route 5 times, sampled the same way.', '',
      `tariff samples: ${m.tariffSamples.map(fmt.mib).join(', ')}; baseline samples: ${m.baselineSamples.map(fmt.mib).join(', ')}. ` +
      `The same API process on a catalog with no prices (tariff's code, no catalog), measured the same way: ${fmt.mb(m.emptyCatalogBytes)}; ` +
      `so the full catalog accounts for ${fmt.mb(m.tariffBytes - m.emptyCatalogBytes)} and tariff's code over express + pg for ${fmt.mb(m.emptyCatalogBytes - m.baselineBytes)}.`, '');
  }
  if (r.webhooks) {
    const w = r.webhooks;
    out.push('### 7. Webhooks', '',
      `A tariff worker process (\`node src/main.ts worker\`, WEBHOOK_CONCURRENCY ${w.concurrency}) delivers to a node:http receiver in the bench process that answers 204 at once. ` +
      `Latency: ${w.settings.commits} commits (after ${WARMUP} warm-up commits), each an applyPrices of anthropic with one price changed, ${w.settings.gapMs[0]}–${w.settings.gapMs[1]} ms apart, ` +
      'each timed from its COMMIT returning to the receiver having the whole request (one clock, CLOCK_MONOTONIC, for both). ' +
      'It covers the outbox rows written in the commit, graphile-worker picking the job up (LISTEN jobs:insert), reading and signing the delivery and the POST (not recording the outcome). ' +
      'Baseline: the same receiver timed for a POST of a small body sent directly from the bench process, one at a time, one connection per request as the worker uses.', '',
      markdownTable(['', 'p50', 'p90', 'p99', 'max', 'mean'], [
        ['commit → delivered', ...stats(w.latencyMs)], ['direct POST', ...stats(w.directMs)],
      ]), '',
      `Commits not delivered within 10 s: ${w.timedOut}. ` +
      `Throughput: ${w.settings.endpoints} endpoints subscribed to price.changed, ${w.settings.burstCommits} commits back to back: ${fmt.int(w.burst.deliveries)} deliveries (one job each, one queue per endpoint) ` +
      `in ${w.burst.seconds.toFixed(2)} s from the first commit to the last arrival; the same number of POSTs sent directly, ${w.concurrency} at a time, took ${w.burst.directSeconds.toFixed(2)} s.`, '');
  }
  if (r.client) out.push(...clientDetails(r.client));
  return out;
}

function stats(values: readonly number[]): string[] {
  return [percentile(values, 50), percentile(values, 90), percentile(values, 99), Math.max(...values), mean(values)].map(fmt.ms);
}

function bounds(r: Results, table: readonly Row[]): string[] {
  const missed = table.filter((row) => row.met === false);
  const out = ['## What bounds it', ''];
  if (missed.length === 0) return [...out, 'Every target was met in this run.', ''];
  for (const row of missed) out.push(`- **${row.measurement}** (${row.tariff} vs ${row.baseline}, target ${row.target}): ${boundFor(r, row)}`);
  out.push('');
  return out;
}

function boundFor(r: Results, row: Row): string {
  if (row.measurement.includes('req/s')) {
    const c = r.http?.comparisons.find((x) => row.measurement === `${x.endpoint.name} req/s`);
    if (!c) return 'see below.';
    const us = (rps: number) => 1e6 / rps;
    return `tariff completes a request every ${us(c.tariff.requestsPerSecond).toFixed(0)} µs (1 ÷ throughput), the bare server every ` +
      `${us(c.bare.requestsPerSecond).toFixed(0)} µs and a minimal Express 5 app serving the same bytes every ${us(c.express.requestsPerSecond).toFixed(0)} µs: ` +
      `a minimal Express app reaches ${fmt.ratio(c.express.requestsPerSecond / c.bare.requestsPerSecond)} of the bare server and tariff ` +
      `${fmt.ratio(c.tariff.requestsPerSecond / c.bare.requestsPerSecond)}; the difference to the bare server is per-request work it does not do (profile and proposal below).`;
  }
  if (row.measurement.startsWith('apply')) {
    return row.measurement.includes('per-provider')
      ? `${r.snapshot.providers} providers averaging ${Math.round(r.snapshot.models / r.snapshot.providers)} models each: every provider's transaction ` +
        'pays its fixed round trips and, if it wrote, a WAL flush at commit, which outweighs the few rows it writes (analysis below).'
      : 'the writes themselves: see the analysis below.';
  }
  if (row.measurement.startsWith('invalidation')) {
    const w = r.reloadWork;
    return w
      ? `each instance, per commit, reloads (${fmt.ms(w.reloadMs)} when timed alone) and then runs the post-load GET /costs rebuild ` +
        `on its event loop (${fmt.ms(w.afterLoadMs)} alone); ${r.invalidation?.instances} instances do this at once on ${r.machine.cores} cores, ` +
        'next to the poller and PostgreSQL (analysis below).'
      : 'see the per-instance table above and the analysis below.';
  }
  if (row.measurement.startsWith('RSS')) {
    const m = r.memory;
    return m
      ? `the API process on an empty catalog already takes ${fmt.mb(m.emptyCatalogBytes)}; the full catalog adds ${fmt.mb(m.tariffBytes - m.emptyCatalogBytes)}. ` +
        'Most of it is code the API role loads without using it (analysis below).'
      : 'see below.';
  }
  if (row.measurement.startsWith('quote')) return 'per-call allocation of the quote\'s component strings (see below).';
  return 'see below.';
}

function apiCommand(): string {
  return [...Object.entries(START_API.env).map(([name, value]) => `${name}=${value}`), 'node', ...START_API.nodeFlags, ...START_API.script].join(' ');
}
