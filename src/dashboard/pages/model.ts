// A model's page (/models/:provider/*model): every price dimension and its
// source, long-context tiers, a step chart per dimension of the price served
// over time (one point per unshadowed history row), and what other sources
// say about the same model.
import { type CatalogEntry, type CatalogView, type ExchangeRate, presentEntry, presentPrice } from '@tariff/pricing';
import type { HistoryRow } from '../../store/history.ts';
import { modelDiscrepancies, type DiscrepancyReport } from '../discrepancies.ts';
import { dimensionsOf, perUnit, sortUnits, unitLabel } from '../dimensions.ts';
import { plain, price, spreadText, time } from '../format.ts';
import { html, jsonBlock, type Html } from '../html.ts';

/** History rows read for one page; older changes are left out (and the page says so). */
export const HISTORY_LIMIT = 500;

export interface ModelPageData {
  view: CatalogView;
  entry: CatalogEntry;
  /** Newest first, as readModelHistory returns them. */
  history: HistoryRow[];
  rate: ExchangeRate | undefined;
  report: DiscrepancyReport | undefined;
}

/** What each chart plots: the served price after each change, oldest first. */
export interface ChartSpec {
  name: string;
  label: string;
  unit: string;
  /** Unix seconds. */
  x: number[];
  /** Decimal strings; null where the change left the dimension unpriced. */
  y: Array<string | null>;
  step: boolean;
}

export function modelPage({ view, entry, history, rate, report }: ModelPageData): Html {
  const presented = presentEntry(entry);
  const dims = dimensionsOf(presented);
  const served = history.filter((row) => !row.shadowed).reverse();
  const points = served.map((row) => ({ at: row.changed_at, dims: dimensionsOf(presentPrice(row.new_price)) }));
  const charted = sortUnits([...dims.keys(), ...points.flatMap((p) => [...p.dims.keys()])]);
  // A dimension whose price never moved is a sentence, not a chart of one level.
  const changed = (unit: string) => new Set(points.map((p) => p.dims.get(unit) ?? null)).size > 1;
  const steady = charted.filter((unit) => !changed(unit));
  const charts: ChartSpec[] = charted.filter(changed).map((unit) => ({
    name: unit,
    label: unitLabel(unit),
    unit: `USD / ${perUnit(unit)}`,
    x: points.map((p) => p.at.getTime() / 1000),
    y: points.map((p) => p.dims.get(unit) ?? null),
    step: true,
  }));

  return html`<h1><span class="provider">${entry.provider} /</span> ${entry.model_id}</h1>
${entry.name ? html`<p class="subtitle">${entry.name}</p>` : ''}
<dl class="facts">
<div><dt>Provider</dt><dd>${entry.provider}</dd></div>
<div><dt>State</dt><dd><span class="state state-${entry.state}">${entry.state}</span></dd></div>
<div><dt>Source</dt><dd>${entry.source}${entry.override_reason ? ` (override: ${entry.override_reason})` : ''}</dd></div>
<div><dt>Price in effect since</dt><dd>${time(entry.effective_at)}</dd></div>
<div><dt>Last seen upstream</dt><dd>${time(entry.last_seen_at)}</dd></div>
${entry.removed_at ? html`<div><dt>Removed</dt><dd>${time(entry.removed_at)}</dd></div>` : ''}
</dl>

<section aria-labelledby="prices-h">
<h2 id="prices-h">Prices</h2>
${rate ? '' : html`<p class="note" role="note">No USD/ZAR exchange rate is available yet: prices are shown in USD only. The refresh_fx job fetches it from Yahoo Finance when it is reachable (now: POST /admin/fx-refresh with ADMIN_TOKEN).</p>`}
<table class="prices">
<caption>Prices of ${entry.model_id} by dimension${rate ? `, in USD and in ${rate.quote} at 1 USD = ${rate.rate} ${rate.quote}` : ', in USD'}</caption>
<thead><tr><th scope="col">Dimension</th><th scope="col">Per</th><th scope="col" class="num">USD</th>${rate ? html`<th scope="col" class="num">${rate.quote}</th>` : ''}</tr></thead>
<tbody>
${[...dims].map(([unit, usd]) => html`<tr><th scope="row">${unitLabel(unit)}</th><td>${perUnit(unit)}</td><td class="num">${price(usd)}</td>${rate ? html`<td class="num">${price(usd, rate)}</td>` : ''}</tr>`)}
</tbody>
</table>
${dims.size === 0 ? html`<p>No price is published for this model (state ${entry.state}).</p>` : ''}
${tiersTable(entry.model_id, presented.tiers)}
</section>

<section aria-labelledby="history-h">
<h2 id="history-h">Price history</h2>
${history.length >= HISTORY_LIMIT ? html`<p class="note" role="note">Only the latest ${HISTORY_LIMIT} changes are shown.</p>` : ''}
${charted.length === 0 ? html`<p>No price dimension to chart.</p>` : ''}
${steady.length > 0 && points.length > 0 ? html`<p class="unchanged">${steady.length === charted.length ? 'Every price' : steady.map(unitLabel).join(', ')}: unchanged since ${time(points[0]!.at)}${points.length === 1 ? ' (one price point)' : ''}.</p>` : ''}
<div class="charts">
${charts.map((chart) => html`<figure class="chart-figure" data-chart="${chart.name}" data-points="${chart.x.length}">
<figcaption>${chart.label} <small>(${chart.unit}, ${chart.x.length} ${chart.x.length === 1 ? 'change' : 'changes'})</small></figcaption>
<div class="chart" role="img" aria-label="Step chart of the ${chart.label.toLowerCase()} price over time; the same data is in the table below"></div>
</figure>`)}
</div>
${jsonBlock('chart-data', charts)}
${historyTable(entry.model_id, history.slice().reverse(), charted)}
</section>

<section aria-labelledby="sources-h">
<h2 id="sources-h">Across sources</h2>
${discrepancySection(report, entry)}
</section>`;
}

function tiersTable(modelId: string, tiers: ReadonlyArray<object & { above_input_tokens: number }>): Html {
  if (tiers.length === 0) return html``;
  const perTier = tiers.map((tier) => dimensionsOf(tier));
  const units = sortUnits(perTier.flatMap((d) => [...d.keys()]));
  return html`<table class="tiers">
<caption>Long-context tiers of ${modelId} (USD; a blank keeps the base price)</caption>
<thead><tr><th scope="col">Prompt above (tokens)</th>${units.map((u) => html`<th scope="col" class="num">${unitLabel(u)}</th>`)}</tr></thead>
<tbody>
${tiers.map((tier, i) => html`<tr><th scope="row" class="num">${tier.above_input_tokens.toLocaleString('en')}</th>${units.map((u) => html`<td class="num">${price(perTier[i]!.get(u))}</td>`)}</tr>`)}
</tbody>
</table>`;
}

function historyTable(modelId: string, rows: HistoryRow[], units: string[]): Html {
  return html`<table class="history">
<caption>Price changes of ${modelId}, oldest first (${rows.length}); USD</caption>
<thead><tr><th scope="col">When</th><th scope="col">Change</th><th scope="col">By</th>
${units.map((u) => html`<th scope="col" class="num">${unitLabel(u)}</th>`)}
<th scope="col">Served</th></tr></thead>
<tbody>
${rows.map((row) => {
    const dims = dimensionsOf(presentPrice(row.new_price));
    return html`<tr${row.shadowed ? html` class="shadowed"` : ''}><th scope="row">${time(row.changed_at)}</th><td>${row.change}</td><td>${row.changed_by}</td>
${units.map((u) => html`<td class="num">${price(dims.get(u))}</td>`)}
<td>${row.shadowed ? 'no (an override was in force)' : 'yes'}</td></tr>`;
  })}
</tbody>
</table>`;
}

function discrepancySection(report: DiscrepancyReport | undefined, entry: CatalogEntry): Html {
  if (!report) return html`<p>No discrepancy report yet.</p>`;
  const { items, unmatched } = modelDiscrepancies(report, entry.provider, entry.model_id);
  const sources = [...new Set(items.flatMap((item) => Object.keys(item.sources)))].sort();
  const generated = html`<p>From the discrepancy report generated ${time(report.generated_at)} (catalog version ${report.catalog_version}).</p>`;
  const missing = unmatched.length === 0 ? html``
    : html`<p>Not found in: ${unmatched.map((u) => u.source).join(', ')}.</p>`;
  if (items.length === 0) return html`${generated}<p>The sources agree on every price of this model.</p>${missing}`;
  return html`${generated}
<table class="discrepancies">
<caption>Where sources disagree on ${entry.model_id} (USD)</caption>
<thead><tr><th scope="col">Dimension</th><th scope="col">Served</th>
${sources.map((s) => html`<th scope="col" class="num">${s}</th>`)}
<th scope="col" class="num">Spread</th><th scope="col">Class</th></tr></thead>
<tbody>
${items.map((item) => html`<tr><th scope="row">${unitLabel(item.dimension)}</th>
<td>${item.served.source}: ${price(item.served.price)}</td>
${sources.map((s) => {
    const there = item.sources[s];
    return html`<td class="num">${there ? html`${price(there.price)}${there.model_id !== entry.model_id ? html`<br><small>as ${there.model_id}</small>` : ''}` : price(null)}</td>`;
  })}
<td class="num">${spreadText(item.spread)}</td><td>${plain(item.class)}</td></tr>`)}
</tbody>
</table>
${missing}`;
}
