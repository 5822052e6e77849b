// The Express application: middleware, routes, JSON errors. Routes stay thin;
// the work lives in catalog/, cache/ and the jobs.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { RequestListener } from 'node:http';
import express, { type Express, type RequestHandler } from 'express';
import type { CatalogCache } from '../cache/catalog.ts';
import type { CatalogListener } from '../cache/listener.ts';
import type { DiscrepancyCache } from '../cache/discrepancies.ts';
import type { Pool } from '../db/pool.ts';
import type { Logger } from '../log.ts';
import { AppError, errorHandler, notFound } from './errors.ts';
import { REQUEST_ID, SECURITY_HEADERS } from './headers.ts';
import { costsRouter } from './routes/costs.ts';
import { discrepanciesRouter } from './routes/discrepancies.ts';
import { requireAdmin } from './auth.ts';
import { adminRouter, type AdminDeps } from './routes/admin.ts';
import { webhooksRouter } from './routes/webhooks.ts';
import { healthRouter } from './routes/health.ts';
import { quoteRouter } from './routes/quote.ts';
import { fastPath } from './fast.ts';
import type { Metrics } from './metrics.ts';
import { openApiDocument } from './openapi.ts';
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
}

export const BODY_LIMIT_BYTES = 1024 * 1024;
const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

/**
 * The server's request handler: the fast path for the hot routes, Express for
 * everything else (and for whatever the fast path declines).
 */
export function createHandler(deps: AppDeps): RequestListener {
  const app = createApp(deps);
  const fast = fastPath({ catalog: deps.catalog, pool: deps.pool, metrics: deps.metrics, logger: deps.logger, bodyLimit: BODY_LIMIT_BYTES });
  return (req, res) => {
    if (!fast(req, res)) app(req, res);
  };
}

export function createApp({ pool, metrics, catalog, listener, logger, admin, discrepancies }: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false); // ETags are catalog versions, set by the routes
  app.set('query parser', 'simple');
  app.use(requestContext(logger));
  app.use(metrics.middleware);
  app.use(securityHeaders);
  // Authentication first: an unauthenticated caller learns nothing about its body.
  app.use('/admin', requireAdmin(admin.config.ADMIN_TOKEN));
  app.use(requireJsonBody);
  app.use(express.json({ limit: BODY_LIMIT_BYTES, strict: true, type: ['application/json', 'application/*+json'] }));

  app.use(healthRouter(pool, catalog, listener));
  app.use(metrics.router);
  const openapi = Buffer.from(JSON.stringify(openApiDocument(version)));
  app.get('/openapi.json', (_req, res) => {
    res.type('application/json').send(openapi);
  });
  app.use(adminRouter(admin));
  app.use(webhooksRouter(admin, logger));
  app.use(dashboardRouter({ catalog, pool, ...(discrepancies ? { discrepancies: servedReport(discrepancies) } : {}) }));
  if (discrepancies) app.use(discrepanciesRouter(discrepancies));
  app.use(requireCatalog(catalog), costsRouter(catalog, pool), quoteRouter(catalog, pool));

  app.use(notFound);
  app.use(errorHandler());
  return app;
}

function requestContext(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const incoming = req.get('x-request-id');
    req.id = incoming && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    req.log = logger.child({ reqId: req.id });
    res.setHeader('X-Request-Id', req.id);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const fields = { method: req.method, path: req.path, status: res.statusCode, ms: Math.round(ms * 10) / 10 };
      if (res.statusCode >= 500) req.log.warn(fields, 'request');
      else req.log.debug(fields, 'request');
    });
    next();
  };
}

const securityHeaders: RequestHandler = (_req, res, next) => {
  res.set(SECURITY_HEADERS);
  next();
};

/** A request body that is not JSON is refused, rather than read as an empty object. */
const requireJsonBody: RequestHandler = (req, _res, next) => {
  const hasBody = req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
  if (hasBody && !req.is(['application/json', 'application/*+json'])) {
    throw new AppError(415, 'unsupported_media_type', 'content-type: request bodies must be application/json');
  }
  next();
};

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
    res.status(503).setHeader('Retry-After', '1').json({ error: { code: 'catalog_loading', message: 'the catalog is still loading' } });
  };
}
