// The admin routes' paths (bearer ADMIN_TOKEN): syncs, the sync log, price
// overrides and webhooks.
import { fxBody, overrideBody, syncBody, syncLogQuery } from '../schemas.ts';
import { webhookSchemas } from '../routes/webhooks.ts';
import { admin, errorResponse, jsonBody, ok, pathParameter, queryParameters, schema } from './build.ts';

// The documented webhook bodies: URL rules as in production (https, public addresses).
const webhooks = webhookSchemas({ WEBHOOK_ALLOW_HTTP: false, WEBHOOK_ALLOW_PRIVATE: false });

export const ADMIN_PATHS = {
  '/admin/pricing-sync': { post: { summary: 'Enqueue sync_provider jobs', security: admin, requestBody: jsonBody(syncBody), responses: { 202: ok('{jobs: [{provider, job_id}]}'), 400: errorResponse, 401: errorResponse, 403: errorResponse } } },
  '/admin/fx-refresh': { post: { summary: 'Enqueue a refresh_fx job', security: admin, requestBody: jsonBody(fxBody), responses: { 202: ok('{jobs}'), 401: errorResponse, 403: errorResponse } } },
  '/admin/pricing-sync/log': { get: { summary: 'Sync log, newest first', security: admin, parameters: queryParameters(syncLogQuery), responses: { 200: ok('{entries}'), 401: errorResponse, 403: errorResponse } } },
  '/admin/pricing-sync/log/{id}': { get: { summary: 'One sync with its price changes', security: admin, parameters: [pathParameter('id', 'Sync log id')], responses: { 200: ok('The entry'), 404: errorResponse } } },
  '/admin/prices/{provider}/{model}': {
    put: { summary: 'Set a manual price override', security: admin, parameters: [pathParameter('provider', 'Provider id'), pathParameter('model', 'Model id')], requestBody: jsonBody(overrideBody), responses: { 200: ok('Old and new price'), 400: errorResponse, 404: errorResponse } },
    delete: { summary: 'Remove a manual price override', security: admin, parameters: [pathParameter('provider', 'Provider id'), pathParameter('model', 'Model id'), { name: 'reason', in: 'query', required: false, schema: { type: 'string' } }], responses: { 204: { description: 'Removed' }, 404: errorResponse } },
  },
  '/admin/webhooks': {
    post: { summary: 'Register a webhook endpoint; the answer carries its signing secret, shown once', security: admin, requestBody: jsonBody(webhooks.create), responses: { 201: ok('The endpoint with its secret'), 400: errorResponse, 401: errorResponse, 403: errorResponse, 503: errorResponse } },
    get: { summary: 'Every webhook endpoint', security: admin, responses: { 200: ok('{webhooks}'), 401: errorResponse, 403: errorResponse } },
  },
  '/admin/webhooks/{id}': {
    get: { summary: 'One endpoint with its recent deliveries', security: admin, parameters: [pathParameter('id', 'Webhook id')], responses: { 200: ok('The endpoint'), 400: errorResponse, 404: errorResponse } },
    patch: { summary: 'Change an endpoint (url, events, providers, description, enabled)', security: admin, parameters: [pathParameter('id', 'Webhook id')], requestBody: jsonBody(webhooks.patch), responses: { 200: ok('The endpoint'), 400: errorResponse, 404: errorResponse } },
    delete: { summary: 'Remove an endpoint and its pending deliveries', security: admin, parameters: [pathParameter('id', 'Webhook id')], responses: { 204: { description: 'Removed' }, 404: errorResponse } },
  },
  '/admin/webhooks/{id}/rotate-secret': { post: { summary: 'A new signing secret; the old one also signs for WEBHOOK_SECRET_ROTATION_SECONDS', security: admin, parameters: [pathParameter('id', 'Webhook id')], responses: { 200: ok('The endpoint with its new secret'), 404: errorResponse, 503: errorResponse } } },
  '/admin/webhooks/{id}/test': { post: { summary: 'Queue a ping delivery', security: admin, parameters: [pathParameter('id', 'Webhook id')], responses: { 202: ok('{event_id, delivery_id}'), 404: errorResponse } } },
  '/admin/webhooks/{id}/deliveries': { get: { summary: 'An endpoint\'s deliveries, newest first', security: admin, parameters: [pathParameter('id', 'Webhook id'), ...queryParameters(webhooks.deliveriesQuery)], responses: { 200: ok('{deliveries}'), 400: errorResponse, 404: errorResponse } } },
  '/admin/webhooks/{id}/deliveries/{delivery}/redeliver': { post: { summary: 'Send a delivery again, as a new delivery of the same event', security: admin, parameters: [pathParameter('id', 'Webhook id'), pathParameter('delivery', 'Delivery id')], responses: { 202: ok('{event_id, delivery_id}'), 404: errorResponse } } },
};
