// tariff API instances as the benchmark runs them: each a process of its own,
// started the way package.json's `start:api` starts one (the same variables and node flags,
// e.g. the young-generation size), on the benchmark's database.
import { startCommand, type StartCommand } from '../support/start_command.ts';
import { freePort, REPO_ROOT, waitUntil, type Child, type Children } from './processes.ts';

export interface ApiProcess {
  child: Child;
  baseUrl: string;
}

/**
 * `start:api` as package.json has it (support/start_command.ts), without
 * `--env-file…`: the benchmark and the soak give their processes the
 * environment they measure, which a developer's .env must not change.
 */
export function startApiCommand(root = REPO_ROOT): StartCommand {
  const command = startCommand('start:api', root);
  return { ...command, nodeFlags: command.nodeFlags.filter((flag) => !flag.startsWith('--env-file')) };
}

export const START_API = startApiCommand();

/** An API process of the code at `root` (this checkout by default; the A/B comparison passes another). */
export async function startApiProcess(children: Children, name: string, databaseUrl: string, root = REPO_ROOT): Promise<ApiProcess> {
  const port = await freePort();
  const command = root === REPO_ROOT ? START_API : startApiCommand(root);
  const child = children.spawnNode(name, [...command.nodeFlags, ...command.script], {
    ...command.env,
    DATABASE_URL: databaseUrl, API_DATABASE_URL: '', PORT: String(port), HOST: '127.0.0.1',
    // info: a shutdown logs its reason; requests log at debug, so serving stays quiet.
    LOG_LEVEL: 'info',
  }, { cwd: root });
  const baseUrl = `http://127.0.0.1:${port}`;
  // 200 once the catalog is loaded and the listener is up.
  await waitUntil(`${baseUrl}/readyz`, (res) => res.status === 200, 60_000, child);
  return { child, baseUrl };
}
