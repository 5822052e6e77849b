// The exchange-rate chart (/fx): a USD rate over time from
// exchange_rate_history, with the same data as a table.
import { z } from 'zod';
import { selectField, time } from '../format.ts';
import { html, jsonBlock, type Html } from '../html.ts';
import type { RatePoint } from '../reads.ts';
import type { ChartSpec } from './model.ts';

/** Recorded rates read for the chart, the latest ones. */
export const RATE_LIMIT = 1000;

export const fxQuery = z.object({
  quote: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as ZAR').default('ZAR'),
});

export function fxPage(quote: string, quotes: string[], points: RatePoint[]): Html {
  const pair = `USD/${quote}`;
  const chart: ChartSpec = {
    name: pair,
    label: pair,
    unit: `${quote} per USD`,
    x: points.map((p) => p.recorded_at.getTime() / 1000),
    y: points.map((p) => p.rate),
    step: false,
  };
  return html`<h1>Exchange rates</h1>
${quotes.length > 1 ? html`<form class="filters" method="get" action="/fx">
${selectField({ name: 'quote', label: 'Currency', values: quotes, selected: quote })}
<p><button type="submit">Show</button></p>
</form>` : ''}
${points.length === 0
    ? html`<p class="note" role="note">tariff has no ${pair} exchange rate yet: prices are served in USD only until the first rate refresh succeeds.
The refresh_fx job fetches the rates of FX_CURRENCIES from Yahoo Finance every hour when it is reachable; to fetch now: <code>POST /admin/fx-refresh</code> with ADMIN_TOKEN.</p>`
    : html`<figure class="chart-figure wide" data-chart="${pair}" data-points="${points.length}">
<figcaption>${pair} <small>(${quote} per USD, by the time tariff recorded it, ${points.length} recorded ${points.length === 1 ? 'rate' : 'rates'})</small></figcaption>
<div class="chart" role="img" aria-label="Line chart of ${pair} over time; the same data is in the table below"></div>
</figure>
${jsonBlock('chart-data', [chart])}
<table class="rates">
<caption>${pair} rates tariff recorded, newest first${points.length >= RATE_LIMIT ? ` (the latest ${RATE_LIMIT})` : ''}</caption>
<thead><tr><th scope="col">Recorded</th><th scope="col" class="num">Rate</th><th scope="col">Market time</th><th scope="col">Source</th></tr></thead>
<tbody>
${points.slice().reverse().map((p) => html`<tr><th scope="row">${time(p.recorded_at)}</th><td class="num">${p.rate}</td><td>${time(p.market_time)}</td><td>${p.source}</td></tr>`)}
</tbody>
</table>`}`;
}
