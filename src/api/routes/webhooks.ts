// /admin/webhooks: subscriptions to price-change notifications, their secrets
// and their delivery log. Mounted behind the admin token like every /admin route.
import { Router } from 'express';
import { z } from 'zod';
import type { Config } from '../../config.ts';
import { withTransaction, type Pool } from '../../db/pool.ts';
import type { Logger } from '../../log.ts';
import { urlProblem } from '../../webhooks/address.ts';
import {
  createEndpoint, deleteEndpoint, getEndpoint, listDeliveries, listEndpoints, rotateSecret, updateEndpoint,
} from '../../webhooks/endpoints.ts';
import { SUBSCRIBABLE } from '../../webhooks/events.ts';
import { enqueuePing, enqueueRedelivery } from '../../webhooks/outbox.ts';
import { loadWebhookKey } from '../../webhooks/secrets.ts';
import { AppError, parseInput } from '../../http/errors.ts';
import { providerId } from '../schemas.ts';
import { send } from '../../http/express.ts';
import { jsonReply } from '../../http/reply.ts';

export interface WebhookDeps {
  config: Config;
  writer: Pool | undefined;
}

const RECENT_DELIVERIES = 10;
const text = (max: number) => z.string().trim().max(max).regex(/^[^\u0000-\u001f\u007f]*$/, 'must not contain control characters');

export function webhookSchemas(config: Pick<Config, 'WEBHOOK_ALLOW_HTTP' | 'WEBHOOK_ALLOW_PRIVATE'>) {
  const policy = { allowHttp: config.WEBHOOK_ALLOW_HTTP, allowPrivate: config.WEBHOOK_ALLOW_PRIVATE };
  const url = z.string().trim().min(1).max(2048).superRefine((value, ctx) => {
    const problem = urlProblem(value, policy);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
  const events = z.array(z.enum(SUBSCRIBABLE)).min(1).max(SUBSCRIBABLE.length)
    .refine((list) => new Set(list).size === list.length, 'must not list an event twice');
  const providers = z.array(providerId).min(1).max(200).nullable();
  const description = text(500).nullable();
  const id = z.uuid('must be a webhook id (a UUID)');
  return {
    create: z.strictObject({ url, events, providers: providers.optional(), description: description.optional() }),
    patch: z.strictObject({
      url: url.optional(), events: events.optional(), providers: providers.optional(), description: description.optional(),
      enabled: z.boolean().optional(),
    }).refine((body) => Object.keys(body).length > 0, 'must set at least one of url, events, providers, description, enabled'),
    endpointPath: z.strictObject({ id }),
    deliveryPath: z.strictObject({ id, delivery: z.string().regex(/^[1-9]\d{0,17}$/, 'must be a delivery id').transform(Number) }),
    deliveriesQuery: z.strictObject({
      status: z.enum(['pending', 'delivered', 'failed', 'cancelled']).optional(),
      limit: z.coerce.number().int().min(1).max(500).default(50),
    }),
  };
}

export function webhooksRouter({ config, writer }: WebhookDeps, logger: Logger): Router {
  const router = Router();
  // Without a writer connection the admin router already answers every /admin route with 503.
  if (!writer) return router;
  const db = writer;
  const schemas = webhookSchemas(config);
  const loaded = loadWebhookKey(config);
  if (!loaded) {
    logger.warn('WEBHOOK_SECRET_KEY is not set: creating webhooks and rotating their secrets answer 503 (secrets cannot be stored encrypted)');
  }
  const key = (): Buffer => {
    if (!loaded) {
      throw new AppError(503, 'webhooks_unavailable', 'webhook secrets cannot be stored: WEBHOOK_SECRET_KEY is not configured on this instance');
    }
    return loaded.key;
  };
  const found = <T>(value: T | undefined, id: string): T => {
    if (value === undefined) throw new AppError(404, 'not_found', `path.id: no webhook ${id}`);
    return value;
  };

  router.post('/admin/webhooks', async (req, res) => {
    const body = parseInput(schemas.create, req.body ?? {}, 'body');
    const endpoint = await createEndpoint(db, key(), body);
    req.log.info({ webhookId: endpoint.id, events: endpoint.events }, 'webhook created');
    send(res, jsonReply(201, endpoint));
  });

  router.get('/admin/webhooks', async (_req, res) => {
    send(res, jsonReply(200, { webhooks: await listEndpoints(db) }));
  });

  router.get('/admin/webhooks/:id', async (req, res) => {
    const { id } = parseInput(schemas.endpointPath, req.params, 'path');
    const endpoint = found(await getEndpoint(db, id), id);
    send(res, jsonReply(200, { ...endpoint, recent_deliveries: await listDeliveries(db, id, { limit: RECENT_DELIVERIES }) }));
  });

  router.patch('/admin/webhooks/:id', async (req, res) => {
    const { id } = parseInput(schemas.endpointPath, req.params, 'path');
    const body = parseInput(schemas.patch, req.body ?? {}, 'body');
    const endpoint = found(await updateEndpoint(db, id, body), id);
    req.log.info({ webhookId: id, fields: Object.keys(body) }, 'webhook updated');
    send(res, jsonReply(200, endpoint));
  });

  router.delete('/admin/webhooks/:id', async (req, res) => {
    const { id } = parseInput(schemas.endpointPath, req.params, 'path');
    if (!(await deleteEndpoint(db, id))) found(undefined, id);
    req.log.info({ webhookId: id }, 'webhook deleted');
    send(res, { status: 204 });
  });

  router.post('/admin/webhooks/:id/rotate-secret', async (req, res) => {
    const { id } = parseInput(schemas.endpointPath, req.params, 'path');
    const endpoint = found(await rotateSecret(db, key(), id, config.WEBHOOK_SECRET_ROTATION_SECONDS), id);
    req.log.info({ webhookId: id, previousSecretExpiresAt: endpoint.previous_secret_expires_at }, 'webhook secret rotated');
    send(res, jsonReply(200, endpoint));
  });

  router.post('/admin/webhooks/:id/test', async (req, res) => {
    const { id } = parseInput(schemas.endpointPath, req.params, 'path');
    found(await getEndpoint(db, id), id);
    const queued = await withTransaction(db, (client) => enqueuePing(client, id));
    send(res, jsonReply(202, queued));
  });

  router.get('/admin/webhooks/:id/deliveries', async (req, res) => {
    const { id } = parseInput(schemas.endpointPath, req.params, 'path');
    const query = parseInput(schemas.deliveriesQuery, req.query, 'query');
    found(await getEndpoint(db, id), id);
    send(res, jsonReply(200, { deliveries: await listDeliveries(db, id, query) }));
  });

  router.post('/admin/webhooks/:id/deliveries/:delivery/redeliver', async (req, res) => {
    const { id, delivery } = parseInput(schemas.deliveryPath, req.params, 'path');
    found(await getEndpoint(db, id), id);
    const queued = await withTransaction(db, (client) => enqueueRedelivery(client, id, delivery));
    if (!queued) throw new AppError(404, 'not_found', `path.delivery: no delivery ${delivery} to webhook ${id}`);
    req.log.info({ webhookId: id, deliveryId: delivery, newDeliveryId: queued.delivery_id }, 'webhook delivery queued again');
    send(res, jsonReply(202, queued));
  });

  return router;
}
