// The discrepancy table (/discrepancies): where sources disagree on a price,
// sorted on the server by the query string (so it works without JavaScript),
// filterable by provider and class, paginated.
import { z } from 'zod';
import { CLASSES } from '../../discrepancy/compare.ts';
import { SORT_KEYS, sortItems, type DiscrepancyItem, type DiscrepancyReport, type SortKey } from '../discrepancies.ts';
import { unitLabel } from '../dimensions.ts';
import { pager, plain, price, selectField, spreadText, time } from '../format.ts';
import { html, modelHref, queryString, type Html } from '../html.ts';

const PAGE_SIZE = 100;

export const discrepancyQuery = z.object({
  provider: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'must be a provider id').optional(),
  class: z.enum(CLASSES, { error: `must be one of ${CLASSES.join(', ')}` }).optional(),
  sort: z.enum(SORT_KEYS, { error: `must be one of ${SORT_KEYS.join(', ')}` }).default('spread'),
  dir: z.enum(['asc', 'desc'], { error: 'must be asc or desc' }).optional(),
  page: z.coerce.number({ error: 'must be a page number' }).int('must be a page number').min(1, 'must be 1 or more').max(100_000).default(1),
});
export type DiscrepancyQuery = z.output<typeof discrepancyQuery>;

const COLUMN_LABELS: Record<SortKey, string> = { provider: 'Provider', model: 'Model', dimension: 'Dimension', spread: 'Spread', class: 'Class' };

/** Largest spread first by default; names in alphabetical order. */
const defaultDir = (key: SortKey) => (key === 'spread' ? 'desc' : 'asc');

export function discrepanciesPage(report: DiscrepancyReport | undefined, query: DiscrepancyQuery): Html {
  if (!report) {
    return html`<h1>Discrepancies</h1><p>No discrepancy report yet. It lists the prices on which the sources tariff reads disagree.
The check_discrepancies job stores one after each sync, which needs the upstreams reachable; to run one now: <code>npm run sync -- --report</code>.</p>`;
  }
  const dir = query.dir ?? defaultDir(query.sort);
  const filtered = report.items.filter((item) => (!query.provider || item.provider === query.provider) && (!query.class || item.class === query.class));
  const sorted = sortItems(filtered, query.sort, dir);
  const pages = Math.max(1, Math.ceil(sorted.length / PAGE_SIZE));
  const page = Math.min(query.page, pages);
  const shown = sorted.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
  const sources = [...new Set(report.items.flatMap((item) => Object.keys(item.sources)))].sort();
  const providers = [...new Set(report.items.map((item) => item.provider))].sort();
  const classes = [...new Set(report.items.map((item) => item.class))].sort();
  const link = (changes: Partial<Record<'sort' | 'dir' | 'page', string | number>>) => `/discrepancies${queryString({
    provider: query.provider, class: query.class, sort: query.sort, dir: query.dir, ...changes,
  })}`;
  const header = (key: SortKey) => {
    const active = query.sort === key;
    const next = active ? (dir === 'asc' ? 'desc' : 'asc') : defaultDir(key);
    return html`<th scope="col"${active ? html` aria-sort="${dir === 'asc' ? 'ascending' : 'descending'}"` : ''}${key === 'spread' ? html` class="num"` : ''}><a href="${link({ sort: key, dir: next, page: undefined })}">${COLUMN_LABELS[key]}${active ? (dir === 'asc' ? ' ▲' : ' ▼') : ''}</a></th>`;
  };
  const summary = report.summary;

  return html`<h1>Discrepancies</h1>
<p>Report generated ${time(report.generated_at)} from catalog version ${report.catalog_version}: ${summary.models_compared} models compared.</p>
<dl class="facts">
<div><dt>Matched per source</dt><dd>${counts(summary.matched)}</dd></div>
<div><dt>Unmatched per source</dt><dd>${counts(summary.unmatched)}</dd></div>
<div><dt>Disagreements by class</dt><dd>${counts(summary.disagreements.by_class)}</dd></div>
<div><dt>Disagreements by dimension</dt><dd>${counts(summary.disagreements.by_dimension)}</dd></div>
</dl>
${servedOutliers(report, sources)}
<form class="filters" method="get" action="/discrepancies">
${selectField({ name: 'provider', label: 'Provider', values: providers, selected: query.provider, any: 'All' })}
${selectField({ name: 'class', label: 'Class', values: classes, selected: query.class, any: 'All' })}
<input type="hidden" name="sort" value="${query.sort}">
${query.dir ? html`<input type="hidden" name="dir" value="${query.dir}">` : ''}
<p><button type="submit">Show</button></p>
</form>
<table class="discrepancies all">
<caption>${filtered.length} disagreements, sorted by ${COLUMN_LABELS[query.sort].toLowerCase()} (${dir === 'asc' ? 'ascending' : 'descending'}), page ${page} of ${pages}. Prices in USD; spread is the largest price over the smallest.</caption>
<thead><tr>${header('provider')}${header('model')}${header('dimension')}<th scope="col">Served</th>
${sources.map((s) => html`<th scope="col" class="num">${s}</th>`)}
${header('spread')}${header('class')}<th scope="col">Odd one</th></tr></thead>
<tbody>
${shown.map((item) => itemRow(item, sources))}
</tbody>
</table>
${shown.length === 0 ? html`<p>No disagreement matches these filters.</p>` : ''}
${pager(page, pages, (p) => link({ page: p }))}`;
}

function itemRow(item: DiscrepancyItem, sources: string[]): Html {
  return html`<tr>
<td>${item.provider}</td>
<th scope="row"><a href="${modelHref(item.provider, item.model_id)}">${item.model_id}</a></th>
<td>${unitLabel(item.dimension)}</td>
<td>${item.served.source}: ${price(item.served.price)}</td>
${sources.map((s) => {
    const there = item.sources[s];
    return html`<td class="num">${there ? html`${price(there.price)}${there.model_id !== item.model_id ? html`<br><small>as ${there.model_id}</small>` : ''}` : price(null)}</td>`;
  })}
<td class="num spread">${spreadText(item.spread)}</td>
<td>${plain(item.class)}</td>
<td>${item.outliers.join(', ')}</td>
</tr>`;
}

/** The rows an operator acts on first: other sources agree with each other, and the price tariff serves is the odd one. */
function servedOutliers(report: DiscrepancyReport, sources: string[]): Html {
  const rows = sortItems(report.items.filter((item) => item.class === 'outlier_served'), 'spread', 'desc');
  if (rows.length === 0) return html`<p>No served price is contradicted by agreeing sources (class outlier_served).</p>`;
  return html`<section aria-labelledby="served-h">
<h2 id="served-h">Served prices the other sources contradict (${rows.length})</h2>
<p>In each row two or more sources agree with each other, and the price tariff serves differs: check these first.</p>
<table class="discrepancies">
<thead><tr><th scope="col">Provider</th><th scope="col">Model</th><th scope="col">Dimension</th><th scope="col">Served</th>
${sources.map((s) => html`<th scope="col" class="num">${s}</th>`)}
<th scope="col" class="num">Spread</th><th scope="col">Class</th><th scope="col">Odd one</th></tr></thead>
<tbody>
${rows.map((item) => itemRow(item, sources))}
</tbody>
</table>
</section>
<h2>All disagreements</h2>`;
}

function counts(byKey: Record<string, number>): string {
  const entries = Object.entries(byKey);
  return entries.length === 0 ? 'none' : entries.map(([key, n]) => `${key} ${n}`).join(', ');
}
