// Every process the benchmark starts is registered here, so that one cleanup
// (normal exit, a failure, or Ctrl-C) stops them all, by pid, and nothing else.
import { spawn, fork, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { REPO_ROOT } from '../support/paths.ts';
import { freePort } from '../support/ports.ts';
import { sleep } from './stats.ts';

export const BENCH_DIR = path.join(REPO_ROOT, 'scripts/bench');

const STOP_TIMEOUT_MS = 15_000;

export interface Child {
  readonly name: string;
  readonly process: ChildProcess;
  readonly pid: number;
  readonly logFile: string;
  /** Resolves with the exit code (or signal) once the process has exited. */
  readonly exited: Promise<number | string>;
}

export class Children {
  private readonly running = new Set<Child>();
  private readonly stopping = new Set<Child>();
  private readonly logDir: string;

  constructor(logDir: string) {
    this.logDir = logDir;
  }

  /** A command run under node (process.execPath: the project's Node 24), output to a log file. */
  spawnNode(name: string, args: string[], env: Record<string, string> = {}, options: { ipc?: boolean; stdout?: 'pipe' | 'log'; cwd?: string } = {}): Child {
    const logFile = path.join(this.logDir, `${name}.log`);
    const log = createWriteStream(logFile);
    const stdout = options.stdout ?? 'log';
    const cwd = options.cwd ?? REPO_ROOT;
    const child = options.ipc
      ? fork(args[0]!, args.slice(1), { cwd, env: { ...process.env, ...env }, execArgv: ['--conditions=tariff-source'], stdio: ['ignore', 'pipe', 'pipe', 'ipc'] })
      : spawn(process.execPath, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    if (child.pid === undefined) throw new Error(`could not start ${name}`);
    if (stdout === 'log') child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    const exited = new Promise<number | string>((resolve) => {
      child.once('exit', (code, signal) => {
        this.running.delete(handle);
        // A server the benchmark did not stop has gone: say so, or the next measurement fails without a reason.
        if (!this.stopping.has(handle) && code !== 0) {
          process.stderr.write(`[bench] ${name} (pid ${handle.pid}) exited unexpectedly: ${signal ?? `code ${code}`}; see ${logFile}\n`);
        }
        resolve(code ?? signal ?? 'unknown');
      });
    });
    const handle: Child = { name, process: child, pid: child.pid, logFile, exited };
    this.running.add(handle);
    return handle;
  }

  /** SIGTERM (graceful), then SIGKILL if it has not exited in time. */
  async stop(child: Child): Promise<void> {
    if (!this.running.has(child)) return;
    this.stopping.add(child);
    child.process.kill('SIGTERM');
    const timer = setTimeout(() => child.process.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await child.exited;
    clearTimeout(timer);
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.running].map((child) => this.stop(child)));
  }
}

/** Output of a child that prints one JSON document on stdout and exits 0. */
export async function jsonOutput(child: Child): Promise<unknown> {
  let text = '';
  child.process.stdout?.setEncoding('utf8');
  child.process.stdout?.on('data', (chunk: string) => { text += chunk; });
  const code = await child.exited;
  if (code !== 0) throw new Error(`${child.name} exited with ${code}; see ${child.logFile}`);
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${child.name} printed no JSON; see ${child.logFile}`);
  }
}

/** The first line a child prints on stdout (servers print their port). */
export function firstLine(child: Child, timeoutMs = 30_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`${child.name} printed nothing in ${timeoutMs} ms; see ${child.logFile}`)), timeoutMs);
    child.process.stdout?.setEncoding('utf8');
    child.process.stdout?.on('data', (chunk: string) => {
      text += chunk;
      const end = text.indexOf('\n');
      if (end >= 0) {
        clearTimeout(timer);
        resolve(text.slice(0, end));
      }
    });
    void child.exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${child.name} exited (${code}) before it was ready; see ${child.logFile}`));
    });
  });
}

export { freePort, REPO_ROOT };

/** Polls url until check accepts the response, or fails after timeoutMs. */
export async function waitUntil(url: string, check: (res: Response) => boolean, timeoutMs: number, child?: Child): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no response';
  while (Date.now() < deadline) {
    if (child && child.process.exitCode !== null) throw new Error(`${child.name} exited early; see ${child.logFile}`);
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (check(res)) return;
      last = `status ${res.status}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await sleep(100);
  }
  throw new Error(`${url} not ready after ${timeoutMs} ms (${last})${child ? `; see ${child.logFile}` : ''}`);
}

/** Resident set size of a process in bytes, from /proc/<pid>/status (VmRSS). */
export async function residentBytes(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
  if (!match) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(match[1]) * 1024;
}
