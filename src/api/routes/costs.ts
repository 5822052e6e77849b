// GET /costs (the catalog), GET /costs/history, GET /costs/:provider/:model.
// Current prices come from memory; ?at= (prices in effect at a past time) and
// history read the append-only history in PostgreSQL.
import { Router } from 'express';
import { type CatalogView, modelBody, presentPrice, rateFor, resolveModel } from '@tariff/pricing';
import type { CatalogCache } from '../../cache/catalog.ts';
import { readModelHistory } from '../../store/history.ts';
import type { Pool } from '../../db/pool.ts';
import { catalogBodyKey, costsJson } from '../../serving/catalog_body.ts';
import { snapshotNotice } from '../../serving/freshness.ts';
import { viewAt } from '../../serving/lookup.ts';
import { changesSince, deltaBody } from '../../serving/delta.ts';
import type { ChangeLog } from '../../cache/changes.ts';
import { AppError, parseInput } from '../../http/errors.ts';
import { jsonReply, type Reply } from '../../http/reply.ts';
import { costsQuery, historyQuery, modelPath, modelQuery, plainModelRequest } from '../schemas.ts';
import { send } from '../../http/express.ts';

export function costsRouter(catalog: CatalogCache, pool: Pool, log: ChangeLog, syncSchedule: string): Router {
  const router = Router();
  // The full catalog body is what most consumers fetch: build it right after each load, off the reload path.
  catalog.onLoad((view) => setImmediate(() => {
    const notice = snapshotNotice(view, syncSchedule);
    memoBody(view, catalogBodyKey(undefined, undefined, false, notice), () => costsJson(view, { rate: undefined, stale: false, notice }));
  }));

  router.get('/costs', async (req, res) => {
    const query = parseInput(costsQuery, req.query, 'query');
    if (query.since !== undefined) {
      send(res, await deltaReply(catalog, log, pool, query.since, req.get('if-none-match')));
      return;
    }
    const view = query.at ? await viewAt(catalog, pool, query.at, query.provider) : catalog.current;
    if (query.provider !== undefined && !view.byProvider.has(query.provider)) {
      throw new AppError(404, 'unknown_provider', `query.provider: "${query.provider}" has no prices in the catalog`, {
        providers: [...view.byProvider.keys()],
      });
    }
    const rate = rateFor(view, query.currency);
    const stale = catalog.stale !== undefined;
    const notice = query.at ? undefined : snapshotNotice(view, syncSchedule);
    const key = query.at ? undefined : catalogBodyKey(query.provider, rate, stale, notice);
    send(res, catalogReply(view, stale, req.get('if-none-match'), key, () =>
      costsJson(view, { provider: query.provider, rate, stale, at: query.at, notice }), true));
  });

  router.get('/costs/history', async (req, res) => {
    const query = parseInput(historyQuery, req.query, 'query');
    const models = catalog.current.byProvider.get(query.provider);
    const resolved = models ? resolveModel(models, query.provider, query.model) : undefined;
    const modelId = resolved?.entry ? resolved.entry.model_id : query.model;
    const rows = await readModelHistory(pool, query.provider, modelId, query.limit);
    if (rows.length === 0) {
      throw new AppError(404, 'unknown_model', `query.model: no price history for ${query.provider}/${query.model}`,
        resolved && !resolved.entry ? { suggestions: resolved.suggestions } : undefined);
    }
    send(res, jsonReply(200, {
      provider: query.provider,
      model_id: modelId,
      changes: rows.map((row) => ({
        change: row.change,
        old_price: presentPrice(row.old_price),
        new_price: presentPrice(row.new_price),
        changed_at: row.changed_at.toISOString(),
        changed_by: row.changed_by,
        sync_log_id: row.sync_log_id === null ? null : Number(row.sync_log_id),
        served: !row.shadowed,
      })),
    }));
  });

  router.get('/costs/:provider/*model', async (req, res) => {
    send(res, await modelReply(catalog, pool, req.params.provider, joinModel(req.params.model), req.query, req.get('if-none-match')));
  });

  return router;
}

/**
 * GET /costs?since=: the changes after a version, under GET /costs's ETag (the
 * body is the same for every caller with the same `since` at this version); 410
 * when they cannot be computed, so the caller loads everything (since=0).
 * What both the lean path and Express answer.
 */
export async function deltaReply(catalog: CatalogCache, log: ChangeLog, pool: Pool, since: number, ifNoneMatch: string | undefined): Promise<Reply> {
  const view = catalog.current;
  const stale = catalog.stale !== undefined;
  if (matchesEtag(ifNoneMatch, view.costsEtag)) return { status: 304, headers: catalogHeaders(view, stale, true) };
  const key = `delta:${since}:${stale}`;
  const changes = await changesSince(view, log, pool, since);
  if (!changes) {
    const why = since > view.version ? 'is newer than this server\'s catalog' : 'is older than the changes this server keeps';
    throw new AppError(410, 'since_unavailable', `query.since: version ${since} ${why}; load the whole catalog with since=0`, {
      catalog_version: view.version,
    });
  }
  return catalogReply(view, stale, undefined, key, () => JSON.stringify(deltaBody(view, since, changes, stale)), true);
}

/**
 * GET /costs/:provider/:model, for the path's (decoded) parameters and the
 * parsed query: what both the lean path and Express answer. Synchronous unless
 * ?at= needs history.
 */
export function modelReply(catalog: CatalogCache, pool: Pool, provider: unknown, model: string, query: Record<string, unknown>, ifNoneMatch: string | undefined): Reply | Promise<Reply> {
  const plain = plainModelRequest(provider, model, query);
  const path = plain?.path ?? parseInput(modelPath, { provider, model }, 'path');
  const { currency, at } = plain?.query ?? parseInput(modelQuery, query, 'query');
  const stale = catalog.stale !== undefined;
  if (at) {
    return viewAt(catalog, pool, at, path.provider).then((view) => {
      const { build } = modelBody(view, path.provider, path.model, currency, stale, at);
      return catalogReply(view, stale, ifNoneMatch, undefined, () => JSON.stringify(build()));
    });
  }
  const view = catalog.current;
  const { key, build } = modelBody(view, path.provider, path.model, currency, stale);
  return catalogReply(view, stale, ifNoneMatch, key, () => JSON.stringify(build()));
}

/**
 * A body derived from a catalog view, with the catalog version as ETag: 304
 * when the caller has it. With a memo key, the body is built once per version.
 */
function catalogReply(
  view: CatalogView, stale: boolean, ifNoneMatch: string | undefined, key: string | undefined, build: () => string | Buffer | Buffer[],
  whole = false,
): Reply {
  const headers = catalogHeaders(view, stale, whole);
  if (matchesEtag(ifNoneMatch, whole ? view.costsEtag : view.etag)) return { status: 304, headers };
  return { status: 200, headers, body: key === undefined ? build() : memoBody(view, key, build) };
}

/**
 * The whole catalog (GET /costs) has an ETag of its own: its body also holds
 * each provider's last sync time, which moves with every sync, changed prices or not.
 */
function catalogHeaders(view: CatalogView, stale: boolean, whole: boolean): Record<string, string> {
  const headers: Record<string, string> = { ETag: whole ? view.costsEtag : view.etag, 'X-Catalog-Version': String(view.version), 'Cache-Control': 'no-cache' };
  if (stale) headers['X-Catalog-Stale'] = 'true';
  return headers;
}

/**
 * If-None-Match as RFC 9110 §13.1.2 evaluates it: `*`, or a list naming this ETag (weak
 * comparison). Not req.fresh: it ignores If-None-Match whenever the request also says
 * Cache-Control: no-cache, which fetch() adds to every request carrying If-None-Match.
 */
export function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  return header.split(',').some((tag) => opaque(tag) === opaque(etag));
}

function joinModel(param: unknown): string {
  return Array.isArray(param) ? param.join('/') : String(param ?? '');
}

/** Memoised bodies up to this many characters stay strings (see memoBody). */
const STRING_BODY_LIMIT = 64 * 1024;

/**
 * A body built once per catalog version. A small body is kept as its string:
 * node:http writes a string body in the same write as the response's headers,
 * where a Buffer takes a writev. A large one (GET /costs) is kept encoded, so it
 * is never encoded again.
 */
function memoBody(view: CatalogView, key: string, build: () => string | Buffer | Buffer[]): string | Buffer | Buffer[] {
  return view.memo(key, () => {
    const built = build();
    return typeof built === 'string' && built.length > STRING_BODY_LIMIT ? Buffer.from(built) : built;
  });
}
