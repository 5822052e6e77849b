// The compose stack's roles run from the built images against a real PostgreSQL:
// the one-shot migrate as the owner, the worker as the writer login, the API as
// the reader login (and the writer for /admin), with the worker's upstreams on a
// local server of ../shared/fixtures/upstream. A sync triggered through the API
// must change the price the API serves, and the image's HEALTHCHECK must pass.
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { freePort } from '../support/ports.ts';
import { fixtureJson, sourceUrlEnv, startUpstream } from '../support/upstream.ts';
import type { Container } from './buildah.ts';
import { StepFailed, type Background } from './run.ts';
import type { StackDatabase } from './stack.ts';
import { MINUTE, onCleanup, SECOND, step, until } from './steps.ts';

type Role = 'migrate' | 'worker' | 'api';

export interface ServingOptions {
  database: StackDatabase;
  containers: Record<Role, Container>;
  /** The command each role runs: the image's ENTRYPOINT and CMD, migrate's from the compose file. */
  commands: Record<Role, string[]>;
  /** The api image's HEALTHCHECK test, as `docker image inspect` shows it. */
  healthcheck: string[] | undefined;
}

export interface ServingReport {
  migrateMs: number;
  workerReadyMs: number;
  apiReadyMs: number;
  syncServedMs: number;
  provider: string;
  model: string;
  oldPrice: string;
  newPrice: string;
  apiExit: number | string;
}

/** The provider synced through the API; models.dev serves it in the compose stack's defaults. */
const PROVIDER = 'anthropic';

interface ModelsDev { [provider: string]: { models: Record<string, { cost?: { input?: unknown } }> } }
interface ServedModel { model_id: string; input_cost_per_1m_tokens: string | null }
interface ServedCosts { providers: Record<string, { source: string; models: ServedModel[] }> }

/** HEALTHCHECK's test as the command Docker runs. */
function healthcheckCommand(test: string[] | undefined): string[] {
  const [kind, ...rest] = test ?? [];
  if (kind === 'CMD' && rest.length > 0) return rest;
  if (kind === 'CMD-SHELL' && rest[0]) return ['/bin/sh', '-c', rest[0]];
  throw new StepFailed(`the api image has no usable HEALTHCHECK (${JSON.stringify(test ?? null)}); docker-format images keep it, OCI ones drop it`);
}

/** pino's message of a JSON log line, if it is one. */
function logMessage(line: string): string | undefined {
  try {
    return (JSON.parse(line) as { msg?: string }).msg;
  } catch {
    return undefined;
  }
}

function alive(process: Background) {
  if (process.hasExited()) throw new StepFailed(`the ${process.name} exited early\n${process.tail()}`);
}

async function getJson<T>(url: string, headers: Record<string, string> = {}): Promise<T> {
  const response = await fetch(url, { headers, signal: AbortSignal.timeout(10 * SECOND) });
  if (!response.ok) throw new Error(`GET ${url}: ${response.status}`);
  return await response.json() as T;
}

export async function checkServing({ database, containers, commands, healthcheck }: ServingOptions): Promise<ServingReport> {
  const healthcheckArgs = healthcheckCommand(healthcheck);
  const upstream = await startUpstream();
  onCleanup('upstream fixture server', () => upstream.close());

  // docker-compose.dev.yml's x-tariff-env, with the upstreams pointed at the fixtures.
  const shared = {
    LOG_LEVEL: 'info',
    WEBHOOK_SECRET_KEY: randomBytes(32).toString('hex'),
    PROVIDERS_IN_USE: 'openrouter,anthropic,openai,google',
    FX_CURRENCIES: 'ZAR',
    ...sourceUrlEnv(upstream),
    YAHOO_FINANCE_URL: `${upstream.url}/yahoo`,
  };
  const writerUrl = database.loginUrl('tariff_worker');
  const readerUrl = database.loginUrl('tariff_api');

  let started = performance.now();
  await step('migrate, from the worker image, as the owner', 3 * MINUTE, () =>
    containers.migrate.exec(commands.migrate, { ...shared, DATABASE_URL: database.ownerUrl }, 3 * MINUTE, 'migrate.log'));
  const migrateMs = performance.now() - started;

  started = performance.now();
  const worker = containers.worker.start('worker', commands.worker, { ...shared, DATABASE_URL: writerUrl, RUN_MIGRATIONS: 'false' }, 'worker.log');
  await step('worker, as the writer login', 2 * MINUTE, () =>
    worker.waitForLine((line) => logMessage(line) === 'worker started', 2 * MINUTE));
  const workerReadyMs = performance.now() - started;

  // 127.0.0.1, not the image's 0.0.0.0: the container shares the host's network here.
  const port = await freePort();
  const apiEnv = {
    ...shared, API_DATABASE_URL: readerUrl, DATABASE_URL: writerUrl, PORT: String(port), HOST: '127.0.0.1',
    ADMIN_TOKEN: randomBytes(24).toString('hex'),
  };
  const base = `http://127.0.0.1:${port}`;
  started = performance.now();
  const api = containers.api.start('api', commands.api, apiEnv, 'api.log');
  await step('api, as the reader login, to /readyz 200', 2 * MINUTE, () => until('/readyz 200', 2 * MINUTE, async () => {
    alive(api);
    const response = await fetch(`${base}/readyz`, { signal: AbortSignal.timeout(2 * SECOND) });
    return response.status === 200 ? true : undefined;
  }));
  const apiReadyMs = performance.now() - started;

  await step('HEALTHCHECK while the API runs', MINUTE, () => containers.api.exec(healthcheckArgs, apiEnv, MINUTE, 'healthcheck.log'));

  const sync = await step(`a sync of ${PROVIDER} through the API, served by the API`, 3 * MINUTE, async () => {
    const fixture = fixtureJson<ModelsDev>('models_dev');
    const served = (await getJson<ServedCosts>(`${base}/costs?provider=${PROVIDER}`)).providers[PROVIDER];
    if (served?.source !== 'models_dev') throw new StepFailed(`${PROVIDER} is served from ${served?.source ?? 'nowhere'}, not models_dev`);
    // A model whose served price is the fixture's: doubling it in the fixture is then a change only a sync can serve.
    const model = served.models.find((m) => {
      const input = fixture[PROVIDER]?.models[m.model_id]?.cost?.input;
      return typeof input === 'number' && input > 0 && Number(m.input_cost_per_1m_tokens) === input;
    });
    if (!model) throw new StepFailed(`no ${PROVIDER} model is served at its models.dev fixture price`);
    const cost = fixture[PROVIDER]!.models[model.model_id]!.cost!;
    cost.input = (cost.input as number) * 2;
    upstream.setBody('models_dev', JSON.stringify(fixture));

    const triggered = performance.now();
    const response = await fetch(`${base}/admin/pricing-sync`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiEnv.ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ providers: [PROVIDER] }),
      signal: AbortSignal.timeout(10 * SECOND),
    });
    if (response.status !== 202) throw new StepFailed(`POST /admin/pricing-sync: ${response.status} ${await response.text()}`);
    const newPrice = await until(`the new ${model.model_id} price served`, 2 * MINUTE, async () => {
      alive(api);
      alive(worker);
      const current = await getJson<ServedModel>(`${base}/costs/${PROVIDER}/${encodeURIComponent(model.model_id)}`);
      return Number(current.input_cost_per_1m_tokens) === cost.input ? current.input_cost_per_1m_tokens! : undefined;
    });
    return { model: model.model_id, oldPrice: model.input_cost_per_1m_tokens!, newPrice, syncServedMs: performance.now() - triggered };
  });

  const apiExit = await step('the API stops on SIGTERM', MINUTE, () => api.stop(45 * SECOND));
  if (apiExit !== 0) throw new StepFailed(`the API exited with ${apiExit} on SIGTERM, not 0\n${api.tail()}`);
  await step('HEALTHCHECK once the API has stopped', MINUTE, async () => {
    const failed = await containers.api.exec(healthcheckArgs, apiEnv, MINUTE).then(() => false, () => true);
    if (!failed) throw new StepFailed('the HEALTHCHECK passes with no API running');
  });

  return { migrateMs, workerReadyMs, apiReadyMs, ...sync, provider: PROVIDER, apiExit };
}
