// The sync log (/syncs) and one sync (/syncs/:id): outcome, counts, duration
// and errors; for a rejected sync or a dry run, the changes it would have made
// (pricing_sync_log.changes), for an applied one the history rows it wrote.
import { z } from 'zod';
import { presentPrice, type Price } from '@tariff/pricing';
import { dimensionsOf, sortUnits, unitLabel } from '../dimensions.ts';
import { duration, plain, selectField, time } from '../format.ts';
import { html, modelHref, type Html } from '../html.ts';
import type { SyncChange, SyncDetail, SyncLogEntry } from '../reads.ts';

export const STATUSES = ['in_progress', 'success', 'failed', 'rejected'] as const;
export const LIMITS = [20, 50, 100, 200] as const;

export const syncLogQuery = z.object({
  provider: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'must be a provider id').optional(),
  status: z.enum(STATUSES, { error: `must be one of ${STATUSES.join(', ')}` }).optional(),
  limit: z.coerce.number().pipe(z.union(LIMITS.map((n) => z.literal(n)), { error: `must be one of ${LIMITS.join(', ')}` })).default(50),
});
export type SyncLogQuery = z.output<typeof syncLogQuery>;

/** What an empty log means: nothing matched, or nothing has run yet (and how to run one). */
function emptyLog(query: SyncLogQuery): Html {
  if (query.provider !== undefined || query.status !== undefined) return html`<p>No sync matches these filters.</p>`;
  return html`<p class="note" role="note">No sync has run yet: the prices served are the bundled snapshot's. Scheduled syncs run on
SYNC_SCHEDULE (hourly) and need the upstreams reachable; to sync now: <code>npm run sync -- --provider openai</code>, or
<code>POST /admin/pricing-sync</code> with ADMIN_TOKEN.</p>`;
}

export function syncLogPage(entries: SyncLogEntry[], query: SyncLogQuery, providers: string[]): Html {
  return html`<h1>Sync log</h1>
<form class="filters" method="get" action="/syncs">
${selectField({ name: 'provider', label: 'Provider', values: providers, selected: query.provider, any: 'All' })}
${selectField({ name: 'status', label: 'Status', values: STATUSES, selected: query.status, any: 'Any' })}
${selectField({ name: 'limit', label: 'Show', values: LIMITS, selected: query.limit })}
<p><button type="submit">Show</button></p>
</form>
<table class="syncs">
<caption>The ${entries.length} most recent syncs${query.provider ? ` of ${query.provider}` : ''}${query.status ? ` with status ${query.status}` : ''}, newest first</caption>
<thead><tr>
<th scope="col">Sync</th><th scope="col">Started</th><th scope="col">Kind</th><th scope="col">Provider</th><th scope="col">Status</th>
<th scope="col">Trigger</th><th scope="col" class="num">Fetched</th><th scope="col" class="num">Added</th><th scope="col" class="num">Updated</th>
<th scope="col" class="num">Unchanged</th><th scope="col" class="num">Removed</th><th scope="col" class="num">Skipped</th>
<th scope="col" class="num">Duration</th><th scope="col">Error</th>
</tr></thead>
<tbody>
${entries.map((e) => html`<tr class="sync-${e.status}">
<th scope="row"><a href="/syncs/${e.id}">#${e.id}</a></th>
<td>${time(e.started_at)}</td><td>${e.kind}</td><td>${e.provider}</td>
<td><span class="status status-${e.status}">${e.status}</span>${e.dry_run ? ' (dry run)' : ''}${e.forced ? ' (forced)' : ''}</td>
<td>${e.triggered_by}</td>
<td class="num">${e.models_fetched}</td><td class="num">${e.models_added}</td><td class="num">${e.models_updated}</td>
<td class="num">${e.models_unchanged}</td><td class="num">${e.models_removed}</td><td class="num">${e.models_skipped}</td>
<td class="num">${duration(e.duration_ms)}</td>
<td>${e.error_message ?? ''}${e.status === 'rejected' ? html` <a href="/syncs/${e.id}">See the changes it would have made</a>` : ''}</td>
</tr>`)}
</tbody>
</table>
${entries.length === 0 ? emptyLog(query) : ''}`;
}

export function syncDetailPage(detail: SyncDetail & { appliedCount: number }, inCatalog: (provider: string, modelId: string) => boolean): Html {
  const { entry: e, logged, applied, appliedCount } = detail;
  const { offending, changes } = splitLogged(logged);
  const wouldHave = e.status === 'rejected' || e.dry_run;
  return html`<h1>Sync #${e.id}: ${e.provider} <span class="status status-${e.status}">${e.status}</span></h1>
<p><a href="/syncs">All syncs</a></p>
<dl class="facts">
<div><dt>Kind</dt><dd>${e.kind}</dd></div>
<div><dt>Source</dt><dd>${e.source ?? '—'}</dd></div>
<div><dt>Started</dt><dd>${time(e.started_at)}</dd></div>
<div><dt>Completed</dt><dd>${time(e.completed_at)}</dd></div>
<div><dt>Duration</dt><dd>${duration(e.duration_ms)}</dd></div>
<div><dt>Triggered by</dt><dd>${e.triggered_by}${e.dry_run ? ', dry run' : ''}${e.forced ? ', forced' : ''}</dd></div>
<div><dt>Counts</dt><dd>${e.models_fetched} fetched, ${e.models_added} added, ${e.models_updated} updated, ${e.models_unchanged} unchanged, ${e.models_removed} removed, ${e.models_skipped} skipped</dd></div>
</dl>
${e.error_message ? html`<p class="error-message"><strong>${e.status === 'rejected' ? 'Why it was rejected' : 'Error'}:</strong> ${e.error_message}</p>` : ''}
${offending.length > 0 ? objectsTable('What the guard objected to', offending) : ''}
${wouldHave
    ? changesTable(`Changes it would have made (${changes.length}); nothing was applied`, changes, e.provider, inCatalog)
    : appliedCount > 0
      ? changesTable(`Changes applied (${appliedCount}${appliedCount > applied.length ? `, the first ${applied.length} shown` : ''})`, applied, e.provider, inCatalog)
      : changes.length > 0 ? changesTable(`Changes (${changes.length})`, changes, e.provider, inCatalog) : html`<p>No change was made.</p>`}
${e.errors.length > 0 ? objectsTable(`Rows the source could not use (${e.errors.length})`, e.errors) : ''}`;
}

/** pricing_sync_log.changes: an array of changes, or a rejection's {offending, changes}. */
function splitLogged(logged: unknown): { offending: unknown[]; changes: unknown[] } {
  if (Array.isArray(logged)) return { offending: [], changes: logged };
  if (logged && typeof logged === 'object') {
    const { offending, changes } = logged as { offending?: unknown; changes?: unknown };
    return { offending: Array.isArray(offending) ? offending : [], changes: Array.isArray(changes) ? changes : [] };
  }
  return { offending: [], changes: [] };
}

function isPriceChange(value: unknown): value is SyncChange {
  return typeof value === 'object' && value !== null && 'model_id' in value && 'change' in value;
}

/** Price changes with every dimension that differs, old → new; anything else (FX pairs) as generic rows. */
function changesTable(caption: string, changes: readonly unknown[], provider: string, inCatalog: (provider: string, modelId: string) => boolean): Html {
  if (!changes.every(isPriceChange)) return objectsTable(caption, changes);
  return html`<table class="changes">
<caption>${caption}</caption>
<thead><tr><th scope="col">Model</th><th scope="col">Change</th><th scope="col">Prices (USD): old → new</th></tr></thead>
<tbody>
${changes.map((c) => html`<tr>
<th scope="row">${inCatalog(provider, c.model_id) ? html`<a href="${modelHref(provider, c.model_id)}">${c.model_id}</a>` : c.model_id}</th>
<td>${c.change}</td>
<td>${priceDiff(c.old_price, c.new_price)}</td>
</tr>`)}
</tbody>
</table>`;
}

function priceDiff(before: Price | null, after: Price | null): Html {
  const old = dimensionsOf(presentPrice(before));
  const next = dimensionsOf(presentPrice(after));
  const units = sortUnits([...old.keys(), ...next.keys()]).filter((u) => old.get(u) !== next.get(u));
  const parts: Html[] = [];
  if (before?.state !== after?.state) parts.push(html`<li>state: ${before?.state ?? '—'} → ${after?.state ?? '—'}</li>`);
  for (const unit of units) parts.push(html`<li>${unitLabel(unit)}: ${old.get(unit) ?? '—'} → ${next.get(unit) ?? '—'}</li>`);
  if (JSON.stringify(before?.tiers ?? []) !== JSON.stringify(after?.tiers ?? [])) parts.push(html`<li>long-context tiers changed</li>`);
  return parts.length === 0 ? html`no price change` : html`<ul class="diff">${parts}</ul>`;
}

/** Rows of JSON objects as a table with a column per key. */
function objectsTable(caption: string, rows: readonly unknown[]): Html {
  const objects = rows.map((row) => (row && typeof row === 'object' && !Array.isArray(row) ? row as Record<string, unknown> : { value: row }));
  const keys = [...new Set(objects.flatMap((o) => Object.keys(o)))];
  return html`<table class="objects">
<caption>${caption}</caption>
<thead><tr>${keys.map((k) => html`<th scope="col">${k}</th>`)}</tr></thead>
<tbody>
${objects.map((o) => html`<tr>${keys.map((k) => html`<td>${plain(o[k])}</td>`)}</tr>`)}
</tbody>
</table>`;
}
