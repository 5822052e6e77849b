// What `npm start` prints when it cannot start: one line that says why, and
// nothing started before it.
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from '../support/db.ts';
import { freePort, REPO_ROOT } from '../support/env.ts';
import { startCommand } from '../../scripts/support/start_command.ts';

let db: TestDatabase;
let taken: Server;
let port: number;

beforeAll(async () => {
  db = await createTestDatabase();
  port = await freePort();
  taken = createServer();
  await new Promise<void>((resolve) => taken.listen(port, '127.0.0.1', resolve));
});

afterAll(async () => {
  await new Promise<void>((resolve) => taken.close(() => resolve()));
  await db.drop();
});

test('npm start on a port already in use prints one line naming the port, exits 1, and starts no worker', async () => {
  // package.json's own command, with its variables.
  const { env, nodeFlags, script } = startCommand('start');
  const child = spawn(path.join(REPO_ROOT, 'node_modules/.bin/node'), [...nodeFlags, ...script], {
    cwd: REPO_ROOT, env: { PATH: process.env.PATH, ...env, PORT: String(port), DATABASE_URL: db.url, LOG_LEVEL: 'info' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString(); });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  expect(code).toBe(1);
  expect(output.trim().split('\n')).toEqual([
    `tariff: port ${port} on 127.0.0.1 is already in use (is tariff already running?); stop that process or set PORT to a free port`,
  ]);
});
