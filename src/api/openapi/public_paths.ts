// The public routes' paths: the catalog, its change stream, models, quotes,
// history, discrepancies, health and metrics.
import {
  changesQuery, costsQuery, historyQuery, modelQuery, quoteBatch, quoteItem,
} from '../schemas.ts';
import { discrepanciesQuery } from '../routes/discrepancies.ts';
import { errorResponse, ok, okWith, pathParameter, queryParameters, schema } from './build.ts';

const CHANGES_DESCRIPTION = [
  'One event per committed catalog version, as this instance loads it:',
  '`catalog` (id: the version) `{version, previous, changed: [{provider, model_id}], removed: [{provider, model_id}]}`, coalesced when the client was behind;',
  '`fx` `{version, rates}` when a version changed the exchange rates;',
  '`reset` (id: the version) `{version, reason}` when the changes since the client\'s version cannot be computed: load everything (GET /costs?since=0).',
  'Comment lines are heartbeats. A client that does not read is disconnected; streams end on shutdown. Resume with Last-Event-ID or ?since=.',
].join(' ');

export const PUBLIC_PATHS = {
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
};
