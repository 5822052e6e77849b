// GET /openapi.json: an OpenAPI 3.1 document built from the zod schemas the
// routes validate with, so the document cannot drift from the checks.
import { z } from 'zod';
import {
  costsQuery, fxBody, historyQuery, modelQuery, overrideBody, quoteBatch, quoteItem, syncBody, syncLogQuery,
} from './schemas.ts';
import { discrepanciesQuery } from './routes/discrepancies.ts';

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
const admin = [{ bearer: [] }];

export function openApiDocument(version: string) {
  return {
    openapi: '3.1.0',
    info: { title: 'tariff', version, description: 'LLM model prices: exact, current, in USD and local currency.' },
    paths: {
      '/costs': { get: { summary: 'The catalog, grouped by provider', parameters: queryParameters(costsQuery), responses: { 200: ok('The catalog'), 304: { description: 'Unchanged since If-None-Match' }, 400: errorResponse, 404: errorResponse, 422: errorResponse } } },
      '/costs/{provider}/{model}': { get: { summary: 'One model, resolved as callers spell it', parameters: [pathParameter('provider', 'Provider id'), pathParameter('model', 'Model id; may contain /'), ...queryParameters(modelQuery)], responses: { 200: ok('The model\'s price record with matched_by'), 404: errorResponse } } },
      '/costs/quote': { post: { summary: 'Exact cost of a call, or of up to 1,000 calls', requestBody: { required: true, content: { 'application/json': { schema: { oneOf: [schema(quoteItem), schema(quoteBatch)] } } } }, responses: { 200: ok('The quote (or {count, results} for a batch)'), 400: errorResponse, 404: errorResponse, 422: errorResponse } } },
      '/costs/history': { get: { summary: 'A model\'s price changes, newest first', parameters: queryParameters(historyQuery), responses: { 200: ok('Changes'), 404: errorResponse } } },
      '/costs/discrepancies': { get: { summary: 'The latest cross-source price comparison, per model and dimension', parameters: queryParameters(discrepanciesQuery), responses: { 200: ok('{generated_at, catalog_version, summary, items, unmatched}'), 400: errorResponse, 404: errorResponse } } },
      '/healthz': { get: { summary: 'Process alive', responses: { 200: ok('ok') } } },
      '/readyz': { get: { summary: 'Ready to serve (or degraded: serving from memory)', responses: { 200: ok('ready or degraded'), 503: ok('not ready') } } },
      '/metrics': { get: { summary: 'Prometheus metrics', responses: { 200: { description: 'text/plain exposition format' } } } },
      '/admin/pricing-sync': { post: { summary: 'Enqueue sync_provider jobs', security: admin, requestBody: jsonBody(syncBody), responses: { 202: ok('{jobs: [{provider, job_id}]}'), 400: errorResponse, 401: errorResponse, 403: errorResponse } } },
      '/admin/fx-refresh': { post: { summary: 'Enqueue a refresh_fx job', security: admin, requestBody: jsonBody(fxBody), responses: { 202: ok('{jobs}'), 401: errorResponse, 403: errorResponse } } },
      '/admin/pricing-sync/log': { get: { summary: 'Sync log, newest first', security: admin, parameters: queryParameters(syncLogQuery), responses: { 200: ok('{entries}'), 401: errorResponse, 403: errorResponse } } },
      '/admin/pricing-sync/log/{id}': { get: { summary: 'One sync with its price changes', security: admin, parameters: [pathParameter('id', 'Sync log id')], responses: { 200: ok('The entry'), 404: errorResponse } } },
      '/admin/prices/{provider}/{model}': {
        put: { summary: 'Set a manual price override', security: admin, parameters: [pathParameter('provider', 'Provider id'), pathParameter('model', 'Model id')], requestBody: jsonBody(overrideBody), responses: { 200: ok('Old and new price'), 400: errorResponse, 404: errorResponse } },
        delete: { summary: 'Remove a manual price override', security: admin, parameters: [pathParameter('provider', 'Provider id'), pathParameter('model', 'Model id'), { name: 'reason', in: 'query', required: false, schema: { type: 'string' } }], responses: { 204: { description: 'Removed' }, 404: errorResponse } },
      },
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN' } },
      schemas: {
        Error: {
          type: 'object', required: ['error'],
          properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' }, details: {} } } },
        },
      },
    },
  };
}
