// One discrepancy check: every registered source's payload fetched once, the
// served catalog and its price history read, the report built and stored
// with its NOTIFY in one transaction. Run by the check_discrepancies job and
// by `npm run sync -- --report`.
import type { Config } from '../config.ts';
import { readCatalog } from '../store/read.ts';
import { type PriceSheet, sheetPrices, type UnitId } from '@tariff/pricing';
import { withTransaction, type Pool, type PoolClient, type Queryable } from '../db/pool.ts';
import type { Logger } from '../log.ts';
import { fetchSourcePayload } from '../sources/index.ts';
import { SOURCES } from '../sources/registry.ts';
import type { DiscrepancyItem } from './compare.ts';
import { buildReport, historyKey, newDiscrepancies, type DiscrepancyReport, type ServedHistory } from './report.ts';
import { readLatestReport, saveReport } from './store.ts';

export interface CheckDeps {
  pool: Pool;
  config: Config;
  logger: Logger;
  signal?: AbortSignal;
  /** Replaces the upstream fetch of a source's payload (tests, the CLI against files). */
  fetchPayload?: (source: string) => Promise<unknown>;
  /** Runs in the transaction that stores the report (e.g. to queue discrepancy.found deliveries). */
  onReport?: (client: PoolClient, outcome: CheckOutcome) => Promise<void>;
}

export interface SourceFailure {
  source: string;
  /** Why it could not be fetched, as the fetch said (e.g. `getaddrinfo ENOTFOUND models.dev`). */
  cause: string;
}

/** Some sources could not be fetched: each with its cause. */
export class SourcesUnavailableError extends Error {
  override name = 'SourcesUnavailableError';
  readonly failures: readonly SourceFailure[];

  constructor(failures: readonly SourceFailure[], total: number) {
    super(`discrepancy check: ${failures.length} of ${total} sources could not be fetched: `
      + failures.map((f) => `${f.source} (${f.cause})`).join('; '));
    this.failures = failures;
  }
}

export interface CheckOutcome {
  id: number;
  report: DiscrepancyReport;
  previous: DiscrepancyReport | null;
  /** Discrepancies the previous report did not have (newDiscrepancies). */
  found: DiscrepancyItem[];
}

/** Throws when a source cannot be fetched: the previous report stays served and the job retries. */
export async function checkDiscrepancies(deps: CheckDeps): Promise<CheckOutcome> {
  const { pool, config, logger } = deps;
  const payloads = new Map<string, unknown>();
  const failures: SourceFailure[] = [];
  // One source at a time: the payloads are large, and memory matters more than seconds here.
  for (const source of SOURCES) {
    try {
      payloads.set(source.name, await (deps.fetchPayload?.(source.name) ?? fetchSourcePayload(source, config, deps.signal)));
    } catch (error) {
      failures.push({ source: source.title, cause: error instanceof Error ? error.message : String(error) });
    }
  }
  if (failures.length > 0) throw new SourcesUnavailableError(failures, SOURCES.length);
  const catalog = await readCatalog(pool);
  const history = await readServedHistory(pool, config.providers.map((p) => p.provider));
  const report = buildReport({ catalog, providers: config.providers, payloads, history, at: new Date() });
  const outcome = await withTransaction(pool, async (client) => {
    const previous = (await readLatestReport(client))?.report ?? null;
    const id = await saveReport(client, report);
    const result: CheckOutcome = { id, report, previous, found: newDiscrepancies(previous, report) };
    await deps.onReport?.(client, result);
    return result;
  });
  logger.info({ reportId: outcome.id, items: report.items.length, found: outcome.found.length, unmatched: report.unmatched.length },
    'discrepancy report stored');
  return outcome;
}

/** Per model, per dimension, every price tariff has served (old and new prices of unshadowed history). */
export async function readServedHistory(db: Queryable, providers: readonly string[]): Promise<ServedHistory> {
  const { rows } = await db.query<{ provider: string; model_id: string; old_price: PriceSheet | null; new_price: PriceSheet | null }>(`
    select provider, model_id, old_price, new_price from price_history
     where provider = any($1::text[]) and not shadowed`, [providers]);
  const history = new Map<string, Map<UnitId, Set<string>>>();
  for (const row of rows) {
    const key = historyKey(row.provider, row.model_id);
    let byUnit = history.get(key);
    if (!byUnit) history.set(key, (byUnit = new Map()));
    for (const price of [row.old_price, row.new_price]) {
      if (!price) continue;
      for (const [unit, value] of Object.entries(sheetPrices(price)) as Array<[UnitId, string]>) {
        let values = byUnit.get(unit);
        if (!values) byUnit.set(unit, (values = new Set()));
        values.add(value);
      }
    }
  }
  return history;
}
