// The request handler: the lean path for the hot routes, Express for
// everything else. Both identify, read, answer and log a request through the
// same functions (./http.ts); routes stay thin, the work lives in serving/,
// catalog/, cache/ and the jobs.
import { readFileSync } from 'node:fs';
import type { RequestListener } from 'node:http';
import express, { type Express, type RequestHandler } from 'express';
import type { CatalogCache } from '../cache/catalog.ts';
import { ChangeLog } from '../cache/changes.ts';
import type { CatalogListener } from '../cache/listener.ts';
import type { DiscrepancyCache } from '../cache/discrepancies.ts';
import type { Pool } from '../db/pool.ts';
import type { Logger } from '../log.ts';
import { requireAdmin } from './auth.ts';
import { leanPath, type LeanPath } from './lean.ts';
import { BODY_LIMIT_BYTES, jsonReply } from '../http/reply.ts';
import type { Metrics } from './metrics.ts';
import { errorHandler, jsonBody, notFound, requestContext, send } from '../http/express.ts';
import { openApiDocument } from './openapi.ts';
import { adminRouter, type AdminDeps } from './routes/admin.ts';
import type { ChangeStream } from './change_stream.ts';
import { changesRouter } from './routes/changes.ts';
import { costsRouter } from './routes/costs.ts';
import { discrepanciesRouter } from './routes/discrepancies.ts';
import { healthRouter } from './routes/health.ts';
import { quoteRouter } from './routes/quote.ts';
import { reportedCostObserver } from './reported_cost.ts';
import { webhooksRouter } from './routes/webhooks.ts';
import { dashboardRouter } from '../dashboard/router.ts';
import type { DiscrepancySource } from '../dashboard/discrepancies.ts';
import { presentReport } from '../discrepancy/report.ts';

export interface AppDeps {
  pool: Pool;
  metrics: Metrics;
  catalog: CatalogCache;
  listener: CatalogListener;
  logger: Logger;
  admin: AdminDeps;
  discrepancies?: DiscrepancyCache;
  /** GET /costs/changes, and the change log GET /costs?since= reads first; without it, only the database's. */
  changes?: ChangeStream;
}

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

/** The server's request handler: the lean path for the requests it takes, Express for the rest. */
export function createHandler(app: Express, lean: LeanPath): RequestListener {
  return (req, res) => {
    if (!lean.handle(req, res)) app(req, res);
  };
}

export function createApp({ pool, metrics, catalog, listener, logger, admin, discrepancies, changes }: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false); // ETags are catalog versions, set by the routes
  app.set('query parser', 'simple');
  app.use(requestContext(logger, metrics));
  // Authentication first: an unauthenticated caller learns nothing about its body.
  app.use('/admin', requireAdmin(admin.config.ADMIN_TOKEN));
  app.use(jsonBody(BODY_LIMIT_BYTES));

  app.use(healthRouter(pool, catalog, listener, admin.config.SYNC_SCHEDULE));
  app.use(metrics.router);
  const openapi = JSON.stringify(openApiDocument(version));
  app.get('/openapi.json', (_req, res) => {
    send(res, { status: 200, body: openapi });
  });
  app.use(adminRouter(admin));
  app.use(webhooksRouter(admin, logger));
  app.use(dashboardRouter({ catalog, pool, ...(discrepancies ? { discrepancies: servedReport(discrepancies) } : {}) }));
  if (discrepancies) app.use(discrepanciesRouter(discrepancies));
  if (changes) app.use(requireCatalog(catalog), changesRouter(changes));
  app.use(requireCatalog(catalog), costsRouter(catalog, pool, changes?.log ?? new ChangeLog(), admin.config.SYNC_SCHEDULE), quoteRouter(catalog, pool, reportedCostObserver(metrics.reportedCostDelta, logger)));

  app.use(notFound);
  app.use(errorHandler(logger));
  return app;
}

/** The served discrepancy report in GET /costs/discrepancies' shape, built once per report. */
function servedReport(cache: DiscrepancyCache): DiscrepancySource {
  let built: { id: number; body: ReturnType<typeof presentReport> } | undefined;
  return () => {
    const stored = cache.current;
    if (!stored) return undefined;
    if (built?.id !== stored.id) built = { id: stored.id, body: presentReport(stored.report) };
    return built.body;
  };
}

/** Until the first catalog load, data routes answer 503 rather than an empty catalog. */
function requireCatalog(catalog: CatalogCache): RequestHandler {
  return (_req, res, next) => {
    if (catalog.loaded) return next();
    send(res, jsonReply(503, { error: { code: 'catalog_loading', message: 'the catalog is still loading' } }, { 'Retry-After': '1' }));
  };
}
