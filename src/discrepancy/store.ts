// Reports in PostgreSQL: written with a NOTIFY in the same transaction, read
// back by API instances (the latest) and by the job (the one before, for
// discrepancy.found).
import type { Queryable } from '../db/pool.ts';
import type { DiscrepancyReport } from './report.ts';

export const DISCREPANCY_CHANNEL = 'tariff_discrepancies';

/** Stores a report and notifies DISCREPANCY_CHANNEL with its id on commit (apply_retention drops old ones). Call inside a transaction. */
export async function saveReport(client: Queryable, report: DiscrepancyReport): Promise<number> {
  const { rows } = await client.query<{ id: string }>(`
    insert into discrepancy_reports (generated_at, catalog_version, report)
    values ($1::timestamptz, $2::bigint, $3::jsonb) returning id`,
  [report.generated_at, report.catalog_version, JSON.stringify(report)]);
  const id = Number(rows[0]!.id);
  // NOTIFY inside the transaction: instances hear of the report only once it is committed.
  await client.query(`select pg_notify('${DISCREPANCY_CHANNEL}', $1::text)`, [String(id)]);
  return id;
}

export interface StoredReport {
  id: number;
  report: DiscrepancyReport;
}

/** The latest report, or null before the first check. */
export async function readLatestReport(db: Queryable): Promise<StoredReport | null> {
  const { rows } = await db.query<{ id: string; report: DiscrepancyReport }>(
    'select id, report from discrepancy_reports order by id desc limit 1');
  const row = rows[0];
  return row ? { id: Number(row.id), report: row.report } : null;
}

/** The id of the latest report (0 before the first): what an instance compares with the one it serves. */
export async function readLatestReportId(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ id: string | null }>('select max(id) as id from discrepancy_reports');
  return Number(rows[0]?.id ?? 0);
}
