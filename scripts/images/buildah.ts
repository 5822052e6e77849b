// The images, built and run with buildah (chroot isolation, the host's network)
// and measured with podman; both share root's container storage.
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { run, start, StepFailed, type Background } from './run.ts';

const MINUTE = 60_000;

/** What `docker image inspect` calls Config, the parts the check runs. */
export interface ImageConfig {
  User: string;
  WorkingDir: string;
  Entrypoint?: string[] | null;
  Cmd?: string[] | null;
  Healthcheck?: { Test: string[] };
  StopSignal?: string;
}

/**
 * The host's npm trust and registry settings, mounted read-only into `RUN` steps
 * (never into the image): the CA folder at the same path, the global npmrc at the
 * base image's global npmrc. Without them `npm ci` cannot reach the registry on a
 * machine whose TLS goes through a local CA.
 */
export async function npmBuildVolumes(): Promise<string[]> {
  const volumes: string[] = [];
  const cafile = (await run('npm', ['config', 'get', 'cafile'], { timeoutMs: MINUTE })).trim();
  if (cafile && cafile !== 'null' && existsSync(cafile)) volumes.push(`${path.dirname(cafile)}:${path.dirname(cafile)}:ro`);
  const globalconfig = (await run('npm', ['config', 'get', 'globalconfig'], { timeoutMs: MINUTE })).trim();
  if (globalconfig && existsSync(globalconfig)) volumes.push(`${globalconfig}:/usr/local/etc/npmrc:ro`);
  return volumes;
}

/** `docker build --target <target> -t <tag> .`, as buildah runs it here. Docker format: OCI has no HEALTHCHECK. */
export async function buildTarget(repoRoot: string, target: string, tag: string, volumes: string[]): Promise<void> {
  await run('buildah', [
    'bud', '--isolation', 'chroot', '--pull=never', '--format', 'docker', '--layers',
    '--target', target, '--tag', tag,
    ...volumes.flatMap((volume) => ['--volume', volume]),
    '--file', path.join(repoRoot, 'Dockerfile'), repoRoot,
  ], { timeoutMs: 15 * MINUTE, log: `build-${target}.log` });
}

export async function imageSize(ref: string): Promise<number> {
  return Number((await run('podman', ['image', 'inspect', '--format', '{{.Size}}', ref], { timeoutMs: MINUTE })).trim());
}

export async function imageConfig(ref: string): Promise<ImageConfig> {
  // podman shows the healthcheck beside Config, not in it.
  const [inspected] = JSON.parse(await run('podman', ['image', 'inspect', ref], { timeoutMs: MINUTE })) as
    [{ Config: ImageConfig; Healthcheck?: { Test: string[] } }];
  return { ...inspected.Config, ...(inspected.Healthcheck ? { Healthcheck: inspected.Healthcheck } : {}) };
}

/**
 * The processes a `buildah run` started in the container: the children of its
 * buildah-chroot-exec. They, not buildah, get the stop signal, as `docker stop`
 * signals the container's process: buildah answers SIGTERM by killing them.
 */
async function containerProcesses(leader: number): Promise<number[]> {
  const parents = new Map<number, number>();
  const execs: number[] = [];
  for (const entry of await readdir('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      // pid (comm) state ppid pgrp …; comm may hold spaces, so read after its closing parenthesis.
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
      const [, ppid, pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(pgrp) !== leader) continue;
      parents.set(pid, Number(ppid));
      const argv0 = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0')[0];
      if (argv0 === 'buildah-chroot-exec') execs.push(pid);
    } catch {
      // the process has exited meanwhile
    }
  }
  return [...parents].filter(([, ppid]) => execs.includes(ppid)).map(([pid]) => pid);
}

/** A working container from an image: commands run in it, its filesystem can be read, and rm() removes it. */
export class Container {
  readonly name: string;
  private mountPoint: string | undefined;
  private readonly running = new Set<Background>();

  private constructor(name: string) {
    this.name = name;
  }

  static async from(image: string, name: string): Promise<Container> {
    // A container left by an interrupted run of the check goes first.
    await run('buildah', ['rm', name], { timeoutMs: MINUTE }).catch(() => undefined);
    await run('buildah', ['from', '--pull=never', '--name', name, image], { timeoutMs: MINUTE });
    return new Container(name);
  }

  private runArgs(command: string[], env: Record<string, string>): string[] {
    return ['run', '--isolation', 'chroot', ...Object.entries(env).flatMap(([key, value]) => ['--env', `${key}=${value}`]), this.name, '--', ...command];
  }

  /** Runs a command to completion in the container. */
  exec(command: string[], env: Record<string, string>, timeoutMs: number, log?: string): Promise<string> {
    return run('buildah', this.runArgs(command, env), { timeoutMs, ...(log ? { log } : {}) });
  }

  /** Starts a long-running command in the container; stopped by rm() if not before. */
  start(label: string, command: string[], env: Record<string, string>, log: string): Background {
    const process = start(label, 'buildah', this.runArgs(command, env), { log, terminateTargets: containerProcesses });
    this.running.add(process);
    return process;
  }

  /** The container's root filesystem on the host. */
  async root(): Promise<string> {
    this.mountPoint ??= (await run('buildah', ['mount', this.name], { timeoutMs: MINUTE })).trim();
    return this.mountPoint;
  }

  async readFile(file: string): Promise<string> {
    return readFile(path.join(await this.root(), file), 'utf8');
  }

  /** Stops what runs in it, then removes it (and its mount). */
  async rm(graceMs: number): Promise<void> {
    for (const process of this.running) await process.stop(graceMs);
    this.running.clear();
    if (this.mountPoint) await run('buildah', ['umount', this.name], { timeoutMs: MINUTE }).catch(() => undefined);
    await run('buildah', ['rm', this.name], { timeoutMs: MINUTE }).catch((err: unknown) => {
      throw new StepFailed(`could not remove container ${this.name}`, { cause: err });
    });
  }
}
