// GET /openapi.json: an OpenAPI 3.1 document built from the zod schemas the
// routes validate with, so the document cannot drift from the checks.
import { z } from 'zod';
import { ORIGINAL_DIMENSIONS, UNITS } from '@tariff/pricing';
import {
  changesQuery, costsQuery, fxBody, historyQuery, modelQuery, overrideBody, quoteBatch, quoteItem, syncBody, syncLogQuery,
} from './schemas.ts';
import { discrepanciesQuery } from './routes/discrepancies.ts';
import { webhookSchemas } from './routes/webhooks.ts';

// The documented webhook bodies: URL rules as in production (https, public addresses).
const webhooks = webhookSchemas({ WEBHOOK_ALLOW_HTTP: false, WEBHOOK_ALLOW_PRIVATE: false });

type JsonSchema = Record<string, unknown>;

const schema = (type: z.ZodType): JsonSchema => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(type, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return rest;
};

function queryParameters(type: z.ZodObject): JsonSchema[] {
  const json = schema(type) as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name, in: 'query', required: json.required?.includes(name) ?? false, schema: property,
  }));
}

const pathParameter = (name: string, description: string) => ({ name, in: 'path', required: true, description, schema: { type: 'string' } });
const jsonBody = (type: z.ZodType) => ({ required: true, content: { 'application/json': { schema: schema(type) } } });
const errorResponse = { description: 'JSON error naming the problem', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
const ok = (description: string) => ({ description, content: { 'application/json': { schema: { type: 'object' } } } });
const okWith = (description: string, ref: string) => ({ description, content: { 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } } });

const decimal = (description: string) => ({ type: ['string', 'null'], pattern: '^\\d+(\\.\\d+)?$', description });

/** Every price dimension, from the unit registry: its unit and parent, in the document itself. */
const unitPrices = {
  type: 'object',
  description: 'Prices by dimension (unit id), exact decimal strings in USD per the unit given for each; a dimension without a price is absent.',
  properties: Object.fromEntries(Object.entries(UNITS).map(([id, unit]) => [id, {
    type: 'string', pattern: '^\\d+(\\.\\d+)?$',
    description: `USD per ${unit.per}. ${unit.description}${unit.parent ? ` Part of ${unit.parent}.` : ''}`,
  }])),
  additionalProperties: false,
};
const priceList = {
  type: 'object',
  properties: {
    prices: unitPrices,
    tiers: { type: 'array', items: { type: 'object', properties: { above_input_tokens: { type: 'integer' }, prices: unitPrices } } },
  },
};

const PRICE_RECORD = {
  type: 'object',
  description: 'A model\'s served price. The original fields (input_cost_per_1m_tokens …) are kept as they were; `prices` holds every dimension.',
  properties: {
    model_id: { type: 'string' },
    name: { type: ['string', 'null'] },
    state: { enum: ['priced', 'free', 'dynamic', 'unpriced'], description: 'dynamic and unpriced models carry null prices, never 0.' },
    ...Object.fromEntries(ORIGINAL_DIMENSIONS.map((d) =>
      [d.answer, decimal(`USD per ${UNITS[d.unit].per}: ${UNITS[d.unit].description} (= prices.${d.unit}).`)])),
    tiers: { type: 'array', description: 'Long-context tiers: above above_input_tokens prompt tokens, the tier\'s prices replace the base prices for the whole request.', items: { type: 'object', properties: { above_input_tokens: { type: 'integer' }, prices: unitPrices } } },
    prices: unitPrices,
    service_tiers: { type: 'object', description: 'Price variants by service tier (flex, priority, batch); absent when none.', additionalProperties: priceList },
    speed_modes: { type: 'object', description: 'Price lists by speed (`fast`: Anthropic fast mode) as a source publishes them; absent when none.', additionalProperties: priceList },
    multipliers: {
      type: 'object', additionalProperties: { type: 'string' },
      description: 'Multipliers a source publishes for a price modifier, by `<usage field>=<value>` (`speed=fast`, `inference_geo=us`): exact decimals on every standard price; absent when none.',
    },
    unsupported_prices: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, value: { type: 'string' } } }, description: 'Non-zero prices the source publishes in dimensions tariff cannot bill, as published; absent when none.' },
    variants: { type: 'array', description: 'Prices in effect from a date (`from`) or in a UTC time-of-day window; absent when none.', items: { type: 'object', properties: { from: { type: 'string' }, window: { type: 'object' }, ...priceList.properties } } },
    source: { type: 'string', description: 'The provider\'s primary source (PROVIDER_SOURCES), or `manual` for an operator override.' },
    price_sources: {
      type: 'object', additionalProperties: { type: 'string' },
      description: 'The source of every priced dimension: `input_tokens`, `tier>200000.input_tokens`, `batch.input_tokens`, `fast.input_tokens`, `variants[0].input_tokens`, `multipliers.speed=fast` → a source name. A dimension the primary source leaves unpriced is filled from another source that prices the same model at the same provider.',
    },
    updated_at: { type: 'string', format: 'date-time' },
  },
};
const admin = [{ bearer: [] }];

const CHANGES_DESCRIPTION = [
  'One event per committed catalog version, as this instance loads it:',
  '`catalog` (id: the version) `{version, previous, changed: [{provider, model_id}], removed: [{provider, model_id}]}`, coalesced when the client was behind;',
  '`fx` `{version, rates}` when a version changed the exchange rates;',
  '`reset` (id: the version) `{version, reason}` when the changes since the client\'s version cannot be computed: load everything (GET /costs?since=0).',
  'Comment lines are heartbeats. A client that does not read is disconnected; streams end on shutdown. Resume with Last-Event-ID or ?since=.',
].join(' ');

const MODEL_KEY = { type: 'object', required: ['provider', 'model_id'], properties: { provider: { type: 'string' }, model_id: { type: 'string' } } };

const CATALOG_DELTA = {
  type: 'object',
  description: 'GET /costs?since=: what changed after `since` (0: everything). `changed` holds the records as the pricing core (@tariff/pricing CatalogEntry) holds them, so a client builds the same catalog the server serves.',
  required: ['catalog_version', 'since', 'last_updated', 'synced', 'stale', 'providers', 'exchange_rates', 'changed', 'removed'],
  properties: {
    catalog_version: { type: 'integer' },
    since: { type: 'integer' },
    last_updated: { type: 'string', format: 'date-time' },
    synced: { type: 'integer', description: 'Successful syncs so far: moves with providers\' last_synced_at.' },
    stale: { type: 'boolean' },
    providers: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' }, source: { type: 'string' }, upstream_id: { type: 'string' }, in_use: { type: 'boolean' }, last_synced_at: { type: ['string', 'null'] } } } },
    exchange_rates: { type: 'array', items: { type: 'object', properties: { base: { type: 'string' }, quote: { type: 'string' }, rate: { type: 'string' }, market_time: { type: 'string' }, source: { type: 'string' } } } },
    changed: { type: 'array', items: { type: 'object', required: ['provider', 'model_id'], properties: { provider: { type: 'string' }, model_id: { type: 'string' } }, additionalProperties: true } },
    removed: { type: 'array', items: MODEL_KEY },
  },
};

export function openApiDocument(version: string) {
  return {
    openapi: '3.1.0',
    info: { title: 'tariff', version, description: 'LLM model prices: exact, current, in USD and local currency.' },
    paths: {
      '/costs': { get: { summary: 'The catalog, grouped by provider; with since, the changes after a version', parameters: queryParameters(costsQuery), responses: { 200: { description: 'The catalog; with since, the delta (CatalogDelta)', content: { 'application/json': { schema: { oneOf: [{ type: 'object' }, { $ref: '#/components/schemas/CatalogDelta' }] } } } }, 304: { description: 'Unchanged since If-None-Match' }, 400: errorResponse, 404: errorResponse, 410: { ...errorResponse, description: 'since: the changes after that version cannot be computed; load everything with since=0' }, 422: errorResponse } } },
      '/costs/changes': { get: { summary: 'The catalog\'s change stream (Server-Sent Events)', description: CHANGES_DESCRIPTION, parameters: [...queryParameters(changesQuery), { name: 'Last-Event-ID', in: 'header', required: false, description: 'The last catalog version received: resume after it (wins over since).', schema: { type: 'string', pattern: '^\\d+$' } }], responses: { 200: { description: 'text/event-stream: catalog, fx and reset events, and comment heartbeats', content: { 'text/event-stream': { schema: { type: 'string' } } } }, 400: errorResponse, 503: errorResponse } } },
      '/costs/{provider}/{model}': { get: { summary: 'One model, resolved as callers spell it', parameters: [pathParameter('provider', 'Provider id'), pathParameter('model', 'Model id; may contain /'), ...queryParameters(modelQuery)], responses: { 200: okWith('The model\'s price record with matched_by', 'PriceRecord'), 404: errorResponse } } },
      '/costs/quote': { post: { summary: 'Exact cost of a call, or of up to 1,000 calls', requestBody: { required: true, content: { 'application/json': { schema: { oneOf: [schema(quoteItem), schema(quoteBatch)] } } } }, responses: { 200: ok('The quote (or {count, results} for a batch), as ASCII JSON: non-ASCII characters in ids and names come as \\u escapes'), 400: errorResponse, 404: errorResponse, 422: errorResponse } } },
      '/costs/history': { get: { summary: 'A model\'s price changes, newest first', parameters: queryParameters(historyQuery), responses: { 200: ok('Changes'), 404: errorResponse } } },
      '/costs/discrepancies': { get: { summary: 'The latest cross-source price comparison, per model and dimension', parameters: queryParameters(discrepanciesQuery), responses: { 200: ok('{generated_at, catalog_version, summary, items, unmatched}'), 400: errorResponse, 404: errorResponse } } },
      '/healthz': { get: { summary: 'Process alive', responses: { 200: ok('ok') } } },
      '/readyz': { get: { summary: 'Ready to serve (or degraded: serving from memory)', responses: { 200: ok('ready or degraded'), 503: ok('not ready') } } },
      '/openapi.json': { get: { summary: 'This document', responses: { 200: ok('OpenAPI 3.1') } } },
      '/metrics': { get: { summary: 'Prometheus metrics', responses: { 200: { description: 'text/plain exposition format' } } } },
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
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN' } },
      schemas: {
        PriceRecord: PRICE_RECORD,
        CatalogDelta: CATALOG_DELTA,
        Units: {
          type: 'object', description: 'GET /costs `units`: each dimension\'s unit and parent.',
          properties: Object.fromEntries(Object.entries(UNITS).map(([id, unit]) => [id, { type: 'object', description: `per ${unit.per}`, properties: { per: { const: unit.per }, parent: { const: unit.parent } } }])),
        },
        Error: {
          type: 'object', required: ['error'],
          properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' }, details: {} } } },
        },
      },
    },
  };
}
