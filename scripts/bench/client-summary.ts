// Measurement 8 (@tariff/client) in the results table and BENCHMARKS.md.
import type { ClientMemoryMeasurement } from './client-memory.ts';
import type { PropagationMeasurement } from './client-propagation.ts';
import type { ClientQuoteMeasurement } from './client-quotes.ts';
import { PINNED } from './http.ts';
import { fmt, markdownTable, type Row } from './report.ts';
import { mean, percentile } from './stats.ts';

export interface ClientMeasurement {
  quotes?: ClientQuoteMeasurement;
  propagation?: PropagationMeasurement;
  memory?: ClientMemoryMeasurement;
}

export const CLIENT_TARGETS = {
  overHttp: 20,
  overGenai: 10,
  propagationP99Ms: 100,
  clientGrowthBytes: 60e6,
  streamsGrowthBytes: 30e6,
};

export function clientRows(c: ClientMeasurement): Row[] {
  const out: Row[] = [];
  for (const q of c.quotes?.cases ?? []) {
    const perSecond = 1e9 / q.clientNsPerCall;
    out.push({
      measurement: `tariff.quote (${q.name}) vs POST /costs/quote, per second`, tariff: fmt.int(perSecond), baseline: `${fmt.int(q.http.requestsPerSecond)} (one API instance)`,
      ratio: fmt.ratio(perSecond / q.http.requestsPerSecond), target: `≥ ${CLIENT_TARGETS.overHttp}×`, met: perSecond / q.http.requestsPerSecond >= CLIENT_TARGETS.overHttp,
    });
    const speed = q.genaiNsPerCall / q.clientNsPerCall;
    out.push({
      measurement: `tariff.quote (${q.name}) vs ${q.genaiCall}, per call`, tariff: `${fmt.int(q.clientNsPerCall)} ns`, baseline: `${fmt.int(q.genaiNsPerCall)} ns`,
      ratio: `${fmt.ratio(speed)} as fast`, target: `≥ ${CLIENT_TARGETS.overGenai}× as fast`, met: speed >= CLIENT_TARGETS.overGenai,
    });
  }
  const p = c.propagation;
  if (p) {
    const p99 = percentile(p.perClientMs, 99);
    out.push({
      measurement: `commit → ${p.settings.clients} live clients p50 / p99`, tariff: `${fmt.ms(percentile(p.perClientMs, 50))} / ${fmt.ms(p99)}`,
      baseline: '—', ratio: '—', target: `p99 < ${CLIENT_TARGETS.propagationP99Ms} ms`, met: p99 < CLIENT_TARGETS.propagationP99Ms && p.timedOut === 0,
    });
  }
  const m = c.memory;
  if (m) {
    const growth = m.clientAfterBytes - m.clientBeforeBytes;
    out.push({
      measurement: 'client RSS growth, full catalog', tariff: fmt.mb(growth), baseline: `${fmt.mb(m.clientBeforeBytes)} (client loaded, no catalog)`,
      ratio: '—', target: `< ${CLIENT_TARGETS.clientGrowthBytes / 1e6} MB`, met: growth < CLIENT_TARGETS.clientGrowthBytes,
    });
    const streams = m.apiWithStreamsBytes - m.apiBaselineBytes;
    out.push({
      measurement: `API RSS with ${fmt.int(m.streams)} idle change streams`, tariff: `+${fmt.mb(streams)}`, baseline: `${fmt.mb(m.apiBaselineBytes)} (same instance before)`,
      ratio: '—', target: `< ${CLIENT_TARGETS.streamsGrowthBytes / 1e6} MB over`, met: streams < CLIENT_TARGETS.streamsGrowthBytes,
    });
  }
  return out;
}

export function clientDetails(c: ClientMeasurement): string[] {
  const out: string[] = ['### 8. @tariff/client', ''];
  const q = c.quotes;
  if (q) {
    const s = q.load;
    out.push('**Quotes.** `tariff.quote` of a `Tariff.connect`ed client in the bench process (the answer object, as the API returns it), ' +
      'calibrated to ~1 s per side and timed in 5 alternating rounds against genai-prices on the same request: `calcPrice` for the usage object ' +
      '(cache tokens counted inside input_tokens, as measurement 3 maps them), `extractUsage` + `calcPrice` for the chat body. ' +
      `The same requests as POST /costs/quote bodies to one API instance: autocannon (scripts/bench/load.ts), ${s.connections} connections, ` +
      `${s.rounds} runs of ${s.durationSeconds / s.rounds} s after ${s.warmupSeconds} s warm-ups` +
      (q.pinned ? `, the instance pinned to CPU ${PINNED.server} and the load generator to CPU ${PINNED.load}. ` : ', nothing pinned. ') +
      'The client\'s quotes per second are 1 s ÷ its time per call on one thread.', '',
      markdownTable(['request', 'tariff.quote per call', 'quotes/s', 'POST /costs/quote req/s (p50 / p99)', 'genai-prices per call'],
        q.cases.map((x) => [x.name, `${fmt.int(x.clientNsPerCall)} ns`, fmt.int(1e9 / x.clientNsPerCall),
          `${fmt.int(x.http.requestsPerSecond)} (${fmt.ms(x.http.latencyMs.p50)} / ${fmt.ms(x.http.latencyMs.p99)})`, `${fmt.int(x.genaiNsPerCall)} ns (${x.genaiCall})`])), '');
  }
  const p = c.propagation;
  if (p) {
    out.push(`**Propagation.** ${p.settings.clients} live clients (\`live: true\`), in ${p.settings.processes} processes of ${p.settings.clients / p.settings.processes} (scripts/bench/client-fleet.ts), follow one API instance; ` +
      `their catalog is the anthropic provider alone (${p.models} models), so that ${p.settings.clients} full catalogs fit in this machine's memory; the push path is the same. ` +
      `${p.settings.commits} commits (after 3 warm-up commits), ${p.settings.gapMs[0]}–${p.settings.gapMs[1]} ms apart, each tariff's writer changing one price; ` +
      'each timed from its COMMIT returning to each client\'s `change` event for that version (NOTIFY, the instance\'s reload, the catalog event, the client\'s GET /costs?since= and its apply), ' +
      `one clock (CLOCK_MONOTONIC) for both processes. Commits not reaching every client within 10 s: ${p.timedOut}. ` +
      `CPU time per commit (/proc/<pid>/stat, the sleeps between commits included): the API instance ${fmt.ms(p.cpuPerCommitMs.api)}, ` +
      `the clients' processes ${fmt.ms(p.cpuPerCommitMs.clients)} together (${fmt.ms(p.cpuPerCommitMs.clients / p.settings.clients)} a client).`, '',
      markdownTable(['', 'p50', 'p90', 'p99', 'max', 'mean'], [
        ['commit → each client', ...stats(p.perClientMs)], ['commit → last client', ...stats(p.lastClientMs)],
      ]), '');
  }
  const m = c.memory;
  if (m) {
    out.push(`**Memory.** A client process (scripts/bench/client-rss.ts, \`--expose-gc\`) samples its RSS after a full collection until four samples lie within 1%: ` +
      `with @tariff/client loaded ${fmt.mb(m.clientBeforeBytes)}, holding the full catalog after one quote ${fmt.mb(m.clientAfterBytes)}. ` +
      `An API instance with the full catalog, after GET /costs 5 times, settled (as measurement 6): ${fmt.mb(m.apiBaselineBytes)}; ` +
      `with ${fmt.int(m.streams)} GET /costs/changes streams open on raw sockets (counted by tariff_change_streams_open), settled: ${fmt.mb(m.apiWithStreamsBytes)}, ` +
      `${fmt.int((m.apiWithStreamsBytes - m.apiBaselineBytes) / m.streams)} bytes a stream.`, '');
  }
  return out;
}

function stats(values: readonly number[]): string[] {
  return [percentile(values, 50), percentile(values, 90), percentile(values, 99), Math.max(...values), mean(values)].map(fmt.ms);
}
