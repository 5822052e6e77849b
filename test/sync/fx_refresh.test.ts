// refresh_fx against a local Yahoo Finance: USD/ZAR lands in exchange_rates and
// its history; implausible rates are rejected and leave everything unchanged.
import { refreshFx, type FxRequest, type FxResult } from '../../src/sync/fx.ts';
import { testLogger } from '../support/env.ts';
import { startYahooServer, type YahooServer } from '../support/yahooServer.ts';
import { catalogChecksum, catalogVersion, startSyncStack, syncLog, type SyncLogRow, type SyncStack } from './helpers.ts';

/** regularMarketTime of the recorded quote the local Yahoo relabels as USDZAR=X. */
const MARKET_TIME = new Date(1739789683 * 1000);

let yahoo: YahooServer;
let stack: SyncStack;

beforeAll(async () => {
  yahoo = await startYahooServer({ rates: { ZAR: 18.25 } });
  stack = await startSyncStack({ YAHOO_FINANCE_URL: yahoo.url, FX_CURRENCIES: 'ZAR' });
});

afterEach(() => {
  yahoo.setFault('none');
});

afterAll(async () => {
  await stack.release();
  await yahoo.close();
});

function refresh(request: Partial<FxRequest> = {}): Promise<FxResult> {
  return refreshFx(
    { pool: stack.pool, config: stack.config, logger: testLogger() },
    { force: false, triggered_by: 'manual', job_id: null, attempt: null, ...request },
  );
}

interface RateRow { base: string; quote: string; rate: string; market_time: Date; source: string; sync_log_id?: string }

async function rates(): Promise<RateRow[]> {
  const { rows } = await stack.pool.query<RateRow>(
    'select base, quote, trim_scale(rate)::text as rate, market_time, source from exchange_rates order by quote');
  return rows;
}

async function rateHistory(): Promise<RateRow[]> {
  const { rows } = await stack.pool.query<RateRow>(`
    select base, quote, trim_scale(rate)::text as rate, market_time, source, sync_log_id::text
      from exchange_rate_history order by id`);
  return rows;
}

async function lastFxLog(): Promise<SyncLogRow> {
  const row = (await syncLog(stack.pool, 'yahoo_finance')).at(-1);
  if (!row) throw new Error('no FX sync log row');
  return row;
}

describe('refreshing exchange rates from Yahoo Finance', () => {
  test('a USDZAR=X quote lands in exchange_rates and exchange_rate_history, and bumps the catalog version', async () => {
    const version = await catalogVersion(stack.pool);

    const result = await refresh();

    expect(result).toEqual({ status: 'success', sync_log_id: expect.any(Number), changed: ['ZAR'] });
    const expected = { base: 'USD', quote: 'ZAR', rate: '18.25', market_time: MARKET_TIME, source: 'yahoo_finance' };
    expect(await rates()).toEqual([expected]);
    expect(await rateHistory()).toEqual([{ ...expected, sync_log_id: String(result.sync_log_id) }]);
    expect(await lastFxLog()).toMatchObject({
      kind: 'fx', status: 'success', source: 'yahoo_finance', rates_fetched: 1, rates_added: 1, rates_updated: 0, models_fetched: 0,
    });
    expect(await catalogVersion(stack.pool)).toBe(version + 1);
  });

  test('an unchanged re-fetch writes no history row and keeps the catalog version', async () => {
    const before = await catalogChecksum(stack.pool);

    const result = await refresh();

    expect(result).toMatchObject({ status: 'success', changed: [] });
    expect(await catalogChecksum(stack.pool)).toBe(before);
    expect(await lastFxLog()).toMatchObject({ status: 'success', rates_fetched: 1, rates_unchanged: 1, rates_updated: 0 });
  });

  test('a move of less than 25% is applied, with a history row holding the new rate', async () => {
    yahoo.setRate('ZAR', 19.5);

    const result = await refresh();

    expect(result).toMatchObject({ status: 'success', changed: ['ZAR'] });
    expect(await rates()).toMatchObject([{ rate: '19.5' }]);
    expect((await rateHistory()).map((row) => row.rate)).toEqual(['18.25', '19.5']);
    expect(await lastFxLog()).toMatchObject({ rates_updated: 1 });
  });

  test('a jump of more than 25% is rejected, the rate stays, and the log says by how much', async () => {
    yahoo.setRate('ZAR', 25);
    const before = await catalogChecksum(stack.pool);

    const result = await refresh();

    expect(result).toMatchObject({ status: 'rejected', reason: 'USD/ZAR moved 28.2% (19.5 → 25), more than 25%', changed: [] });
    expect(await catalogChecksum(stack.pool)).toBe(before);
    expect(await lastFxLog()).toMatchObject({ status: 'rejected', error_message: 'USD/ZAR moved 28.2% (19.5 → 25), more than 25%' });
  });

  test('a move of exactly 25% is applied: the limit is compared exactly, not as a float ratio', async () => {
    // 12.55 / 10.04 − 1 is 0.2500000000000002 in binary floating point.
    yahoo.setRate('ZAR', 10.04);
    await refresh({ force: true });
    yahoo.setRate('ZAR', 12.55);

    const result = await refresh();

    expect(result).toMatchObject({ status: 'success', changed: ['ZAR'] });
    expect(await rates()).toMatchObject([{ rate: '12.55' }]);
    yahoo.setRate('ZAR', 19.5);
    await refresh({ force: true });
  });

  test('the same jump, forced, is applied', async () => {
    yahoo.setRate('ZAR', 25);

    const result = await refresh({ force: true });

    expect(result).toMatchObject({ status: 'success', changed: ['ZAR'] });
    expect(await rates()).toMatchObject([{ rate: '25' }]);
    expect(await lastFxLog()).toMatchObject({ status: 'success', forced: true });
  });

  test.each([0, -18.25])('a rate of %d is rejected, even when forced, and nothing changes', async (rate) => {
    yahoo.setRate('ZAR', rate);
    const before = await catalogChecksum(stack.pool);

    const plain = await refresh();
    const forced = await refresh({ force: true });

    expect(plain).toMatchObject({ status: 'rejected', reason: `USD/ZAR rate ${rate} is not positive` });
    expect(forced).toMatchObject({ status: 'rejected', reason: `USD/ZAR rate ${rate} is not positive` });
    expect(await catalogChecksum(stack.pool)).toBe(before);
    expect(await lastFxLog()).toMatchObject({ status: 'rejected', forced: true, error_message: `USD/ZAR rate ${rate} is not positive` });
  });

  test('when Yahoo answers 500, the refresh fails, the rate stays and the log says failed', async () => {
    yahoo.setRate('ZAR', 25.1);
    yahoo.setFault('http500');
    const before = await catalogChecksum(stack.pool);

    await expect(refresh()).rejects.toThrow(/FX refresh failed: .*HTTP 500/);

    expect(await catalogChecksum(stack.pool)).toBe(before);
    expect(await lastFxLog()).toMatchObject({ status: 'failed', error_message: expect.stringMatching(/HTTP 500/) });
  });

  test('a retried FX job closes the in_progress row its dead attempt left as failed (abandoned)', async () => {
    const { rows } = await stack.pool.query<{ id: string }>(`
      insert into pricing_sync_log (kind, provider, source, status, triggered_by, job_id, attempt)
      values ('fx', 'yahoo_finance', 'yahoo_finance', 'in_progress', 'scheduler', 'dead-fx-job', 1) returning id`);
    yahoo.setRate('ZAR', 25);

    await refresh({ triggered_by: 'scheduler', job_id: 'dead-fx-job', attempt: 2 });

    const attempts = (await syncLog(stack.pool, 'yahoo_finance')).filter((row) => row.job_id === 'dead-fx-job');
    expect(attempts.map(({ id, attempt, status, error_message }) => ({ id, attempt, status, error_message }))).toEqual([
      { id: rows[0]!.id, attempt: 1, status: 'failed', error_message: 'abandoned: the worker stopped before this attempt finished' },
      { id: expect.any(String), attempt: 2, status: 'success', error_message: null },
    ]);
  });
});
