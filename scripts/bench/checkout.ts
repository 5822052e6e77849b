// The code of a git ref, laid out in a temporary directory so that the A/B
// comparison can run it beside the working tree: `git archive` of the ref
// (the repository itself is not touched: no worktree, no checkout), with the
// working tree's installed packages linked in. The workspace packages
// (@tariff/*) are linked to the ref's own copies, so the ref runs its own
// pricing core, not the working tree's.
import { execFileSync } from 'node:child_process';
import { mkdir, readdir, readFile, symlink } from 'node:fs/promises';
import path from 'node:path';
import { REPO_ROOT } from './processes.ts';

export interface Checkout {
  /** The commit the ref named. */
  readonly commit: string;
  /** Its files, ready to run. */
  readonly root: string;
}

export async function checkoutRef(ref: string, into: string): Promise<Checkout> {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 1 << 30 });
  const commit = git('rev-parse', '--verify', `${ref}^{commit}`).trim();
  // Both sides serve one database, migrated by the working tree: the ref's migrations must be among
  // its own, unchanged (migrations the working tree adds are fine: the ref never reads their tables).
  const differs: string[] = [];
  const changed = git('diff', '--name-status', commit, '--', 'migrations').split('\n').filter((line) => line !== '' && !line.startsWith('A'));
  if (changed.length > 0) differs.push(`migrations (${changed.map((line) => line.split('\t').at(-1)).join(', ')})`);
  // The ref runs on the working tree's installed packages: what it needs at run time must be what they are.
  const runtime = (text: string) => JSON.stringify((JSON.parse(text) as { dependencies?: unknown }).dependencies ?? {});
  if (runtime(git('show', `${commit}:package.json`)) !== runtime(await readFile(path.join(REPO_ROOT, 'package.json'), 'utf8'))) {
    differs.push('package.json dependencies');
  }
  if (differs.length > 0) {
    throw new Error(`--ab ${ref}: ${differs.join(' and ')} differ from the working tree's; `
      + 'both sides must run on the same installed packages and the same schema');
  }
  await mkdir(into, { recursive: true });
  execFileSync('sh', ['-c', 'git archive --format=tar "$1" | tar -x -C "$2"', 'archive', commit, into], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  await linkPackages(into);
  return { commit, root: into };
}

/** node_modules for the checkout: every installed package linked from the working tree's, but the workspace packages, linked to the checkout's own. */
async function linkPackages(root: string): Promise<void> {
  const installed = path.join(REPO_ROOT, 'node_modules');
  const modules = path.join(root, 'node_modules');
  await mkdir(modules);
  const workspaces = new Map<string, string>();
  for (const dir of await readdir(path.join(root, 'packages')).catch(() => [])) {
    const manifest = JSON.parse(await readFile(path.join(root, 'packages', dir, 'package.json'), 'utf8')) as { name: string };
    workspaces.set(manifest.name, path.join(root, 'packages', dir));
  }
  const scopes = new Set([...workspaces.keys()].map((name) => name.split('/')[0]!));
  for (const entry of await readdir(installed)) {
    if (!scopes.has(entry)) {
      await symlink(path.join(installed, entry), path.join(modules, entry));
      continue;
    }
    // A scope holding workspace packages: its other packages from the working tree's install.
    await mkdir(path.join(modules, entry));
    for (const name of await readdir(path.join(installed, entry))) {
      if (!workspaces.has(`${entry}/${name}`)) await symlink(path.join(installed, entry, name), path.join(modules, entry, name));
    }
  }
  for (const [name, dir] of workspaces) {
    await mkdir(path.dirname(path.join(modules, name)), { recursive: true });
    await symlink(dir, path.join(modules, name));
  }
}
