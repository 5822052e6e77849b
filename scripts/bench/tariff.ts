// tariff API instances as the benchmark runs them: each a process of its own,
// started the way package.json's `start:api` starts one (the same node flags,
// e.g. the young-generation size), on the benchmark's database.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { freePort, REPO_ROOT, waitUntil, type Child, type Children } from './processes.ts';

export interface ApiProcess {
  child: Child;
  baseUrl: string;
}

/**
 * `start:api` split into node's own flags and the script with its arguments;
 * without `--env-file…`: the benchmark and the soak give their processes the
 * environment they measure, which a developer's .env must not change.
 */
export function startApiCommand(root = REPO_ROOT): { nodeFlags: string[]; script: string[] } {
  const pkg = z.object({ scripts: z.object({ 'start:api': z.string() }) })
    .parse(JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')));
  const [command, ...args] = pkg.scripts['start:api'].trim().split(/\s+/);
  const scriptAt = args.findIndex((arg) => !arg.startsWith('-'));
  if (command !== 'node' || scriptAt < 0) throw new Error(`package.json start:api is not "node [flags] <script> …": ${pkg.scripts['start:api']}`);
  return { nodeFlags: args.slice(0, scriptAt).filter((flag) => !flag.startsWith('--env-file')), script: args.slice(scriptAt) };
}

export const START_API = startApiCommand();

/** An API process of the code at `root` (this checkout by default; the A/B comparison passes another). */
export async function startApiProcess(children: Children, name: string, databaseUrl: string, root = REPO_ROOT): Promise<ApiProcess> {
  const port = await freePort();
  const command = root === REPO_ROOT ? START_API : startApiCommand(root);
  const child = children.spawnNode(name, [...command.nodeFlags, ...command.script], {
    DATABASE_URL: databaseUrl, API_DATABASE_URL: '', PORT: String(port), HOST: '127.0.0.1',
    // info: a shutdown logs its reason; requests log at debug, so serving stays quiet.
    LOG_LEVEL: 'info',
  }, { cwd: root });
  const baseUrl = `http://127.0.0.1:${port}`;
  // 200 once the catalog is loaded and the listener is up.
  await waitUntil(`${baseUrl}/readyz`, (res) => res.status === 200, 60_000, child);
  return { child, baseUrl };
}
