// How a package.json script starts tariff, read from the script itself:
// `[NAME=value …] node [flags] <script> [args…]`. The benchmark, the soak and
// the tests start processes exactly as `npm run <name>` does.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { REPO_ROOT } from './paths.ts';

export interface StartCommand {
  /** The variables the script sets before `node`. */
  env: Record<string, string>;
  /** node's own flags. */
  nodeFlags: string[];
  /** The script (relative to the repository) and its arguments. */
  script: string[];
}

const ASSIGNMENT = /^([A-Z_][A-Z0-9_]*)=(\S*)$/;

export function startCommand(name: string, root = REPO_ROOT): StartCommand {
  const pkg = z.object({ scripts: z.record(z.string(), z.string()) })
    .parse(JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')));
  const text = pkg.scripts[name];
  if (text === undefined) throw new Error(`package.json has no script "${name}"`);
  const words = text.trim().split(/\s+/);
  const env: Record<string, string> = {};
  for (let match = ASSIGNMENT.exec(words[0] ?? ''); match; match = ASSIGNMENT.exec(words[0] ?? '')) {
    env[match[1]!] = match[2]!;
    words.shift();
  }
  const [command, ...args] = words;
  const scriptAt = args.findIndex((arg) => !arg.startsWith('-'));
  if (command !== 'node' || scriptAt < 0) throw new Error(`package.json ${name} is not "[NAME=value …] node [flags] <script> …": ${text}`);
  return { env, nodeFlags: args.slice(0, scriptAt), script: args.slice(scriptAt) };
}
