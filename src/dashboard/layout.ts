// The page frame every dashboard page shares: head, navigation, footer.
import type { CatalogView } from '@tariff/pricing';
import { snapshotDate } from '../serving/freshness.ts';
import { html, type Html } from './html.ts';

export const NAV = [
  { href: '/', label: 'Catalog' },
  { href: '/discrepancies', label: 'Discrepancies' },
  { href: '/syncs', label: 'Sync log' },
  { href: '/fx', label: 'Exchange rates' },
] as const;

export interface PageOptions {
  title: string;
  /** The NAV entry this page belongs to. */
  section: (typeof NAV)[number]['href'] | undefined;
  view: CatalogView | undefined;
  stale: boolean;
  /** Pages with charts load uPlot and the chart script. */
  charts?: boolean;
}

export function layout(options: PageOptions, body: Html): Html {
  const { title, section, view, stale, charts = false } = options;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · tariff</title>
<link rel="icon" href="/assets/favicon.svg" type="image/svg+xml">
${charts ? html`<link rel="stylesheet" href="/assets/uPlot.min.css">` : ''}
<link rel="stylesheet" href="/assets/dashboard.css">
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header>
<nav aria-label="Dashboard">
<span class="brand">tariff</span>
<ul>
${NAV.map((item) => html`<li><a href="${item.href}"${item.href === section ? html` aria-current="page"` : ''}>${item.label}</a></li>`)}
</ul>
</nav>
</header>
<main id="main">
${view && snapshotDate(view) ? html`<p class="note" role="status">Serving the bundled snapshot of ${snapshotDate(view)!.slice(0, 10)}: no provider in use has synced yet.</p>` : ''}
${stale ? html`<p class="warning" role="status">The database is unreachable: this is the last catalog loaded, and may be out of date.</p>` : ''}
${body}
</main>
<footer>
${view ? html`<p>Catalog version ${view.version}, last changed ${view.changedAt}. ${view.modelCount} models.</p>` : ''}
</footer>
${charts ? html`<script src="/assets/uPlot.iife.min.js"></script><script src="/assets/dashboard.js"></script>` : ''}
</body>
</html>
`;
}
