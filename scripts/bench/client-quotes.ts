// Measurement 8a: @tariff/client's synchronous tariff.quote, in this process,
// against the two other ways a consumer gets the same answer: POST /costs/quote
// on one API instance (autocannon, as measurement 1–2 loads it), and
// @pydantic/genai-prices in-process (calcPrice; extractUsage + calcPrice for a
// response body). Two requests: a usage object, and an OpenAI chat completion body.
import { calcPrice, extractUsage, findProvider } from '@pydantic/genai-prices';
import { Tariff } from '@tariff/client';
import { combine, load, pin, PINNED, type LoadResult, type LoadSettings } from './http.ts';
import type { Children } from './processes.ts';
import { responseBodies } from '../support/responses.ts';
import { cpus } from 'node:os';

const TARGET_SIDE_MS = 1_000;
const ROUNDS = 5;

export interface ClientQuoteCase {
  name: string;
  /** The request, as tariff.quote takes it and POST /costs/quote receives it. */
  request: unknown;
  clientNsPerCall: number;
  genaiNsPerCall: number;
  /** What the genai-prices side runs: calcPrice, or extractUsage + calcPrice. */
  genaiCall: string;
  http: LoadResult;
}

export interface ClientQuoteMeasurement {
  cases: ClientQuoteCase[];
  load: LoadSettings;
  pinned: boolean;
}

interface Case {
  name: string;
  request: Record<string, unknown>;
  genaiCall: string;
  genai: () => number;
}

/** The usage request of measurement 1–2's quote, and the first OpenAI chat completion fixture. */
function cases(usageBody: string): Case[] {
  const usageRequest = JSON.parse(usageBody) as { provider: string; model: string; usage: Record<string, number> };
  const { input_tokens: input = 0, output_tokens: output = 0, cache_read_tokens: read = 0, cache_write_tokens: write = 0 } = usageRequest.usage;
  // genai-prices counts cache tokens inside input_tokens (as measurement 3 maps them).
  const genaiUsage = { input_tokens: input + read + write, cache_read_tokens: read, cache_write_tokens: write, output_tokens: output };
  const chat = responseBodies().find((body) => body.format === 'openai_chat');
  if (!chat) throw new Error('no OpenAI chat completion body in test/fixtures/responses');
  const openai = findProvider({ providerId: 'openai' });
  if (!openai) throw new Error('genai-prices has no openai provider');
  return [
    {
      name: 'usage object', request: usageRequest, genaiCall: 'calcPrice',
      genai: () => calcPrice(genaiUsage, usageRequest.model, { providerId: usageRequest.provider })!.total_price,
    },
    {
      name: `OpenAI chat body (${chat.name})`, request: { provider: 'openai', response: chat.plain }, genaiCall: 'extractUsage + calcPrice',
      genai: () => {
        const extracted = extractUsage(openai, chat.plain, 'chat');
        return calcPrice(extracted.usage, extracted.model!, { providerId: 'openai' })!.total_price;
      },
    },
  ];
}

export async function measureClientQuotes(children: Children, api: { baseUrl: string; pid: number }, usageBody: string, settings: LoadSettings): Promise<ClientQuoteMeasurement> {
  const tariff = await Tariff.connect(api.baseUrl);
  const measured: ClientQuoteCase[] = [];
  const pinned = cpus().length >= 2 && pin(api.pid, PINNED.server);
  try {
    for (const [i, c] of cases(usageBody).entries()) {
      const quote = () => tariff.quote(c.request).total_usd.length;
      const [clientNs, genaiNs] = timeSides([quote, c.genai]) as [number, number];
      const body = JSON.stringify(c.request);
      const runs = [];
      for (let round = 0; round < settings.rounds; round++) {
        runs.push(await load(children, `client-http-${i}-${round + 1}`, api.baseUrl, { name: c.name, method: 'POST', path: '/costs/quote', body }, settings, pinned));
      }
      measured.push({ name: c.name, request: c.request, clientNsPerCall: clientNs, genaiNsPerCall: genaiNs, genaiCall: c.genaiCall, http: combine(runs) });
    }
  } finally {
    // The instance serves the next measurements too: on every CPU again.
    if (pinned) pin(api.pid, `0-${cpus().length - 1}`);
    await tariff.close();
  }
  return { cases: measured, load: settings, pinned };
}

/** ns per call of each side: warmed up, calibrated to ~TARGET_SIDE_MS each, timed in alternating rounds. */
function timeSides(sides: ReadonlyArray<() => number>): number[] {
  let sink = 0;
  for (const side of sides) for (let i = 0; i < 2_000; i++) sink += side();
  const passes = sides.map((side) => {
    let n = 1;
    for (;;) {
      const started = performance.now();
      for (let i = 0; i < n; i++) sink += side();
      const ms = performance.now() - started;
      if (ms > 50) return Math.max(1, Math.round((n * TARGET_SIDE_MS) / ms / ROUNDS));
      n *= 2;
    }
  });
  const totals = sides.map(() => 0);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [s, side] of sides.entries()) {
      const started = performance.now();
      for (let i = 0; i < passes[s]!; i++) sink += side();
      totals[s]! += performance.now() - started;
    }
  }
  if (Number.isNaN(sink)) throw new Error('unreachable: keeps the timed work observable');
  return totals.map((ms, s) => (ms * 1e6) / (passes[s]! * ROUNDS));
}
