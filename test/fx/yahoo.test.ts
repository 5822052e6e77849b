import { jest } from '@jest/globals';
import { fetchUsdRates, requestTarget, type FetchUsdRatesOptions } from '../../src/fx/yahoo.ts';
import { testLogger } from '../support/env.ts';
import {
  COOKIE_PAGE_PATH, CRUMB_PATH, QUOTE_PATH, startYahooServer, type YahooServer, type YahooServerOptions,
} from '../support/yahooServer.ts';

/** regularMarketTime of the recorded EURUSD=X quote, in Unix seconds. */
const FIXTURE_MARKET_TIME = new Date(1739789683 * 1000);

const servers: YahooServer[] = [];

async function yahoo(options: YahooServerOptions): Promise<YahooServer> {
  const server = await startYahooServer(options);
  servers.push(server);
  return server;
}

function optionsFor(server: YahooServer, overrides: Partial<FetchUsdRatesOptions> = {}): FetchUsdRatesOptions {
  return { baseUrl: server.url, timeoutMs: 5_000, logger: testLogger(), ...overrides };
}

const pathsOf = (server: YahooServer) => server.requests.map((request) => request.split('?')[0]);

afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
});

describe('fetchUsdRates from a local Yahoo Finance', () => {
  test('USDZAR=X becomes a USD→ZAR rate: the price as an exact decimal string, the market time from Yahoo', async () => {
    const server = await yahoo({ rates: { ZAR: 18.2345 } });

    const quotes = await fetchUsdRates(['ZAR'], optionsFor(server));

    expect(quotes).toEqual([
      { base: 'USD', currency: 'ZAR', rate: '18.2345', market_time: FIXTURE_MARKET_TIME, source: 'yahoo_finance' },
    ]);
    expect(quotes[0]?.market_time).toBeInstanceOf(Date);
  });

  test('the cookie page, the crumb and the quote request all go to the base URL', async () => {
    const server = await yahoo({ rates: { ZAR: 18.2345 } });

    await fetchUsdRates(['ZAR'], optionsFor(server));

    expect(pathsOf(server)).toEqual([COOKIE_PAGE_PATH, CRUMB_PATH, QUOTE_PATH]);
    const quoteRequest = new URL(server.requests[2] ?? '', server.url);
    expect(quoteRequest.searchParams.get('symbols')).toBe('USDZAR=X');
    expect(quoteRequest.searchParams.get('crumb')).toBeTruthy();
  });

  test('two currencies come from one quote request, in the order asked', async () => {
    const server = await yahoo({ rates: { ZAR: 18.2345, EUR: 0.9533 } });

    const rates = await fetchUsdRates(['ZAR', 'EUR'], optionsFor(server));

    expect(rates.map(({ currency, rate }) => ({ currency, rate }))).toEqual([
      { currency: 'ZAR', rate: '18.2345' },
      { currency: 'EUR', rate: '0.9533' },
    ]);
    expect(pathsOf(server).filter((path) => path === QUOTE_PATH)).toHaveLength(1);
    expect(new URL(server.requests[2] ?? '', server.url).searchParams.get('symbols')).toBe('USDZAR=X,USDEUR=X');
  });

  test('tiny rates keep every digit and never use exponent notation', async () => {
    const server = await yahoo({ rates: { BTC: 1e-7, VND: 25432.1 } });

    const quotes = await fetchUsdRates(['BTC', 'VND'], optionsFor(server));

    expect(quotes.map(({ rate }) => rate)).toEqual(['0.0000001', '25432.1']);
  });

  test('a zero or negative rate is returned as it is, for the caller\'s guard to judge', async () => {
    const server = await yahoo({ rates: { ZAR: 0, EUR: -1.5 } });

    const rates = await fetchUsdRates(['ZAR', 'EUR'], optionsFor(server));

    expect(rates.map(({ rate }) => rate)).toEqual(['0', '-1.5']);
  });

  test('each call starts its own Yahoo session and sees the current rate', async () => {
    const server = await yahoo({ rates: { ZAR: 18.2345 } });

    await fetchUsdRates(['ZAR'], optionsFor(server));
    server.setRate('ZAR', 18.5);
    const [second] = await fetchUsdRates(['ZAR'], optionsFor(server));

    expect(second?.rate).toBe('18.5');
    expect(pathsOf(server)).toEqual([COOKIE_PAGE_PATH, CRUMB_PATH, QUOTE_PATH, COOKIE_PAGE_PATH, CRUMB_PATH, QUOTE_PATH]);
  });

  test('no currencies means no request at all', async () => {
    const server = await yahoo({ rates: {} });

    await expect(fetchUsdRates([], optionsFor(server))).resolves.toEqual([]);
    expect(server.requests).toEqual([]);
  });
});

describe('fetchUsdRates when Yahoo misbehaves', () => {
  test('when the quote request answers 500, the call rejects naming the symbol and the status', async () => {
    const server = await yahoo({ rates: { ZAR: 18.2345 }, fault: 'http500' });

    await expect(fetchUsdRates(['ZAR'], optionsFor(server)))
      .rejects.toThrow('yahoo finance quote for USDZAR=X failed: HTTP 500 Internal Server Error from /v7/finance/quote');
  });

  test('after a failed call, the next one succeeds once Yahoo recovers', async () => {
    const server = await yahoo({ rates: { ZAR: 18.2345 }, fault: 'http500' });
    await expect(fetchUsdRates(['ZAR'], optionsFor(server))).rejects.toThrow('USDZAR=X');

    server.setFault('none');

    await expect(fetchUsdRates(['ZAR'], optionsFor(server))).resolves.toMatchObject([{ rate: '18.2345' }]);
  });

  test('when the quote request answers an HTML page, the call rejects without quoting the page', async () => {
    const server = await yahoo({ rates: { ZAR: 18.2345 }, fault: 'html' });

    const failure = fetchUsdRates(['ZAR'], optionsFor(server));

    await expect(failure).rejects.toThrow(/^yahoo finance quote for USDZAR=X failed: expected JSON, got text\/html/);
    await expect(failure).rejects.not.toThrow('<');
  });

  test('when the price is not a number, the call rejects naming the symbol and the field', async () => {
    const server = await yahoo({ rates: { ZAR: Number.NaN } });

    await expect(fetchUsdRates(['ZAR'], optionsFor(server)))
      .rejects.toThrow(/^yahoo finance quote for USDZAR=X failed: regularMarketPrice: /);
  });

  test('yahoo-finance2 writes nothing to the console, on success or failure', async () => {
    const server = await yahoo({ rates: { ZAR: 18.2345 } });
    const spies = (['log', 'info', 'warn', 'error', 'dir', 'debug'] as const)
      .map((method) => jest.spyOn(console, method).mockImplementation(() => {}));
    try {
      await fetchUsdRates(['ZAR'], optionsFor(server));
      server.setFault('http500');
      await expect(fetchUsdRates(['ZAR'], optionsFor(server))).rejects.toThrow('HTTP 500');

      expect(spies.flatMap((spy) => spy.mock.calls)).toEqual([]);
    } finally {
      for (const spy of spies) spy.mockRestore();
    }
  });

  test('when a requested symbol is missing from the result, the call rejects naming that symbol', async () => {
    const server = await yahoo({ rates: { ZAR: 18.2345 } });

    await expect(fetchUsdRates(['ZAR', 'XYZ'], optionsFor(server)))
      .rejects.toThrow('yahoo finance quote for USDXYZ=X failed: the symbol is missing from the result');
  });

  test('when the result is empty, the call rejects naming the symbol', async () => {
    const server = await yahoo({ rates: { ZAR: 18.2345 }, fault: 'empty_result' });

    await expect(fetchUsdRates(['ZAR'], optionsFor(server))).rejects.toThrow('USDZAR=X failed: the symbol is missing');
  });

  test('when Yahoo never answers the quote request, the call rejects after the timeout', async () => {
    const server = await yahoo({ rates: { ZAR: 18.2345 }, fault: 'hang' });

    await expect(fetchUsdRates(['ZAR'], optionsFor(server, { timeoutMs: 500 })))
      .rejects.toThrow('yahoo finance quote for USDZAR=X failed: timed out after 500 ms');
    expect(pathsOf(server)).toEqual([COOKIE_PAGE_PATH, CRUMB_PATH, QUOTE_PATH]);
  });

  test('an abort from the caller stops the call', async () => {
    const server = await yahoo({ rates: { ZAR: 18.2345 }, fault: 'hang' });
    const controller = new AbortController();

    const call = fetchUsdRates(['ZAR'], optionsFor(server, { signal: controller.signal }));
    setTimeout(() => controller.abort(), 100);

    await expect(call).rejects.toThrow('yahoo finance quote for USDZAR=X failed: aborted');
  });

  test('when nothing listens at the base URL, the call rejects naming the symbol', async () => {
    const server = await yahoo({ rates: {} });
    const { url } = server;
    await server.close();

    await expect(fetchUsdRates(['ZAR'], optionsFor(server, { baseUrl: url })))
      .rejects.toThrow(/^yahoo finance quote for USDZAR=X failed: fetch failed \(ECONNREFUSED\)/);
  });
});

describe('requestTarget', () => {
  const QUOTE_URL = new URL('https://query2.finance.yahoo.com/v7/finance/quote?symbols=USDZAR%3DX&crumb=abc');

  test('a base URL off Yahoo receives every request of the flow, path and query kept', () => {
    const base = new URL('http://127.0.0.1:4010');
    expect(requestTarget(new URL('https://finance.yahoo.com/quote/AAPL'), base).href).toBe('http://127.0.0.1:4010/quote/AAPL');
    expect(requestTarget(new URL('https://query1.finance.yahoo.com/v1/test/getcrumb'), base).href)
      .toBe('http://127.0.0.1:4010/v1/test/getcrumb');
    expect(requestTarget(QUOTE_URL, base).href).toBe('http://127.0.0.1:4010/v7/finance/quote?symbols=USDZAR%3DX&crumb=abc');
  });

  test('a base URL on Yahoo moves only the quote request; the cookie page and crumb stay on their hosts', () => {
    const base = new URL('https://query1.finance.yahoo.com');
    expect(requestTarget(new URL('https://finance.yahoo.com/quote/AAPL'), base).href).toBe('https://finance.yahoo.com/quote/AAPL');
    expect(requestTarget(new URL('https://query1.finance.yahoo.com/v1/test/getcrumb'), base).href)
      .toBe('https://query1.finance.yahoo.com/v1/test/getcrumb');
    expect(requestTarget(QUOTE_URL, base).href).toBe('https://query1.finance.yahoo.com/v7/finance/quote?symbols=USDZAR%3DX&crumb=abc');
  });
});
