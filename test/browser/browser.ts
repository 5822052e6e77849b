// Debian's Chromium driven by playwright-core, for tests of what a person sees.
// In CI (CI=true) a missing browser fails the tests; elsewhere they are skipped
// with a message saying why.
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { REPO_ROOT } from '../support/env.ts';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const IN_CI = process.env.CI === 'true';
export const SCREENSHOT_DIR = path.join(REPO_ROOT, 'artifacts', 'screenshots');

const missing = () => `no Chromium at ${CHROMIUM_PATH}: CI needs a browser for these tests (.ci/run installs Debian's chromium, or set CHROMIUM_PATH)`;

/**
 * describe() when Chromium is there. Without it, in CI the suite is one failing test that names the cause
 * (not a failure per test, each a follow-on of the missing browser); elsewhere it is skipped, saying why.
 */
export function describeInBrowser(name: string, fn: () => void): void {
  if (existsSync(CHROMIUM_PATH)) {
    describe(name, fn);
    return;
  }
  if (IN_CI) {
    describe(name, () => {
      test('has a browser to run in', () => {
        throw new Error(missing());
      });
    });
    return;
  }
  console.log(`Browser tests skipped: no Chromium at ${CHROMIUM_PATH} (install Debian's chromium or set CHROMIUM_PATH; in CI they fail instead).`);
  describe.skip(name, fn);
}

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(missing());
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

/**
 * Everything a page reports as wrong: console errors (CSP violations included),
 * uncaught exceptions, failed requests and HTTP errors. Drained with take().
 */
export function watchProblems(page: Page): { take(): string[] } {
  let problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`exception: ${error.message}`));
  page.on('requestfailed', (request) => problems.push(`failed: ${request.url()} ${request.failure()?.errorText ?? ''}`));
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
  });
  return {
    take() {
      const taken = problems;
      problems = [];
      return taken;
    },
  };
}

/** A full-page screenshot under artifacts/screenshots/, for a reviewer; prints where it went. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  console.log(`screenshot: ${file}`);
  return file;
}

/** The texts of a locator's matches, whitespace collapsed. */
export async function texts(page: Page, selector: string): Promise<string[]> {
  return (await page.locator(selector).allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
}
