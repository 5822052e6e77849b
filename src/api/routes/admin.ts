// /admin: enqueue syncs and FX refreshes, read the sync log, set and clear
// manual price overrides. Every route requires the admin Bearer token.
import { ORIGINAL_DIMENSIONS, ORIGINAL_TOKEN_DIMENSIONS, type OriginalDimension } from '@tariff/pricing';
import { Router } from 'express';
import { z } from 'zod';
import type { WorkerUtils } from 'graphile-worker';
import type { Config } from '../../config.ts';
import type { Pool } from '../../db/pool.ts';
import { clearOverride, setOverride } from '../../store/overrides.ts';
import { enqueuePriceChanges } from '../../webhooks/outbox.ts';
import { REFRESH_FX_JOB_KEY, syncProviderJobKey, type RefreshFxPayload, type SyncProviderPayload } from '../../jobs/payloads.ts';
import { readSyncEntry, readSyncLog } from '../../store/sync_log.ts';
import { AppError, parseInput } from '../../http/errors.ts';
import { jsonReply } from '../../http/reply.ts';
import { send } from '../../http/express.ts';
import { fxBody, idParam, modelPath, overrideBody, providerId, syncBody, syncLogQuery } from '../schemas.ts';

export interface AdminDeps {
  config: Config;
  /** A connection that may write: DATABASE_URL's role, not the API's read-only one. */
  writer: Pool | undefined;
  jobs: Pick<WorkerUtils, 'addJob'> | undefined;
}

export function adminRouter(deps: AdminDeps): Router {
  // Authentication is mounted ahead of body parsing, in createApp.
  const router = Router();
  const { config, writer, jobs } = deps;
  if (!writer || !jobs) {
    router.use('/admin', () => {
      throw new AppError(503, 'admin_unavailable', 'this instance has no database connection that may write (DATABASE_URL is not set)');
    });
    return router;
  }
  const inUse = new Set(config.providers.map((p) => p.provider));

  router.post('/admin/pricing-sync', async (req, res) => {
    const body = parseInput(syncBody, req.body ?? {}, 'body');
    const providers = body.providers ?? [...inUse];
    const unknown = providers.filter((p) => !inUse.has(p));
    if (unknown.length > 0) {
      throw new AppError(400, 'unknown_provider', `body.providers: not in use: ${unknown.join(', ')}`, {
        unknown, providers_in_use: [...inUse],
      });
    }
    const queued = [];
    for (const provider of new Set(providers)) {
      const payload: SyncProviderPayload = { provider, dry_run: body.dry_run, force: body.force, triggered_by: 'api' };
      const job = await jobs.addJob('sync_provider', payload, {
        jobKey: syncProviderJobKey(provider, body.dry_run), maxAttempts: config.SYNC_MAX_ATTEMPTS,
      });
      queued.push({ provider, job_id: job.id });
    }
    req.log.info({ jobs: queued, dryRun: body.dry_run, force: body.force }, 'syncs enqueued');
    send(res, jsonReply(202, { jobs: queued }));
  });

  router.post('/admin/fx-refresh', async (req, res) => {
    const body = parseInput(fxBody, req.body ?? {}, 'body');
    const payload: RefreshFxPayload = { force: body.force, triggered_by: 'api' };
    const job = await jobs.addJob('refresh_fx', payload, { jobKey: REFRESH_FX_JOB_KEY, maxAttempts: config.SYNC_MAX_ATTEMPTS });
    send(res, jsonReply(202, { jobs: [{ currencies: config.FX_CURRENCIES, job_id: job.id }] }));
  });

  router.get('/admin/pricing-sync/log', async (req, res) => {
    const query = parseInput(syncLogQuery, req.query, 'query');
    const rows = await readSyncLog(writer, query);
    send(res, jsonReply(200, { entries: rows }));
  });

  router.get('/admin/pricing-sync/log/:id', async (req, res) => {
    const { id } = parseInput(idParam, req.params, 'path');
    const entry = await readSyncEntry(writer, id);
    if (!entry) throw new AppError(404, 'not_found', `path.id: no sync log entry ${id}`);
    const history = await writer.query(`
      select model_id, change, old_price, new_price, changed_at, changed_by, shadowed
        from price_history where sync_log_id = $1::bigint order by model_id, id`, [id]);
    const { changes, ...rest } = entry;
    // Applied syncs list their history rows; dry runs and rejections the changes they would have made.
    send(res, jsonReply(200, { ...rest, price_changes: history.rows.length > 0 ? history.rows : (changes ?? []) }));
  });

  const overridePath = z.strictObject({ provider: providerId, model: z.array(z.string()).min(1) });
  // The reason lands in price_history.changed_by: like a PUT's reason, no control characters (Postgres refuses NUL).
  const deleteQuery = z.strictObject({
    reason: z.string().trim().min(1).max(200).regex(/^[^\u0000-\u001f\u007f]+$/, 'must not contain control characters')
      .default('override removed'),
  });

  router.put('/admin/prices/:provider/*model', async (req, res) => {
    const { provider, model } = parseOverridePath(overridePath, req.params);
    await requireProvider(writer, provider);
    const body = parseInput(overrideBody, req.body ?? {}, 'body');
    const result = await setOverride(writer, enqueuePriceChanges, provider, model, {
      reason: body.reason,
      state: body.state,
      ...recordFields(ORIGINAL_DIMENSIONS, body),
      ...(body.prices && Object.keys(body.prices).length > 0 ? { extra: body.prices } : {}),
      tiers: body.tiers.map((t) => ({
        above_tokens: t.above_input_tokens,
        ...recordFields(ORIGINAL_TOKEN_DIMENSIONS, t),
        ...(t.prices && Object.keys(t.prices).length > 0 ? { extra: t.prices } : {}),
      })).sort((a, b) => a.above_tokens - b.above_tokens),
    });
    req.log.info({ provider, model, reason: body.reason }, 'price override set');
    send(res, jsonReply(200, { provider, model_id: model, reason: body.reason, ...result }));
  });

  router.delete('/admin/prices/:provider/*model', async (req, res) => {
    const { provider, model } = parseOverridePath(overridePath, req.params);
    const { reason } = parseInput(deleteQuery, req.query, 'query');
    const removed = await clearOverride(writer, enqueuePriceChanges, provider, model, reason);
    if (!removed) throw new AppError(404, 'not_found', `path: no override for ${provider}/${model}`);
    req.log.info({ provider, model }, 'price override cleared');
    send(res, { status: 204 });
  });

  return router;
}

function parseOverridePath(schema: z.ZodType<{ provider: string; model: string[] }>, params: unknown) {
  const { provider, model } = parseInput(schema, params, 'path');
  return parseInput(modelPath, { provider, model: model.join('/') }, 'path');
}

async function requireProvider(db: Pool, provider: string): Promise<void> {
  const { rowCount } = await db.query('select 1 from providers where id = $1::text', [provider]);
  if (!rowCount) throw new AppError(404, 'unknown_provider', `path.provider: no provider "${provider}"`);
}

/** The price record's original fields from a body's answer-named ones (input_cost_per_1m_tokens → input). */
function recordFields<D extends OriginalDimension>(dimensions: readonly D[], body: object): { [K in D['field']]: string | null } {
  const fields = body as Partial<Record<string, string | null>>;
  return Object.fromEntries(dimensions.map((d) => [d.field, fields[d.answer] ?? null])) as { [K in D['field']]: string | null };
}
