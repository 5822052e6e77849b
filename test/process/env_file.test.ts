// `.env` is read when present by every command that starts tariff, as
// .env.example says, and the environment still wins over it.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { freePort, REPO_ROOT } from '../support/env.ts';
import { until } from '../support/poll.ts';
import { startCommand } from '../../scripts/support/start_command.ts';

const STARTING_SCRIPTS = ['start', 'start:api', 'start:worker', 'migrate', 'sync'];

/** package.json's own command, with its variables, run from `cwd` (its script path made absolute); its stdout and stderr in `output()`. */
function spawnScript(name: string, cwd: string, env: Record<string, string>): { child: ChildProcess; output: () => string } {
  const { env: scriptEnv, nodeFlags, script: [entry, ...args] } = startCommand(name);
  const child = spawn(path.join(REPO_ROOT, 'node_modules/.bin/node'), [...nodeFlags, path.join(REPO_ROOT, entry!), ...args], {
    cwd, env: { PATH: process.env.PATH, ...scriptEnv, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  child.stderr!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  return { child, output: () => output };
}

async function expectHealthy(port: number): Promise<void> {
  const health = await until('the API process to answer /healthz', () => fetch(`http://127.0.0.1:${port}/healthz`).catch(() => undefined),
    { deadlineMs: 20_000 });
  expect(health.status).toBe(200);
}

describe('.env', () => {
  let dir: string;
  let db: TestDatabase;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'tariff-env-'));
    db = await createTestDatabase();
  });

  afterAll(async () => {
    child?.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
    await db.drop();
  });

  test.each(STARTING_SCRIPTS)('npm run %s runs an entry point that reads .env before its configuration, without node\'s --env-file flags', async (name) => {
    const command = startCommand(name);
    expect(command.nodeFlags.filter((flag) => flag.startsWith('--env-file'))).toEqual([]);
    const entry = command.script[0]!;
    const source = await readFile(path.join(REPO_ROOT, entry), 'utf8');
    expect(source.indexOf('loadDotEnv()')).toBeGreaterThan(-1);
    expect(source.indexOf('loadDotEnv()')).toBeLessThan(source.indexOf('loadConfig()'));
  });

  test('start:api, run where a .env sets its port and database, listens there; the environment overrides .env', async () => {
    const port = await freePort();
    await writeFile(path.join(dir, '.env'), [
      `PORT=${port}`,
      `API_DATABASE_URL=${db.url}`,
      'LOG_LEVEL=info',
      'ADMIN_TOKEN=from-dot-env-0123456789',
    ].join('\n'));
    const started = spawnScript('start:api', dir, { LOG_LEVEL: 'warn' });
    child = started.child;
    await expectHealthy(port);
    // LOG_LEVEL=warn from the environment beats LOG_LEVEL=info from .env: no info line was logged.
    expect(started.output()).not.toMatch(/"level":30/);
    child.kill('SIGTERM');
    await new Promise((resolve) => child!.once('exit', resolve));
    child = undefined;
  });

  test('start:api with no .env says nothing about it', async () => {
    const port = await freePort();
    const empty = await mkdtemp(path.join(tmpdir(), 'tariff-noenv-'));
    const started = spawnScript('start:api', empty, { PORT: String(port), API_DATABASE_URL: db.url, LOG_LEVEL: 'warn' });
    child = started.child;
    await expectHealthy(port);
    expect(started.output()).not.toMatch(/\.env/);
    await rm(empty, { recursive: true, force: true });
  });
});
