// The sync thread's entry point (see syncs.ts): its own local upstream, pool
// and configuration, driven by start/stop messages from the soak's main thread.
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { pino } from 'pino';
import { loadConfig } from '../../src/config.ts';
import { createPool } from '../../src/db/pool.ts';
import { startUpstream } from '../support/upstream.ts';
import { SyncDriver, type FromThread, type SyncThreadData, type ToThread } from './syncs.ts';

if (!parentPort) throw new Error('sync-thread.ts runs as a worker thread of scripts/soak.ts');
const port = parentPort;
const data = workerData as SyncThreadData;
const post = (message: FromThread) => port.postMessage(message);

const logger = pino({ name: 'tariff-soak-sync', level: data.logLevel }, pino.destination(2));
const upstream = await startUpstream();
const config = loadConfig({
  ...data.env,
  MODELS_DEV_URL: upstream.urlFor('models_dev'),
  OPENROUTER_MODELS_URL: upstream.urlFor('openrouter'),
  LITELLM_PRICES_URL: upstream.urlFor('litellm'),
});
const pool = createPool({ connectionString: data.databaseUrl, max: 3, applicationName: 'tariff-soak-sync', logger });
const driver: SyncDriver = new SyncDriver({
  pool, config, logger, upstream, targets: data.targets, everyMs: data.everyMs,
  onRound: () => post({ type: 'round', syncs: driver.records.length, errors: driver.errorCount }),
});

port.on('message', (message: ToThread) => {
  if (message.type === 'start') driver.start(message.t0 - performance.timeOrigin);
  else void finish();
});
post({ type: 'ready', nudged: driver.nudged });

async function finish(): Promise<void> {
  await driver.stop();
  post({ type: 'done', records: driver.records, errors: Object.fromEntries(driver.errors), errorSamples: driver.errorSamples });
  await pool.end();
  await upstream.close();
  port.close();
}
