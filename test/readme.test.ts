// The README's examples, run as written (with curl, in a shell) against a first
// start with every upstream and Yahoo on a closed port: each `curl` line that
// ends in `# <status>` must answer that status with a JSON body.
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadConfig } from '../src/config.ts';
import { prepareDatabase, startApi, type ApiInstance } from '../src/service.ts';
import { SOURCES } from '../src/sources/registry.ts';
import { createTestDatabase, type TestDatabase } from './support/db.ts';
import { REPO_ROOT, testLogger } from './support/env.ts';
import { until } from './support/poll.ts';
// freePort's port is bound once, then closed: nothing listens there, so it stands for an unreachable upstream.
import { freePort } from '../scripts/support/ports.ts';

const run = promisify(execFile);
const README = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
const README_ORIGIN = 'http://127.0.0.1:8000';

/** Every curl command of the README's sh blocks (continuations joined) with the status its comment gives. */
function examples(): Array<{ command: string; status: number }> {
  const blocks = [...README.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!.replace(/\\\n\s*/g, ''));
  return blocks.flatMap((block) => block.split('\n')).flatMap((line) => {
    const match = /^(curl .*?)\s+#\s*(\d{3})\s*$/.exec(line.trim());
    return match ? [{ command: match[1]!, status: Number(match[2]) }] : [];
  });
}

let db: TestDatabase;
let api: ApiInstance;

beforeAll(async () => {
  db = await createTestDatabase();
  const closed = `http://127.0.0.1:${await freePort()}`;
  const token = /ADMIN_TOKEN=(\S+) npm start/.exec(README)?.[1];
  if (!token) throw new Error('the README no longer shows how to start with ADMIN_TOKEN');
  const config = loadConfig({
    DATABASE_URL: db.url, PORT: '0', LOG_LEVEL: 'silent', ADMIN_TOKEN: token, YAHOO_FINANCE_URL: closed,
    ...Object.fromEntries(SOURCES.map((source) => [source.url.env, `${closed}/${source.name}`])),
  });
  await prepareDatabase(db.url, config, testLogger());
  api = await startApi({ url: db.url, config, logger: testLogger(), port: 0 });
  await until('the first catalog load', async () => (api.catalog.loaded ? true : undefined));
});

afterAll(async () => {
  await api?.stop();
  await db?.drop();
});

describe('the README', () => {
  test('fits on a screen: at most 200 lines', () => {
    expect(README.split('\n').length).toBeLessThanOrEqual(200);
  });

  test('and docs/ hold no table cell over 200 characters and no duplicated row', () => {
    const files = ['README.md', ...readdirSync(path.join(REPO_ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
    for (const file of files) {
      // A table is a run of lines starting with '|'; a row repeated within one table says the same thing twice.
      const tables = readFileSync(path.join(REPO_ROOT, file), 'utf8').split(/\n(?!\|)/).map((block) => block.split('\n').filter((line) => line.startsWith('|')));
      const duplicated = tables.reduce((sum, table) => sum + table.length - new Set(table).size, 0);
      expect({ file, duplicated }).toEqual({ file, duplicated: 0 });
      const rows = tables.flat();
      const long = rows.flatMap((row) => row.slice(1, -1).split(' | ')).filter((cell) => cell.trim().length > 200);
      expect({ file, long }).toEqual({ file, long: [] });
    }
  });

  test('shows a lookup, a quote from usage, a quote from a raw response, ZAR, ?at= and the discrepancies', () => {
    const commands = examples().map((e) => e.command);
    expect(commands.length).toBeGreaterThanOrEqual(8);
    for (const needle of ['/costs/openai/gpt-4o', '"usage":{"input_tokens"', '"response":{', 'currency=ZAR', 'at=', '/costs/discrepancies']) {
      expect(commands.some((c) => c.includes(needle))).toBe(true);
    }
  });

  test.each(examples())('$command answers $status with a JSON body', async ({ command, status }) => {
    const line = command.replaceAll(README_ORIGIN, api.baseUrl);
    const { stdout } = await run('bash', ['-c', `${line} -w '\\n%{http_code}'`], { maxBuffer: 64 * 1024 * 1024 });
    const lines = stdout.split('\n');
    const code = Number(lines.pop());
    const body = JSON.parse(lines.join('\n')) as Record<string, unknown>;
    expect(code).toBe(status);
    expect(Object.keys(body).length).toBeGreaterThan(0);
    if (status >= 400) expect(body).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
  });
});
