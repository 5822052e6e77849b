// docs/cost-fields.md is what the adapters make of the upstream fixtures now:
// a new mapping, or a field the adapters stop reading, fails here until
// `npm run cost-fields` rewrites it.
import { readFile } from 'node:fs/promises';
import { COST_FIELD_FILES, COST_FIELDS_DOC, costFieldsMarkdown } from '../../src/sources/field_table.ts';
import { fixturePayload } from './fixtures.ts';

test('docs/cost-fields.md is the table the adapters make of the fixtures, genai-prices v2 included', async () => {
  const payloads = new Map(Object.entries(COST_FIELD_FILES).map(([source, file]) => [source, fixturePayload(file)]));
  const expected = costFieldsMarkdown(payloads, COST_FIELD_FILES);

  expect(expected).toContain('genai-prices-v2-data.json');
  expect(expected).toContain('`prices.cache_write_1h_mtok`');
  expect(await readFile(COST_FIELDS_DOC, 'utf8')).toBe(expected);
});
