// The dashboard as a person sees it, in Chromium: a real stack (PostgreSQL with
// the bundled snapshot, an API instance, local upstreams and Yahoo Finance),
// real syncs and rate refreshes, and every page checked for console errors.
import type { Browser, Page } from 'playwright-core';
import { convert } from '@tariff/pricing';
import type { DiscrepancyReport } from '../../src/dashboard/discrepancies.ts';
import { presentReport } from '../../src/discrepancy/report.ts';
import { checkDiscrepancies } from '../../src/discrepancy/run.ts';
import { modelHref } from '../../src/dashboard/html.ts';
import { refreshFx } from '../../src/sync/fx.ts';
import type { ApiInstance } from '../../src/service.ts';
import { syncProvider } from '../../src/sync/provider.ts';
import { fixtureJson } from '../../scripts/support/upstream.ts';
import { startYahooServer, type YahooServer } from '../support/yahooServer.ts';
import { catalogVersion, costOf, logger, startServingStack, type ModelsDevPayload, type ServingStack } from '../serving/helpers.ts';
import { describeInBrowser, launchBrowser, screenshot, texts, watchProblems } from './browser.ts';
import { until } from '../support/poll.ts';

const PROVIDER = 'anthropic';
const MODEL = 'claude-sonnet-4-5';

let yahoo: YahooServer;
let stack: ServingStack;
let api: ApiInstance;
let browser: Browser;
let page: Page;
let problems: { take(): string[] };

/** What the tests read from the page's global object (the tests compile without DOM types). */
interface PageGlobals {
  tariffCharts?: Record<string, { data: Array<Array<number | null>> }>;
  performance: { getEntriesByType(type: string): Array<{ duration: number }> };
  document: { activeElement: { textContent: string | null } | null };
}

async function untilServed(): Promise<void> {
  const version = await catalogVersion(stack.pool);
  await until('the API instance to load the committed change', async () => (api.catalog.current.version >= version ? true : undefined));
}

async function visit(path: string, base = api.baseUrl): Promise<void> {
  const response = await page.goto(base + path, { waitUntil: 'load' });
  expect(response?.status()).toBe(200);
  const ms = await page.evaluate(() => Math.round((globalThis as unknown as PageGlobals).performance.getEntriesByType('navigation')[0]!.duration));
  console.log(`${path}: loaded in ${ms} ms`);
}

/** Per chart, how many points uPlot holds (its x data), once the page drew them. */
async function chartPoints(): Promise<Record<string, number>> {
  await page.waitForFunction(() => (globalThis as unknown as PageGlobals).tariffCharts !== undefined);
  return page.evaluate(() => Object.fromEntries(Object.entries((globalThis as unknown as PageGlobals).tariffCharts ?? {})
    .map(([name, u]) => [name, u.data[0]!.length])));
}

async function servedHistoryCount(provider: string, model: string): Promise<number> {
  const { rows } = await stack.pool.query<{ n: string }>(
    'select count(*) as n from price_history where provider = $1::text and model_id = $2::text and not shadowed', [provider, model]);
  return Number(rows[0]!.n);
}

async function setRate(rate: number): Promise<void> {
  yahoo.setRate('ZAR', rate);
  const result = await refreshFx({ pool: stack.pool, config: stack.config, logger }, { force: false, triggered_by: 'manual', job_id: null, attempt: null });
  expect(result.status).toBe('success');
}

describeInBrowser('the dashboard in a browser', () => {
  beforeAll(async () => {
    browser = await launchBrowser();
    yahoo = await startYahooServer({ rates: { ZAR: 18.25 } });
    stack = await startServingStack({ YAHOO_FINANCE_URL: yahoo.url, FX_CURRENCIES: 'ZAR' });
    api = await stack.startInstance();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    problems = watchProblems(page);
  });

  afterEach(() => {
    expect(problems?.take() ?? []).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.release();
    await yahoo?.close();
  });

  describe('before tariff has an exchange rate', () => {
    test('the catalog asked for ZAR says no USD/ZAR rate is available and shows USD', async () => {
      await visit(`/?provider=${PROVIDER}&currency=ZAR`);

      await expect(page.locator('[role="note"]').innerText()).resolves.toMatch(/No USD\/ZAR exchange rate is available yet, so prices are shown in USD/);
      await expect(page.locator('table.catalog caption').innerText()).resolves.toMatch(/Prices in USD\./);
    });

    test('the exchange-rate page says there is no USD/ZAR rate yet', async () => {
      await visit('/fx');

      await expect(page.locator('main').innerText()).resolves.toMatch(/tariff has no USD\/ZAR exchange rate yet/);
    });
  });

  describe('with exchange rates and a synced price change', () => {
    beforeAll(async () => {
      for (const rate of [18.25, 18.4, 18.1]) await setRate(rate);
      await untilServed();
    });

    test('the catalog table lists every served model of a provider, page by page', async () => {
      const { rows } = await stack.pool.query<{ model_id: string }>(
        "select model_id from current_prices where provider = 'openrouter' and removed_at is null order by model_id");
      const seen: string[] = [];

      await visit('/?provider=openrouter&per_page=200');
      for (;;) {
        seen.push(...await texts(page, 'table.catalog tbody th[scope="row"]'));
        const next = page.getByRole('link', { name: 'Next page' });
        if (await next.count() === 0) break;
        await next.click();
        await page.waitForLoadState('load');
      }

      expect(rows.length).toBeGreaterThan(200);
      expect(seen.sort()).toEqual(rows.map((r) => r.model_id).sort());
    });

    test('the catalog works from the keyboard: a skip link first, then labelled filters that submit with Enter', async () => {
      await visit('/');

      await page.keyboard.press('Tab');
      await expect(page.evaluate(() => (globalThis as unknown as PageGlobals).document.activeElement?.textContent)).resolves.toBe('Skip to content');
      await page.getByLabel('Provider').selectOption(PROVIDER);
      await page.getByLabel('State').selectOption('priced');
      await page.getByLabel('Model search').focus();
      await page.keyboard.type('opus');
      await page.keyboard.press('Enter');
      await page.waitForURL(/q=opus/);

      const ids = await texts(page, 'table.catalog tbody th[scope="row"]');
      expect(ids.length).toBeGreaterThan(0);
      expect(ids.every((id) => id.includes('opus'))).toBe(true);
      expect(new URL(page.url()).searchParams.get('provider')).toBe(PROVIDER);
    });

    test('the catalog in ZAR converts each price exactly at the rate tariff holds', async () => {
      const rate = api.catalog.current.rates.get('USD/ZAR')!;
      const entry = api.catalog.current.byProvider.get(PROVIDER)!.get(MODEL)!;

      await visit(`/?provider=${PROVIDER}&currency=ZAR&q=${MODEL}`);
      const row = page.locator('table.catalog tbody tr', { has: page.getByRole('rowheader', { name: MODEL, exact: true }) });

      expect(rate.rate).toBe('18.1');
      await expect(row.locator('td').nth(3).innerText()).resolves.toBe(convert(entry.input!, rate.rate));
      await expect(page.locator('[role="note"]').innerText()).resolves.toMatch(/1 USD = 18\.1 ZAR/);
    });

    test('the catalog filtered by provider and searched shows exactly the matching models', async () => {
      const { rows } = await stack.pool.query<{ model_id: string }>(
        'select model_id from current_prices where provider = $1::text and removed_at is null', [PROVIDER]);

      await visit(`/?provider=${PROVIDER}&per_page=50`);
      const all = await texts(page, 'table.catalog tbody th[scope="row"]');
      await page.getByLabel('Model search').fill('sonnet');
      await page.getByRole('button', { name: 'Show' }).press('Enter');
      await page.waitForURL(/q=sonnet/);
      const searched = await texts(page, 'table.catalog tbody th[scope="row"]');

      expect(all.sort()).toEqual(rows.map((r) => r.model_id).sort());
      expect(searched.sort()).toEqual(rows.map((r) => r.model_id).filter((id) => id.includes('sonnet')).sort());
      await visit(`/?provider=${PROVIDER}&per_page=50`);
      await screenshot(page, 'catalog');
    });

    test('the model page says an unchanged price is unchanged since it took effect, and draws no chart of one level', async () => {
      const changes = await servedHistoryCount(PROVIDER, MODEL);

      await visit(modelHref(PROVIDER, MODEL));
      const points = await chartPoints();

      expect(changes).toBe(1);
      expect(points).toEqual({});
      await expect(page.locator('p.unchanged').innerText()).resolves.toMatch(/^Every price: unchanged since .* \(one price point\)\.$/);
      await expect(page.locator('table.history tbody tr').count()).resolves.toBe(changes);
      await expect(page.locator('#sources-h + p').innerText()).resolves.toMatch(/^From the discrepancy report generated /);
    });

    test('a price change made by a sync appears after a reload, as a new point on the chart', async () => {
      await visit(modelHref(PROVIDER, MODEL));
      const before = await chartPoints();
      let changed = '';

      await stack.syncModelsDev(PROVIDER, (payload) => {
        const cost = costOf(payload, PROVIDER, MODEL);
        cost.input = (cost.input as number) + 0.25;
        changed = String(cost.input);
      });
      await untilServed();
      await page.reload({ waitUntil: 'load' });
      const after = await chartPoints();

      const inputRow = page.locator('table.prices tbody tr', { has: page.getByRole('rowheader', { name: 'Input tokens', exact: true }) });
      await expect(inputRow.locator('td').nth(1).innerText()).resolves.toBe(changed);
      // Only the dimension that moved is charted, with a point per change; the others stay a sentence.
      expect(before.input_tokens).toBeUndefined();
      expect(Object.keys(after)).toEqual(['input_tokens']);
      await expect(page.locator('p.unchanged').innerText()).resolves.toMatch(/^[^:]*Output tokens[^:]*: unchanged since /);
      expect(after.input_tokens).toBe(await servedHistoryCount(PROVIDER, MODEL));
      const latestInput = await page.evaluate(() => (globalThis as unknown as PageGlobals).tariffCharts!.input_tokens!.data[1]!.at(-1));
      expect(latestInput).toBe(Number(changed));
      await screenshot(page, 'model');
    });

    test('the sync log lists recent syncs, and a rejected one shows the changes it would have made', async () => {
      const payload = fixtureJson<ModelsDevPayload>('models_dev');
      const cost = costOf(payload, PROVIDER, MODEL);
      const tenfold = String((cost.output as number) * 100);
      cost.output = (cost.output as number) * 100;
      stack.upstream.setBody('models_dev', JSON.stringify(payload));
      const result = await syncProvider({ pool: stack.pool, config: stack.config, logger }, {
        provider: PROVIDER, dry_run: false, force: false, triggered_by: 'manual', job_id: null, attempt: null,
      });
      if (result.status !== 'rejected') throw new Error(`the ×100 sync was not rejected: ${JSON.stringify(result)}`);

      await visit('/syncs');
      const rejected = page.locator('table.syncs tbody tr', { has: page.locator('.status-rejected') });
      await expect(rejected.count()).resolves.toBe(1);
      const logged = await stack.pool.query<{ status: string }>('select status from pricing_sync_log order by started_at desc, id desc');
      await expect(texts(page, 'table.syncs tbody .status')).resolves.toEqual(logged.rows.map((r) => r.status));
      await screenshot(page, 'syncs');

      await rejected.getByRole('link', { name: 'See the changes it would have made' }).click();
      await page.waitForLoadState('load');
      await expect(page.locator('h1').innerText()).resolves.toMatch(new RegExp(`#${result.sync_log_id}: ${PROVIDER} rejected`));
      const change = page.locator('table.changes tbody tr', { has: page.getByRole('rowheader', { name: MODEL, exact: true }) });
      await expect(change.innerText()).resolves.toMatch(new RegExp(`Output tokens: 15 → ${tenfold.replace('.', '\\.')}`));
      await expect(page.locator('table.changes caption').innerText()).resolves.toMatch(/nothing was applied/);
      await screenshot(page, 'sync-rejected');
    });

    test('the exchange-rate chart has one point per recorded USD/ZAR rate', async () => {
      const { rows } = await stack.pool.query<{ n: string }>("select count(*) as n from exchange_rate_history where base = 'USD' and quote = 'ZAR'");

      await visit('/fx');
      const points = await chartPoints();

      expect(points['USD/ZAR']).toBe(Number(rows[0]!.n));
      await expect(texts(page, 'table.rates tbody td.num')).resolves.toEqual(['18.1', '18.4', '18.25']);
      await screenshot(page, 'fx');
    });

    test('pages are served with the dashboard CSP while the JSON API keeps its strict one', async () => {
      const pageHeaders = (await fetch(`${api.baseUrl}/`)).headers;
      const apiHeaders = (await fetch(`${api.baseUrl}/costs?provider=${PROVIDER}`)).headers;

      expect(pageHeaders.get('content-security-policy')).toMatch(/script-src 'self'; style-src 'self'/);
      expect(pageHeaders.get('content-type')).toBe('text/html; charset=utf-8');
      expect(apiHeaders.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
    });

    test('on a first start, the discrepancy page shows the report bundled with the snapshot', async () => {
      await visit('/discrepancies');

      await expect(page.locator('main p').first().innerText()).resolves.toMatch(/^Report generated /);
    });

    test('a model id and name that upstream filled with markup are shown as text, never run', async () => {
      const id = 'zz-<img src=x onerror="document.title=1">/tail';
      const name = '<script>document.title = "owned"</script>';
      let dialogs = 0;
      page.on('dialog', () => { dialogs += 1; });
      const model = { id, name, cost: { input: 1, output: 2 } };
      await stack.syncModelsDev(PROVIDER, (payload) => {
        payload[PROVIDER]!.models[id] = model;
      });
      await untilServed();

      await visit(`/?provider=${PROVIDER}&q=zz-`);
      await expect(texts(page, 'table.catalog tbody th[scope="row"]')).resolves.toEqual([id]);
      await expect(texts(page, 'table.catalog tbody td:nth-of-type(2)')).resolves.toEqual([name]);
      await page.getByRole('link', { name: id }).click();
      await page.waitForLoadState('load');

      await expect(page.locator('h1').innerText()).resolves.toBe(`${PROVIDER} / ${id}`);
      await expect(page.title()).resolves.toBe(`${PROVIDER}/${id} · tariff`);
      await expect(page.locator('main img, main script:not([type="application/json"])').count()).resolves.toBe(0);
      expect(dialogs).toBe(0);
    });
  });

  describe('with the discrepancy report a check made from the four real sources', () => {
    let report: DiscrepancyReport;

    beforeAll(async () => {
      // What the check_discrepancies job does after a sync: every source fetched from the local upstream.
      const { report: stored } = await checkDiscrepancies({ pool: stack.pool, config: stack.config, logger });
      report = presentReport(stored);
      await api.discrepancies.refreshIfBehind();
      expect(report.items.length).toBeGreaterThan(2);
    });

    // A spread with a zero price is null, as the API gives it: the largest.
    const spreadOf = (text: string) => (text === 'null' ? Infinity : Number(text.slice(1)));

    test('the discrepancy table is sorted by spread on the server, largest first, and the header link reverses it', async () => {
      await visit('/discrepancies');
      const spreads = (await texts(page, 'table.discrepancies.all td.spread')).map(spreadOf);
      expect(spreads.length).toBeGreaterThan(2);
      expect(spreads).toEqual([...spreads].sort((a, b) => b - a));
      await expect(page.locator('main').innerText()).resolves.toContain(`${report.summary.models_compared} models compared`);
      await screenshot(page, 'discrepancies');

      await page.getByRole('link', { name: /^Spread/ }).click();
      await page.waitForLoadState('load');

      expect(new URL(page.url()).search).toBe('?sort=spread&dir=asc');
      const ascending = (await texts(page, 'table.discrepancies.all td.spread')).map(spreadOf);
      expect(ascending).toEqual([...ascending].sort((a, b) => a - b));
    });

    test('the model page shows that model\'s disagreements across sources', async () => {
      const item = report.items.find((candidate) => candidate.spread !== null)!;

      await visit(modelHref(item.provider, item.model_id));

      const rows = page.locator('#sources-h ~ table.discrepancies tbody tr');
      const expected = report.items.filter((other) => other.provider === item.provider && other.model_id === item.model_id).length;
      await expect(rows.count()).resolves.toBe(expected);
      await expect(page.locator('#sources-h ~ table.discrepancies').innerText()).resolves.toContain(`×${item.spread}`);
      await screenshot(page, 'model-discrepancies');
    });
  });
});
