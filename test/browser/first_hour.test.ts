// The first hour of a new user, in Chromium at 1,280 px: a first start on an
// empty database with every upstream and Yahoo on a closed port, walked
// catalog → model page → ZAR → discrepancies → FX → sync log. Every page
// answers 200 with content, fits the width, and logs no console error.
import type { Browser, Page } from 'playwright-core';
import { loadConfig } from '../../src/config.ts';
import { modelHref } from '../../src/dashboard/html.ts';
import { prepareDatabase, startApi, type ApiInstance } from '../../src/service.ts';
import { readSnapshot } from '../../src/store/snapshot.ts';
import { SOURCES } from '../../src/sources/registry.ts';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { testLogger } from '../support/env.ts';
import { until } from '../support/poll.ts';
import { describeInBrowser, launchBrowser, screenshot, texts, watchProblems } from './browser.ts';
// freePort's port is bound once, then closed: nothing listens there, so it stands for an unreachable upstream.
import { freePort } from '../../scripts/support/ports.ts';

const WIDTH = 1280;

let db: TestDatabase;
let api: ApiInstance;
let browser: Browser;
let page: Page;
let problems: { take(): string[] };
let takenAt: string;

interface PageGlobals {
  document: { documentElement: { scrollWidth: number } };
}

/** Opens a page, expects `status`, content in <main>, and no horizontal scrolling at WIDTH. */
async function visit(path: string, status = 200): Promise<string> {
  const response = await page.goto(api.baseUrl + path, { waitUntil: 'load' });
  expect(response?.status()).toBe(status);
  const main = (await page.locator('main').innerText()).trim();
  expect(main.length).toBeGreaterThan(40);
  const width = await page.evaluate(() => (globalThis as unknown as PageGlobals).document.documentElement.scrollWidth);
  expect({ path, width }).toEqual({ path, width: WIDTH });
  return main;
}

describeInBrowser('the first hour, offline', () => {
  beforeAll(async () => {
    db = await createTestDatabase();
    const closed = `http://127.0.0.1:${await freePort()}`;
    const config = loadConfig({
      DATABASE_URL: db.url, PORT: '0', LOG_LEVEL: 'silent', YAHOO_FINANCE_URL: closed,
      ...Object.fromEntries(SOURCES.map((source) => [source.url.env, `${closed}/${source.name}`])),
    });
    takenAt = (await readSnapshot()).taken_at;
    await prepareDatabase(db.url, config, testLogger());
    api = await startApi({ url: db.url, config, logger: testLogger(), port: 0 });
    await until('the first catalog load', async () => (api.catalog.loaded ? true : undefined));
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: WIDTH, height: 900 } });
    problems = watchProblems(page);
  });

  afterEach(() => {
    expect(problems?.take() ?? []).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await api?.stop();
    await db?.drop();
  });

  test('the catalog opens on the providers in use, marked', async () => {
    await visit('/');
    await expect(page.locator('main [role="status"]').innerText()).resolves.toBe(
      `Serving the bundled snapshot of ${takenAt.slice(0, 10)}: no provider in use has synced yet.`);
    const providers = (await texts(page, 'table.catalog tbody td:first-child')).map((text) => text.replace(/ in use$/, ''));
    const marked = await texts(page, 'table.catalog tbody td:first-child .in-use');
    expect(providers[0]).toBe('anthropic');
    expect(marked.length).toBe(providers.length);
    const options = await texts(page, '#f-provider option');
    expect(options.slice(1, 5)).toEqual(['anthropic (in use)', 'google (in use)', 'openai (in use)', 'openrouter (in use)']);
    await screenshot(page, 'first-hour-catalog');
  });

  test('a bad filter value is named on the page, not ignored', async () => {
    await visit('/?state=bogus&per_page=1000', 400);
    const alert = await page.locator('[role="alert"]').innerText();
    expect(alert).toMatch(/state="bogus": must be one of/);
    expect(alert).toMatch(/per_page="1000": must be one of 25, 50, 100, 200/);
    // The 400 itself is the only problem the browser reports (as a response and as its console line).
    const seen = problems.take();
    expect(seen).toHaveLength(2);
    expect(seen).toEqual(expect.arrayContaining([expect.stringMatching(/^HTTP 400: /), expect.stringMatching(/^console: .*status of 400/)]));
  });

  test('a model with one price point says it is unchanged since the snapshot, and draws no chart', async () => {
    const main = await visit(modelHref('openai', 'gpt-4o'));
    expect(main).toContain(`Every price: unchanged since ${takenAt.slice(0, 10)}`);
    await expect(page.locator('figure.chart-figure').count()).resolves.toBe(0);
    await expect(page.locator('.facts').innerText()).resolves.toMatch(/snapshot/);
    await screenshot(page, 'first-hour-model');
  });

  test('ZAR without a rate says so, and how to get one', async () => {
    await visit('/?provider=openai&currency=ZAR');
    await expect(page.locator('[role="note"]').innerText()).resolves.toMatch(/No USD\/ZAR exchange rate is available yet/);
    await screenshot(page, 'first-hour-zar');
  });

  test('the discrepancy page leads with the served prices the other sources contradict', async () => {
    await visit('/discrepancies');
    await expect(page.locator('main h2').first().innerText()).resolves.toMatch(/^Served prices the other sources contradict \(\d+\)$/);
    const classes = await texts(page, '#served-h ~ table.discrepancies tbody td:nth-last-child(2)');
    expect(classes.length).toBeGreaterThan(0);
    expect(new Set(classes)).toEqual(new Set(['outlier_served']));
    const spreads = await texts(page, 'table.discrepancies.all td.spread');
    expect(spreads.some((s) => s === 'null')).toBe(true);
    expect(spreads.some((s) => s.includes('∞'))).toBe(false);
    await screenshot(page, 'first-hour-discrepancies');
  });

  test('the exchange-rate page says how rates are fetched', async () => {
    const main = await visit('/fx');
    expect(main).toMatch(/POST \/admin\/fx-refresh/);
    await screenshot(page, 'first-hour-fx');
  });

  test('the sync log says no sync has run yet, and how to run one', async () => {
    const main = await visit('/syncs');
    expect(main).toMatch(/No sync has run yet/);
    await screenshot(page, 'first-hour-syncs');
  });
});
