// API instances as separate processes, started as package.json's `start:api`
// starts one (the same node flags, e.g. the young-generation size), so each
// one's memory can be sampled on its own, and stopped the way an orchestrator
// stops them: SIGTERM, a grace period, then SIGKILL.
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { request } from 'undici';
import { REPO_ROOT } from '../support/paths.ts';
import { START_API } from '../bench/tariff.ts';

const SCRIPT = [path.join(REPO_ROOT, START_API.script[0]!), ...START_API.script.slice(1)];
const GUARD = pathToFileURL(path.join(REPO_ROOT, 'scripts/soak/orphan-guard.ts')).href;
const READY_TIMEOUT_MS = 60_000;
const KEPT_LOG_LINES = 20;

export interface ExitInfo { code: number | null; signal: NodeJS.Signals | null }

export interface ApiProcess {
  readonly name: string;
  readonly pid: number;
  readonly baseUrl: string;
  /** Log lines the instance wrote at warn (pino 40), error or fatal (≥ 50), or not as pino JSON; the first few of them. */
  readonly logs: { warn: number; error: number; other: number; lines: string[] };
  /** Set once the process has exited. */
  readonly exit: ExitInfo | undefined;
  readonly exited: Promise<ExitInfo>;
  waitUntilReady(): Promise<void>;
  /** Resident set size in bytes, from /proc (ps elsewhere); undefined once the process is gone. */
  rss(): Promise<number | undefined>;
  /** Selected values from the instance's GET /metrics: V8 heap used, catalog reloads by reason. */
  metrics(): Promise<{ heapUsed: number | undefined; reloads: Record<string, number> }>;
  /** SIGTERM, then SIGKILL after graceMs. */
  stop(graceMs: number): Promise<void>;
  kill(): void;
}

export function startApiProcess(name: string, port: number, env: Record<string, string | undefined>, onLog: (line: string) => void): ApiProcess {
  // Its own process group: a terminal's Ctrl-C reaches only the soak, which stops the children once, gracefully.
  const child: ChildProcess = spawn(process.execPath, [...START_API.nodeFlags, '--import', GUARD, ...SCRIPT], {
    cwd: REPO_ROOT,
    env: { ...START_API.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    detached: true,
  });
  child.channel?.unref();
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${name}`);
  const baseUrl = `http://127.0.0.1:${port}`;
  const logs = { warn: 0, error: 0, other: 0, lines: [] as string[] };
  let exit: ExitInfo | undefined;
  const exited = new Promise<ExitInfo>((resolve) => {
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      resolve(exit);
    });
  });

  for (const stream of [child.stdout, child.stderr]) {
    if (!stream) continue;
    createInterface({ input: stream }).on('line', (line) => {
      if (line.trim() === '') return;
      const level = logLevel(line);
      if (level !== undefined && level < 40) return;
      if (level === undefined) logs.other += 1;
      else if (level >= 50) logs.error += 1;
      else logs.warn += 1;
      const text = describeLine(line);
      if (logs.lines.length < KEPT_LOG_LINES) logs.lines.push(text);
      onLog(`[${name}] ${text}`);
    });
  }

  return {
    name, pid, baseUrl, logs, exited,
    get exit() { return exit; },
    async waitUntilReady() {
      const deadline = Date.now() + READY_TIMEOUT_MS;
      for (;;) {
        if (exit) throw new Error(`${name} exited during start (code ${exit.code}, signal ${exit.signal})`);
        const status = await request(`${baseUrl}/readyz`).then(async (res) => {
          await res.body.dump();
          return res.statusCode;
        }, () => 0);
        if (status === 200) return;
        if (Date.now() > deadline) throw new Error(`${name} was not ready after ${READY_TIMEOUT_MS / 1000}s (GET /readyz: ${status || 'no answer'})`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async rss() {
      if (exit) return undefined;
      return readRss(pid);
    },
    async metrics() {
      const res = await request(`${baseUrl}/metrics`, { headersTimeout: 5_000, bodyTimeout: 5_000 });
      const text = await res.body.text();
      const heap = /^tariff_nodejs_heap_size_used_bytes (\S+)$/m.exec(text);
      const reloads: Record<string, number> = {};
      for (const match of text.matchAll(/^tariff_catalog_reloads_total\{reason="([^"]+)"\} (\S+)$/gm)) {
        reloads[match[1] ?? '?'] = Number(match[2]);
      }
      return { heapUsed: heap ? Number(heap[1]) : undefined, reloads };
    },
    async stop(graceMs) {
      if (exit) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
    kill() {
      if (!exit) child.kill('SIGKILL');
    },
  };
}

async function readRss(pid: number): Promise<number | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(status);
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    // No procfs (macOS): ps reports RSS in KiB.
    const { stdout } = await promisify(execFile)('ps', ['-o', 'rss=', '-p', String(pid)]).catch(() => ({ stdout: '' }));
    const kib = Number(stdout.trim());
    return stdout.trim() && Number.isFinite(kib) ? kib * 1024 : undefined;
  }
}

function logLevel(line: string): number | undefined {
  try {
    const parsed = JSON.parse(line) as { level?: unknown };
    return typeof parsed.level === 'number' ? parsed.level : undefined;
  } catch {
    return undefined;
  }
}

/** A pino line as "WARN message [request] (error message)"; anything else as written. */
function describeLine(line: string): string {
  try {
    const parsed = JSON.parse(line) as { level?: number; msg?: string; err?: { message?: string }; method?: string; path?: string; status?: number };
    const level = parsed.level === undefined ? 'LOG' : parsed.level >= 60 ? 'FATAL' : parsed.level >= 50 ? 'ERROR' : 'WARN';
    const request = parsed.status === undefined ? '' : ` ${parsed.method ?? ''} ${parsed.path ?? ''} → ${parsed.status}`;
    return `${level} ${parsed.msg ?? ''}${request}${parsed.err?.message ? ` (${parsed.err.message})` : ''}`;
  } catch {
    return line;
  }
}
