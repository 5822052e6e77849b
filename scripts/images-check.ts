// The API and worker images, built from the Dockerfile as users build them and
// run as docker-compose.dev.yml runs them, against a real PostgreSQL. Not part
// of `npm test`; .ci/run runs it.
//
//   npm run images:check
//
// Needs root with buildah, podman and debootstrap (Debian: apt-get install -y
// buildah podman debootstrap). With no image registry, the Dockerfile's
// `FROM node:24-bookworm-slim` is served by a stand-in built once per machine
// (scripts/images/base.ts). Every step has a time bound; every container and
// process the check starts is stopped at the end, on failure and Ctrl-C too.
// Exit code 0 only when every check passed.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createLogger } from '../src/log.ts';
import { ensureBaseImage, BASE_IMAGE } from './images/base.ts';
import { buildTarget, imageConfig, imageSize, npmBuildVolumes, Container, type ImageConfig } from './images/buildah.ts';
import { leanProblems } from './images/lean.ts';
import { run, setLogDir, StepFailed } from './images/run.ts';
import { checkServing, type ServingReport } from './images/serving.ts';
import { composeCommand, startDatabase } from './images/stack.ts';
import { cleanup, MINUTE, onCleanup, progress, SECOND, seconds, step } from './images/steps.ts';
import { REPO_ROOT } from './support/paths.ts';

const TARGETS = ['api', 'worker'] as const;
type Target = (typeof TARGETS)[number];
const TAG: Record<Target, string> = { api: 'localhost/tariff-api:check', worker: 'localhost/tariff-worker:check' };
const TOOLS = ['buildah', 'podman', 'debootstrap'];

const OVERALL_TIMEOUT_MS = 40 * MINUTE;

const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/** The command an image runs for a role: its entrypoint, then the given command or its own CMD. */
function roleCommand(config: ImageConfig, command?: string[]): string[] {
  const args = [...(config.Entrypoint ?? []), ...(command ?? config.Cmd ?? [])];
  if (args.length === 0) throw new StepFailed('the image has neither ENTRYPOINT nor CMD');
  return args;
}

interface Report {
  baseBuilt: boolean;
  baseSize: number;
  images: Record<Target, { size: number; buildMs: number }>;
  serving: ServingReport;
}

async function check(workDir: string): Promise<Report> {
  const missing: string[] = [];
  for (const tool of TOOLS) await run('which', [tool], { timeoutMs: 10 * SECOND }).catch(() => missing.push(tool));
  if (missing.length > 0) throw new StepFailed(`missing ${missing.join(', ')}: apt-get install -y ${TOOLS.join(' ')}`);
  if (process.getuid?.() !== 0) throw new StepFailed('buildah with chroot isolation needs root');

  const baseBuilt = await step(`base image ${BASE_IMAGE}`, 25 * MINUTE, () => ensureBaseImage(REPO_ROOT, workDir, progress));
  const baseSize = await imageSize(BASE_IMAGE);
  const volumes = await npmBuildVolumes();

  const images = {} as Report['images'];
  const configs = {} as Record<Target, ImageConfig>;
  for (const target of TARGETS) {
    const started = performance.now();
    await step(`build --target ${target}`, 15 * MINUTE, () => buildTarget(REPO_ROOT, target, TAG[target], volumes));
    images[target] = { size: (await imageSize(TAG[target])) - baseSize, buildMs: performance.now() - started };
    configs[target] = await imageConfig(TAG[target]);
  }

  const containers = {} as Record<Target | 'migrate', Container>;
  for (const role of ['migrate', 'worker', 'api'] as const) {
    const container = await Container.from(TAG[role === 'api' ? 'api' : 'worker'], `tariff-check-${role}`);
    onCleanup(`container ${container.name}`, () => container.rm(15 * SECOND));
    containers[role] = container;
  }

  await step('lean images', 2 * MINUTE, async () => {
    for (const target of TARGETS) {
      const problems = await leanProblems(containers[target], configs[target], REPO_ROOT);
      const uid = (await containers[target].exec(['id', '-u'], {}, 30 * SECOND)).trim();
      if (uid !== '1000') problems.push(`its processes run as uid ${uid}, not node's 1000`);
      if (problems.length > 0) throw new StepFailed(`the ${target} image: ${problems.join('; ')}`);
    }
  });

  const logger = createLogger(process.env.IMAGES_CHECK_LOG_LEVEL ?? 'warn', 'tariff-images-check');
  const database = await step('PostgreSQL with the compose logins', 2 * MINUTE, () => startDatabase(REPO_ROOT, workDir, logger));
  onCleanup('PostgreSQL', () => database.server.stop());

  const serving = await checkServing({
    database,
    containers,
    commands: {
      migrate: roleCommand(configs.worker, await composeCommand(REPO_ROOT, 'migrate')),
      worker: roleCommand(configs.worker),
      api: roleCommand(configs.api),
    },
    healthcheck: configs.api.Healthcheck?.Test,
  });
  return { baseBuilt, baseSize, images, serving };
}

function formatReport(report: Report, wallMs: number): string {
  const { serving } = report;
  return [
    'images:check passed',
    `  base ${BASE_IMAGE}: ${megabytes(report.baseSize)} (${report.baseBuilt ? 'stand-in built now' : 'stand-in reused'})`,
    ...TARGETS.map((target) => `  ${target} image: ${megabytes(report.images[target].size)} over the base (built in ${seconds(report.images[target].buildMs)})`),
    `  migrate as the owner: ${seconds(serving.migrateMs)}`,
    `  worker as the writer login, start to "worker started": ${seconds(serving.workerReadyMs)}`,
    `  api as the reader login, start to /readyz 200: ${seconds(serving.apiReadyMs)}`,
    `  sync of ${serving.provider} through the API, POST to the new price served (${serving.model}: ${serving.oldPrice} -> ${serving.newPrice}): ${seconds(serving.syncServedMs)}`,
    `  HEALTHCHECK: passes while the API runs, fails once it has stopped (SIGTERM exit: ${serving.apiExit})`,
    `  wall time: ${seconds(wallMs)}`,
  ].join('\n');
}

const startedAt = performance.now();
const workDir = await mkdtemp(path.join(process.env.IMAGES_CHECK_DIR ?? '/var/tmp', 'tariff-images-check-'));
const logDir = await mkdtemp(path.join(tmpdir(), 'tariff-images-check-logs-'));
setLogDir(logDir);
onCleanup('work directory', () => rm(workDir, { recursive: true, force: true }));

let signalled = false;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    if (signalled) return;
    signalled = true;
    progress(`${signal}: stopping everything the check started`);
    void cleanup().finally(() => process.exit(130));
  });
}
const overall = setTimeout(() => {
  progress(`not done within ${seconds(OVERALL_TIMEOUT_MS)}: stopping everything the check started`);
  void cleanup().finally(() => process.exit(1));
}, OVERALL_TIMEOUT_MS);

let exitCode = 0;
try {
  const report = await check(workDir);
  await cleanup();
  process.stdout.write(`${formatReport(report, performance.now() - startedAt)}\n`);
  await rm(logDir, { recursive: true, force: true });
} catch (err) {
  exitCode = 1;
  process.stderr.write(`images:check FAILED: ${err instanceof Error ? err.message : String(err)}\n`);
  if (err instanceof Error && !(err instanceof StepFailed) && err.stack) process.stderr.write(`${err.stack}\n`);
  await cleanup();
  process.stderr.write(`images:check: command output kept in ${logDir}\n`);
}
clearTimeout(overall);
process.exit(exitCode);
