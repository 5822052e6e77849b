// Runs one provider sync now, in this process, and prints what it did; or,
// with --report, compares every served model with the other sources (the
// check_discrepancies job, in the foreground) and prints the report's summary
// and largest spreads.
//
//   npm run sync -- --provider openrouter [--dry-run] [--force]
//   npm run sync -- --report
//
// Uses DATABASE_URL, or the embedded PostgreSQL (shared with a running
// `npm start`, or started for the duration of the command).
import { parseArgs } from 'node:util';
import { loadConfig } from '../src/config.ts';
import { loadDotEnv } from '../src/env_file.ts';
import { resolveDatabase } from '../src/db/database.ts';
import { createPool } from '../src/db/pool.ts';
import { createLogger } from '../src/log.ts';
import { prepareDatabase } from '../src/service.ts';
import { syncProvider, type SyncResult } from '../src/sync/provider.ts';
import type { PriceChange } from '@tariff/pricing';
import { checkDiscrepancies, SourcesUnavailableError } from '../src/discrepancy/run.ts';
import { describeReport } from '../src/discrepancy/describe.ts';

const USAGE = 'usage: npm run sync -- --provider <id> [--dry-run] [--force] | --report';
const SHOWN_CHANGES = 50;
const SHOWN_SPREADS = 20;

const { values } = parseArgs({
  options: {
    provider: { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
    force: { type: 'boolean', default: false },
    report: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (values.help || (!values.provider && !values.report)) {
  process.stderr.write(`${USAGE}\n`);
  process.exit(values.help ? 0 : 2);
}

loadDotEnv();
const config = loadConfig();
// Logs go to stderr so stdout carries only the summary.
const logger = createLogger(process.env.LOG_LEVEL ?? 'warn', 'tariff-sync');
if (values.provider && !config.providers.some((p) => p.provider === values.provider)) {
  process.stderr.write(`unknown provider "${values.provider}": PROVIDERS_IN_USE is ${config.PROVIDERS_IN_USE.join(', ')}\n`);
  process.exit(2);
}

const database = await resolveDatabase(config, logger);
const pool = createPool({ connectionString: database.url, max: 2, applicationName: 'tariff-sync-cli', logger });
let exitCode = 0;
try {
  await prepareDatabase(database.url, config, logger);
  if (values.provider) {
    const result = await syncProvider({ pool, config, logger }, {
      provider: values.provider, dry_run: values['dry-run'], force: values.force,
      triggered_by: 'manual', job_id: null, attempt: null,
    });
    process.stdout.write(summary(values.provider, result));
    if (result.status === 'rejected') exitCode = 3;
  }
  if (values.report) {
    const { id, report } = await checkDiscrepancies({ pool, config, logger });
    process.stdout.write(`discrepancy report #${id}\n${describeReport(report, SHOWN_SPREADS)}`);
  }
} catch (err) {
  if (err instanceof SourcesUnavailableError) {
    process.stderr.write(`discrepancy check failed: ${err.failures.length} source(s) could not be fetched\n`
      + err.failures.map((f) => `  ${f.source}: ${f.cause}\n`).join('')
      + 'check the network, or point the source URL variables (MODELS_DEV_URL, …) at a reachable copy\n');
  } else {
    process.stderr.write(`${values.provider ? 'sync' : 'discrepancy check'} failed: ${err instanceof Error ? err.message : String(err)}\n`);
  }
  exitCode = 1;
} finally {
  await pool.end();
  await database.embedded?.stop();
}
process.exit(exitCode);

function summary(provider: string, result: SyncResult): string {
  if (result.status === 'skipped') return `${provider}: skipped (${result.reason})\n`;
  const { counts } = result;
  const lines = [
    `${provider}: ${result.status}${result.dry_run ? ' (dry run: nothing written)' : ''}, sync log #${result.sync_log_id}`,
    ...(result.reason ? [`  reason: ${result.reason}`] : []),
    `  fetched ${counts.fetched}, added ${counts.added}, updated ${counts.updated}, unchanged ${counts.unchanged}, removed ${counts.removed}, skipped ${counts.skipped}`,
    ...result.changes.slice(0, SHOWN_CHANGES).map(describeChange),
    ...(result.changes.length > SHOWN_CHANGES ? [`  … and ${result.changes.length - SHOWN_CHANGES} more (GET /admin/pricing-sync/log/${result.sync_log_id})`] : []),
  ];
  return `${lines.join('\n')}\n`;
}

function describeChange(change: PriceChange): string {
  const price = (p: PriceChange['new_price']) =>
    p ? (p.state === 'priced' ? `in ${p.input ?? '-'} / out ${p.output ?? '-'} per 1M` : p.state) : '-';
  return `  ${change.change.padEnd(8)} ${change.model_id}: ${price(change.old_price)} → ${price(change.new_price)}`;
}
