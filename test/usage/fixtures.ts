// The providers' own published responses in test/fixtures/responses, each with
// the usage it must decompose to. Bodies are read twice: with JSON.parse (numbers)
// and with parseExactJson (number literals as text, as the API layer passes them).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseExactJson } from '../../src/sources/json.ts';
import type { Format } from '@tariff/pricing';

export interface Fixture {
  name: string;
  format: Format;
  source: string;
  body: unknown;
  expected: Record<string, unknown>;
}

const ROOT = path.join(import.meta.dirname, '..', 'fixtures', 'responses');

export function loadFixtures(parse: 'json' | 'exact'): Fixture[] {
  const formats = readdirSync(ROOT, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
  return formats.flatMap((dir) =>
    readdirSync(path.join(ROOT, dir)).filter((file) => file.endsWith('.json')).map((file) => {
      const text = readFileSync(path.join(ROOT, dir, file), 'utf8');
      const doc = JSON.parse(text) as Omit<Fixture, 'name'>;
      const body = parse === 'json' ? doc.body : (parseExactJson(text) as { body: unknown }).body;
      return { ...doc, body, name: `${dir}/${file.replace(/\.json$/, '')}` };
    }));
}

/** A count from a parsed body, whichever way it was parsed; absent counts are 0. */
export function n(value: unknown): number {
  return value === undefined || value === null ? 0 : Number(value);
}
