// Exchange rates reach clients: an FX refresh through refresh_fx's own path
// (a local Yahoo Finance serving the recorded quote) sends an `fx` event on an
// open GET /costs/changes stream, and a live client's rates follow, so its
// `currency` quotes change with the server's.
import { Tariff, TariffError } from '@tariff/client';
import { refreshFx } from '../../src/sync/fx.ts';
import { startYahooServer, type YahooServer } from '../support/yahooServer.ts';
import { catalogVersion, logger, postJson, startServingStack, type ServingStack } from '../serving/helpers.ts';
import { until } from '../support/poll.ts';
import { openStream, type OpenStream } from './stream.ts';

let yahoo: YahooServer;
let stack: ServingStack;

beforeAll(async () => {
  yahoo = await startYahooServer({ rates: { ZAR: 18.25 } });
  stack = await startServingStack({ YAHOO_FINANCE_URL: yahoo.url, FX_CURRENCIES: 'ZAR' });
});

afterAll(async () => {
  await stack?.release();
  await yahoo?.close();
});

const request = { provider: 'anthropic', model: 'claude-sonnet-4-5', usage: { input_tokens: 1200, output_tokens: 300 }, currency: 'ZAR' };

async function refreshRates(): Promise<number> {
  const result = await refreshFx({ pool: stack.pool, config: stack.config, logger }, {
    force: false, triggered_by: 'manual', job_id: null, attempt: null,
  });
  expect(result).toMatchObject({ status: 'success', changed: ['ZAR'] });
  return catalogVersion(stack.pool);
}

/** The stream's events up to and including the first `fx` one. */
async function untilFx(stream: OpenStream): Promise<Array<{ event: string; data: unknown }>> {
  const seen = [];
  for (;;) {
    const event = await stream.next();
    seen.push({ event: event.event, data: JSON.parse(event.data) as unknown });
    if (event.event === 'fx') return seen;
  }
}

/** The client's answer for `body`, as the server would send it: the quote, or the error body. */
function clientAnswer(tariff: Tariff, body: unknown): unknown {
  try {
    return tariff.quote(body);
  } catch (err) {
    if (err instanceof TariffError) return err.toJSON();
    throw err;
  }
}

test('an FX refresh sends an fx event with the new rate, and a live client quotes in ZAR at it, as the server does', async () => {
  const api = await stack.startInstance();
  const stream = await openStream(api.baseUrl);
  const tariff = await Tariff.connect(api.baseUrl, { live: true });
  try {
    await until('the client\'s stream to open', async () => (api.changes.size === 2 ? true : undefined));
    // No rate yet: the client refuses a ZAR quote as the server does.
    expect(tariff.rates.size).toBe(0);
    const refused = await postJson(api.baseUrl, '/costs/quote', request);
    expect(refused).toMatchObject({ status: 422, body: { error: { code: 'rate_unavailable' } } });
    expect(clientAnswer(tariff, request)).toEqual(refused.body);

    for (const rate of ['18.25', '19.1']) {
      yahoo.setRate('ZAR', Number(rate));
      const version = await refreshRates();
      const events = await untilFx(stream);
      expect(events.at(-1)).toEqual({ event: 'fx', data: { version, rates: [expect.objectContaining({ base: 'USD', quote: 'ZAR', rate })] } });
      expect(events.filter((event) => event.event === 'catalog')).toEqual([{ event: 'catalog', data: expect.objectContaining({ version }) }]);

      await until(`the client to hold USD/ZAR ${rate}`, async () => ([...tariff.rates.values()].some((held) => held.rate === rate) ? true : undefined));
      const quote = tariff.quote(request);
      expect(quote).toMatchObject({ catalog_version: version, currency: 'ZAR', exchange_rate: { base: 'USD', quote: 'ZAR', rate } });
      expect(quote).toEqual((await postJson(api.baseUrl, '/costs/quote', request)).body);
    }
  } finally {
    stream.close();
    await tariff.close();
  }
});
