// GET /costs (the catalog), GET /costs/history, GET /costs/:provider/:model.
// Current prices come from memory; ?at= (prices in effect at a past time) and
// history read the append-only history in PostgreSQL.
import { Router, type Request, type Response } from 'express';
import { CatalogView, providerFragment, type CatalogCache } from '../../cache/catalog.ts';
import { readCatalogAt, readModelHistory } from '../../catalog/history.ts';
import type { CatalogEntry, ExchangeRate, ProviderInfo } from '../../catalog/read.ts';
import { resolveModel } from '../../catalog/resolve.ts';
import type { Pool } from '../../db/pool.ts';
import { AppError, parseInput } from '../errors.ts';
import { presentConverted, presentEntry, presentPrice, presentRate } from '../present.ts';
import { costsQuery, historyQuery, modelPath, modelQuery } from '../schemas.ts';

export function costsRouter(catalog: CatalogCache, pool: Pool): Router {
  const router = Router();
  // The full catalog body is what most consumers fetch: build it right after each load, off the reload path.
  catalog.onLoad((view) => setImmediate(() => {
    view.memoText(costsKey(undefined, undefined, false), () => costsJson(view, { rate: undefined, stale: false }));
  }));

  router.get('/costs', async (req, res) => {
    const query = parseInput(costsQuery, req.query, 'query');
    const view = query.at ? await viewAt(catalog, pool, query.at, query.provider) : catalog.current;
    if (query.provider !== undefined && !view.byProvider.has(query.provider)) {
      throw new AppError(404, 'unknown_provider', `query.provider: "${query.provider}" has no prices in the catalog`, {
        providers: [...view.byProvider.keys()],
      });
    }
    const rate = rateFor(view, query.currency);
    const stale = catalog.stale !== undefined;
    const key = costsKey(query.provider, rate, stale);
    sendCatalogText(req, res, view, stale, query.at ? undefined : key, () =>
      costsJson(view, { provider: query.provider, rate, stale, at: query.at }));
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
    res.json({
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
    });
  });

  router.get('/costs/:provider/*model', async (req, res) => {
    const { provider, model } = parseInput(modelPath, { provider: req.params.provider, model: joinModel(req.params.model) }, 'path');
    const query = parseInput(modelQuery, req.query, 'query');
    const view = query.at ? await viewAt(catalog, pool, query.at, provider) : catalog.current;
    const stale = catalog.stale !== undefined;
    const { key, build } = modelResponse(view, provider, model, query.currency, stale, query.at);
    sendCatalogJson(req, res, view, stale, query.at ? undefined : key, build);
  });

  return router;
}

function costsKey(provider: string | undefined, rate: ExchangeRate | undefined, stale: boolean): string {
  return `costs:${provider ?? '*'}:${rate?.quote ?? 'USD'}:${stale}`;
}

/**
 * GET /costs/:provider/:model for one view: the memo key of its body and how to
 * build it. Throws AppError (404, 422) as the route answers.
 */
export function modelResponse(view: CatalogView, provider: string, model: string, currency: string | undefined, stale: boolean, at?: Date) {
  const found = lookup(view, provider, model);
  const rate = rateFor(view, currency);
  return {
    key: `model:${provider}:${model}:${rate?.quote ?? 'USD'}:${stale}`,
    build: () => ({
      provider,
      requested_model_id: model,
      matched_by: found.matched_by,
      catalog_version: view.version,
      stale,
      ...(at ? { at: at.toISOString() } : {}),
      ...presentEntry(found.entry),
      ...(rate ? { exchange_rate: presentRate(rate), converted: presentConverted(found.entry, rate) } : {}),
    }),
  };
}

type CostsOptions = { provider?: string | undefined; rate: ExchangeRate | undefined; stale: boolean; at?: Date | undefined };

/** The GET /costs body as an object (what costsJson serialises). */
export function costsBody(view: CatalogView, options: CostsOptions) {
  const providers: Record<string, unknown> = {};
  for (const info of servedProviders(view, options.provider)) {
    const models = presentModels(view.byProvider.get(info.id)!, options.rate);
    if (models.length > 0) providers[info.id] = { ...providerHead(info), models };
  }
  return { ...costsHead(view, options), providers };
}

/**
 * The GET /costs body as JSON text, exactly JSON.stringify(costsBody(...)),
 * assembled from per-provider fragments: after a sync of one provider only its
 * models are serialised again.
 */
export function costsJson(view: CatalogView, options: CostsOptions): Buffer {
  const parts: Buffer[] = [Buffer.from(`${JSON.stringify(costsHead(view, options)).slice(0, -1)},"providers":{`)];
  let first = true;
  for (const info of servedProviders(view, options.provider)) {
    const models = view.byProvider.get(info.id)!;
    const rate = options.rate;
    const json = providerFragment(models, rate ? `${rate.quote}:${rate.rate}` : 'USD', (m) => JSON.stringify(presentModels(m, rate)));
    if (json.length === 2) continue; // []
    parts.push(Buffer.from(`${first ? '' : ','}${JSON.stringify(info.id)}:${JSON.stringify(providerHead(info)).slice(0, -1)},"models":`), json, CLOSE_OBJECT);
    first = false;
  }
  parts.push(CLOSE_TWO);
  return Buffer.concat(parts);
}

const CLOSE_OBJECT = Buffer.from('}');
const CLOSE_TWO = Buffer.from('}}');

function servedProviders(view: CatalogView, provider: string | undefined): ProviderInfo[] {
  return view.providers.filter((info) => (provider === undefined || info.id === provider) && view.byProvider.has(info.id));
}

function presentModels(models: ReadonlyMap<string, CatalogEntry>, rate: ExchangeRate | undefined) {
  const presented = [];
  for (const entry of models.values()) {
    if (entry.removed_at !== null) continue;
    presented.push(rate ? { ...presentEntry(entry), converted: presentConverted(entry, rate) } : presentEntry(entry));
  }
  return presented;
}

function providerHead(info: ProviderInfo) {
  return { source: info.source, in_use: info.in_use, last_synced_at: info.last_synced_at };
}

function costsHead(view: CatalogView, { rate, stale, at }: CostsOptions) {
  return {
    catalog_version: view.version,
    last_updated: view.changedAt,
    ...(at ? { at: at.toISOString() } : {}),
    stale,
    currency: 'USD',
    usd_to_zar: view.rates.get('USD/ZAR')?.rate ?? null,
    ...(rate ? { exchange_rate: presentRate(rate) } : {}),
    exchange_rates: [...view.rates.values()].map(presentRate),
  };
}

/** The model a caller asked for, however they spelled it; 404 with suggestions otherwise. */
export function lookup(view: CatalogView, provider: string, model: string) {
  const models = view.byProvider.get(provider);
  if (!models) {
    throw new AppError(404, 'unknown_provider', `provider "${provider}" has no prices in the catalog`, {
      suggestions: closestProviders(view, provider),
    });
  }
  const resolved = resolveModel(models, provider, model);
  if (!resolved.entry) {
    throw new AppError(404, 'unknown_model', `model "${model}" is not in ${provider}'s catalog`, { suggestions: resolved.suggestions });
  }
  if (resolved.entry.removed_at !== null) {
    throw new AppError(404, 'removed_model', `model "${resolved.entry.model_id}" was removed from ${provider}'s catalog at ${resolved.entry.removed_at}`);
  }
  return { entry: resolved.entry, matched_by: resolved.matched_by };
}

/** The USD→currency rate for ?currency= (none for USD); 422 when tariff has no such rate. */
export function rateFor(view: CatalogView, currency: string | undefined): ExchangeRate | undefined {
  if (currency === undefined || currency === 'USD') return undefined;
  const rate = view.rates.get(`USD/${currency}`);
  if (!rate) {
    throw new AppError(422, 'rate_unavailable', `currency: no USD/${currency} exchange rate is available`, {
      available: [...view.rates.values()].map((r) => r.quote),
    });
  }
  return rate;
}

/** The catalog as served at `at`, from history. */
export async function viewAt(catalog: CatalogCache, pool: Pool, at: Date, provider?: string, model?: string): Promise<CatalogView> {
  const current = catalog.current;
  return new CatalogView(await readCatalogAt(pool, at, current, provider, model));
}

/**
 * Sends a JSON body with the catalog version as ETag, answering 304 when the
 * caller has it. With a memo key, the body is built once per catalog version.
 */
export function sendCatalogJson(req: Request, res: Response, view: CatalogView, stale: boolean, key: string | undefined, build: () => unknown): void {
  sendCatalogText(req, res, view, stale, key, () => JSON.stringify(build()));
}

/** Like sendCatalogJson, for a body the caller serialises itself. */
export function sendCatalogText(req: Request, res: Response, view: CatalogView, stale: boolean, key: string | undefined, build: () => string | Buffer): void {
  res.setHeader('ETag', view.etag);
  res.setHeader('X-Catalog-Version', String(view.version));
  res.setHeader('Cache-Control', 'no-cache');
  if (stale) res.setHeader('X-Catalog-Stale', 'true');
  if (matchesEtag(req.get('if-none-match'), view.etag)) {
    res.status(304).end();
    return;
  }
  const built = key === undefined ? build() : view.memoText(key, build);
  const body = typeof built === 'string' ? Buffer.from(built) : built;
  res.type('application/json').send(body);
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

function closestProviders(view: CatalogView, provider: string): string[] {
  return [...view.byProvider.keys()].filter((id) => id.includes(provider) || provider.includes(id)).slice(0, 5);
}
