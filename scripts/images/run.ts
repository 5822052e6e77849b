// Every command the image check runs goes through here, each with a time bound.
// Each runs in its own process group, so a timeout or a cleanup stops the whole
// tree it started (buildah's runtime and the process in the container), by pid.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import path from 'node:path';

export class StepFailed extends Error {
  override name = 'StepFailed';
}

export interface RunOptions {
  timeoutMs: number;
  /** Output goes to this file in the log directory (it is kept on failure). */
  log?: string;
  env?: Record<string, string>;
  cwd?: string;
}

const TAIL_CHARS = 4_000;

let logDir = '';
/** Where command output is written: one file per command, named by its options.log. */
export function setLogDir(dir: string) {
  logDir = dir;
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals) {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // the group has already gone
  }
}

function openLog(name: string | undefined): WriteStream | undefined {
  return name && logDir ? createWriteStream(path.join(logDir, name), { flags: 'a' }) : undefined;
}

/** Runs a command to completion within timeoutMs; resolves with its stdout, rejects with the tail of its output. */
export function run(command: string, args: string[], options: RunOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const log = openLog(options.log);
    let stdout = '';
    let tail = '';
    const keep = (chunk: Buffer, isStdout: boolean) => {
      log?.write(chunk);
      const text = chunk.toString('utf8');
      if (isStdout) stdout += text;
      tail = (tail + text).slice(-TAIL_CHARS);
    };
    child.stdout.on('data', (chunk: Buffer) => keep(chunk, true));
    child.stderr.on('data', (chunk: Buffer) => keep(chunk, false));
    const timer = setTimeout(() => {
      killGroup(child, 'SIGKILL');
      settle(new StepFailed(`${command} ${args.join(' ')} did not finish within ${options.timeoutMs / 1000}s\n${tail}`));
    }, options.timeoutMs);
    let settled = false;
    function settle(outcome: Error | string) {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      log?.end();
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    }
    child.on('error', (err) => settle(new StepFailed(`${command} could not start: ${err.message}`, { cause: err })));
    child.on('close', (code, signal) => settle(code === 0
      ? stdout
      : new StepFailed(`${command} ${args.join(' ')} failed (${signal ?? `code ${code}`})\n${tail}`)));
  });
}

export interface Background {
  readonly name: string;
  readonly pid: number;
  /** Resolves with the exit code (or signal name) once the process has exited. */
  readonly exited: Promise<number | string>;
  hasExited(): boolean;
  /** The last few kB of its output, for a failure message. */
  tail(): string;
  /** Resolves when a line of its output passes the test; rejects on timeout or if it exits first. */
  waitForLine(test: (line: string) => boolean, timeoutMs: number): Promise<string>;
  /** SIGTERM (to its process group, or to terminateTargets), then SIGKILL to the group after graceMs. */
  stop(graceMs: number): Promise<number | string>;
}

export interface StartOptions extends Omit<RunOptions, 'timeoutMs'> {
  /** The pids stop() sends SIGTERM to (default: the whole process group), given the leader's pid. */
  terminateTargets?: (leader: number) => Promise<number[]>;
}

/** Starts a long-running command in its own process group; the caller registers its stop() for cleanup. */
export function start(name: string, command: string, args: string[], options: StartOptions = {}): Background {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new StepFailed(`could not start ${name} (${command})`);
  const log = openLog(options.log);
  let tail = '';
  const lineWatchers = new Set<(line: string) => void>();
  for (const stream of [child.stdout, child.stderr]) {
    let partial = '';
    stream.on('data', (chunk: Buffer) => {
      log?.write(chunk);
      const text = chunk.toString('utf8');
      tail = (tail + text).slice(-TAIL_CHARS);
      const lines = (partial + text).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) for (const watch of lineWatchers) watch(line);
    });
  }
  let exitedWith: number | string | undefined;
  const exited = new Promise<number | string>((resolve) => {
    child.once('close', (code, signal) => {
      exitedWith = code ?? signal ?? 'unknown';
      log?.end();
      resolve(exitedWith);
    });
  });
  return {
    name,
    pid: child.pid,
    exited,
    hasExited: () => exitedWith !== undefined,
    tail: () => tail,
    waitForLine(test, timeoutMs) {
      return new Promise((resolve, reject) => {
        const watch = (line: string) => {
          if (test(line)) finish(line);
        };
        const timer = setTimeout(() => finish(new StepFailed(`${name}: no expected output within ${timeoutMs / 1000}s\n${tail}`)), timeoutMs);
        void exited.then((code) => finish(new StepFailed(`${name} exited (${code}) before the expected output\n${tail}`)));
        function finish(outcome: string | Error) {
          if (!lineWatchers.delete(watch)) return;
          clearTimeout(timer);
          if (outcome instanceof Error) reject(outcome);
          else resolve(outcome);
        }
        lineWatchers.add(watch);
      });
    },
    async stop(graceMs) {
      if (exitedWith !== undefined) return exitedWith;
      const targets = (await options.terminateTargets?.(child.pid!)) ?? [];
      if (targets.length === 0) killGroup(child, 'SIGTERM');
      for (const pid of targets) {
        try {
          process.kill(pid, 'SIGTERM');
        } catch {
          // it has just exited
        }
      }
      const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
      const result = await exited;
      clearTimeout(timer);
      // Whatever the leader left behind in its group goes too.
      killGroup(child, 'SIGKILL');
      return result;
    },
  };
}
