// The real upstream snapshots in ../shared/fixtures/upstream, read as the
// service reads them, plus small lookups for the parser tests.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { PriceRecord, PriceState, SourceResult } from '@tariff/pricing';
import { parseExactJson } from '../../src/sources/json.ts';
import { UPSTREAM_FIXTURES } from '../support/env.ts';

export const MODELS_DEV = 'models-dev-api.json';
export const OPENROUTER = 'openrouter-models.json';
export const LITELLM = 'litellm-model_prices.json';
export const GENAI_PRICES = 'genai-prices-v2-data.json';

export function fixtureText(file: string): string {
  return readFileSync(path.join(UPSTREAM_FIXTURES, file), 'utf8');
}

const payloads = new Map<string, unknown>();

/** The snapshot parsed with exact numbers; shared between tests, so never mutate it. */
export function fixturePayload(file: string): unknown {
  if (!payloads.has(file)) payloads.set(file, parseExactJson(fixtureText(file)));
  return payloads.get(file);
}

/** An edited copy of a snapshot, for a fault: `edit` changes the plainly parsed JSON, which is then re-serialised. */
export function editedPayload(file: string, edit: (json: unknown) => void): unknown {
  const json: unknown = JSON.parse(fixtureText(file));
  edit(json);
  return parseExactJson(JSON.stringify(json));
}

/** The object at a path of keys, to edit in place. */
export function objectAt(json: unknown, ...keys: string[]): Record<string, unknown> {
  let target = json;
  for (const key of keys) target = isObject(target) ? target[key] : undefined;
  if (!isObject(target)) throw new Error(`no object at ${keys.join(' → ')}`);
  return target;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

export function recordOf(result: SourceResult, modelId: string): PriceRecord {
  const record = result.records.find((candidate) => candidate.model_id === modelId);
  if (!record) throw new Error(`no record for ${modelId}`);
  return record;
}

export function stateCounts(result: SourceResult): Partial<Record<PriceState, number>> {
  const counts: Partial<Record<PriceState, number>> = {};
  for (const { state } of result.records) counts[state] = (counts[state] ?? 0) + 1;
  return counts;
}
