// The web dashboard: read-only HTML pages over the in-memory catalog and a few
// small indexed reads (history, sync log, exchange rates) on the API's read
// pool. Pages are complete without JavaScript; charts are drawn by uPlot,
// served from node_modules like every other asset (no CDN).
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { Router, type ErrorRequestHandler, type Response } from 'express';
import { z } from 'zod';
import { type CatalogView, resolveModel } from '@tariff/pricing';
import type { CatalogCache } from '../cache/catalog.ts';
import { readModelHistory } from '../store/history.ts';
import type { Pool } from '../db/pool.ts';
import { errorResponse } from '../http/errors.ts';
import { DASHBOARD_SECURITY_HEADERS } from '../http/reply.ts';
import { send as sendReply } from '../http/express.ts';
import { noReportYet, type DiscrepancySource } from './discrepancies.ts';
import { html, modelHref, type Html } from './html.ts';
import { problemsNote, readPageQuery } from './query.ts';
import { layout, type PageOptions } from './layout.ts';
import { catalogPage, catalogQuery } from './pages/catalog.ts';
import { discrepanciesPage, discrepancyQuery } from './pages/discrepancies.ts';
import { RATE_LIMIT, fxPage, fxQuery } from './pages/fx.ts';
import { HISTORY_LIMIT, modelPage } from './pages/model.ts';
import { syncDetailPage, syncLogPage, syncLogQuery } from './pages/syncs.ts';
import { readRateHistory, readSyncDetail, readSyncLog } from './reads.ts';

export interface DashboardDeps {
  catalog: CatalogCache;
  /** The API's read pool. */
  pool: Pool;
  /** The current cross-source discrepancy report (none until one is computed). */
  discrepancies?: DiscrepancySource;
}

const packages = createRequire(import.meta.url);
const own = (file: string) => new URL(`./assets/${file}`, import.meta.url);
const asset = (file: string | URL, type: string) => ({ body: readFileSync(file), type });
/** Every file the pages load, read once at startup. */
const ASSETS: ReadonlyMap<string, { body: Buffer; type: string }> = new Map([
  ['uPlot.iife.min.js', asset(packages.resolve('uplot/dist/uPlot.iife.min.js'), 'text/javascript; charset=utf-8')],
  ['uPlot.min.css', asset(packages.resolve('uplot/dist/uPlot.min.css'), 'text/css; charset=utf-8')],
  ['dashboard.js', asset(own('dashboard.js'), 'text/javascript; charset=utf-8')],
  ['dashboard.css', asset(own('dashboard.css'), 'text/css; charset=utf-8')],
  ['favicon.svg', asset(own('favicon.svg'), 'image/svg+xml')],
]);

/** FX refreshes log under this provider (fx/refresh.ts's FX_LOG_PROVIDER; not imported: API processes load no worker code). */
const FX_LOG_PROVIDER = 'yahoo_finance';

const syncId = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/** The dashboard's HTML pages (outside the OpenAPI document, which describes the JSON API), and its assets. */
export const DASHBOARD_PAGES = ['/', '/models/:provider/*model', '/syncs', '/syncs/:id', '/discrepancies', '/fx'];
export const DASHBOARD_ASSETS = '/assets/:name';

export function dashboardRouter({ catalog, pool, discrepancies = noReportYet }: DashboardDeps): Router {
  const router = Router();
  router.get(DASHBOARD_PAGES, (_req, res, next) => {
    res.locals.dashboardPage = true;
    next();
  });

  router.get(DASHBOARD_ASSETS, (req, res, next) => {
    const file = ASSETS.get(req.params.name);
    if (!file) return next();
    sendReply(res, { status: 200, headers: { 'Cache-Control': 'public, max-age=3600' }, type: file.type, body: file.body });
  });

  /** Sends a page; pages that need the catalog answer 503 until it has loaded. */
  const send = (res: Response, status: number, options: Omit<PageOptions, 'view' | 'stale'>, body: Html, problems: readonly string[] = []) => {
    const view = catalog.loaded ? catalog.current : undefined;
    if (problems.length > 0 && status === 200) status = 400;
    const page = layout({ ...options, view, stale: catalog.stale !== undefined }, html`${problemsNote(problems)}${body}`);
    const headers = { ...DASHBOARD_SECURITY_HEADERS, 'Cache-Control': 'no-cache', ...(status === 503 ? { 'Retry-After': '1' } : {}) };
    sendReply(res, { status, headers, type: 'text/html; charset=utf-8', body: page.text });
  };
  const withView = (res: Response, render: (view: CatalogView) => void | Promise<void>) => {
    if (!catalog.loaded) {
      return send(res, 503, { title: 'Loading', section: undefined }, html`<h1>The catalog is still loading</h1><p>Try again in a moment.</p>`);
    }
    return render(catalog.current);
  };

  router.get('/', (req, res) => withView(res, (view) => {
    const { query, problems } = readPageQuery(catalogQuery, req.query);
    if (query.provider !== undefined && !view.byProvider.has(query.provider)) {
      problems.push(`provider=${JSON.stringify(query.provider)}: no such provider has prices in the catalog`);
      delete query.provider;
    }
    send(res, 200, { title: 'Catalog', section: '/' }, catalogPage(view, query), problems);
  }));

  router.get('/models/:provider/*model', (req, res) => withView(res, async (view) => {
    const provider = req.params.provider;
    const requested = [req.params.model].flat().join('/');
    const models = view.byProvider.get(provider);
    const resolved = models ? resolveModel(models, provider, requested) : undefined;
    if (!resolved?.entry) {
      const suggestions = resolved && !resolved.entry ? resolved.suggestions : [];
      return send(res, 404, { title: 'Unknown model', section: '/' }, html`<h1>No model ${requested} from ${provider}</h1>
${suggestions.length > 0 ? html`<p>Did you mean:</p><ul>${suggestions.map((id) => html`<li><a href="${modelHref(provider, id)}">${id}</a></li>`)}</ul>` : ''}
<p><a href="/">Back to the catalog</a></p>`);
    }
    const entry = resolved.entry;
    if (entry.model_id !== requested) return res.redirect(302, modelHref(provider, entry.model_id));
    const history = await readModelHistory(pool, provider, entry.model_id, HISTORY_LIMIT);
    send(res, 200, { title: `${provider}/${entry.model_id}`, section: '/', charts: true }, modelPage({
      view, entry, history, rate: view.rates.get('USD/ZAR'), report: discrepancies(),
    }));
  }));

  router.get('/syncs', async (req, res) => {
    const { query, problems } = readPageQuery(syncLogQuery, req.query);
    const entries = await readSyncLog(pool, query);
    const providers = catalog.loaded ? catalog.current.providers.filter((p) => p.in_use).map((p) => p.id) : [];
    send(res, 200, { title: 'Sync log', section: '/syncs' }, syncLogPage(entries, query, [...providers, FX_LOG_PROVIDER]), problems);
  });

  router.get('/syncs/:id', async (req, res) => {
    const id = syncId.safeParse(req.params.id);
    const detail = id.success ? await readSyncDetail(pool, id.data) : undefined;
    if (!detail) {
      return send(res, 404, { title: 'Unknown sync', section: '/syncs' }, html`<h1>No sync ${req.params.id}</h1><p><a href="/syncs">All syncs</a></p>`);
    }
    const view = catalog.loaded ? catalog.current : undefined;
    const inCatalog = (provider: string, modelId: string) => view?.byProvider.get(provider)?.has(modelId) ?? false;
    send(res, 200, { title: `Sync #${detail.entry.id}`, section: '/syncs' }, syncDetailPage(detail, inCatalog));
  });

  router.get('/discrepancies', (req, res) => {
    const { query, problems } = readPageQuery(discrepancyQuery, req.query);
    send(res, 200, { title: 'Discrepancies', section: '/discrepancies' }, discrepanciesPage(discrepancies(), query), problems);
  });

  router.get('/fx', async (req, res) => {
    const { query: { quote }, problems } = readPageQuery(fxQuery, req.query);
    const held = catalog.loaded ? [...catalog.current.rates.values()].filter((r) => r.base === 'USD').map((r) => r.quote) : [];
    const quotes = [...new Set([...held, 'ZAR'])].sort();
    const points = await readRateHistory(pool, 'USD', quote, RATE_LIMIT);
    send(res, 200, { title: 'Exchange rates', section: '/fx', charts: points.length > 0 }, fxPage(quote, quotes, points), problems);
  });

  // A page that fails answers an HTML page too, with the message the API would give (never an internal one).
  // Errors of API routes pass through this router too (it is mounted before them): only pages' own are taken.
  const pageError: ErrorRequestHandler = (err, req, res, next) => {
    if (res.locals.dashboardPage !== true) return next(err);
    const { status, body, headers } = errorResponse(err);
    if (status >= 500) req.log.error({ err }, 'dashboard page failed');
    if (res.headersSent) return;
    res.set(headers);
    send(res, status, { title: 'Error', section: undefined }, html`<h1>This page could not be shown</h1><p>${body.error.message}</p>`);
  };
  router.use(pageError);
  return router;
}
