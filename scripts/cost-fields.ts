// Writes docs/cost-fields.md: the cost fields each source publishes and how
// its adapter reads them, from the upstream payloads in a folder.
//
//   npm run cost-fields -- [--from DIR]   (default DIR: ../shared/fixtures/upstream)
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { parseExactJson } from '../src/sources/json.ts';
import { COST_FIELD_FILES, COST_FIELDS_DOC, costFieldsMarkdown } from '../src/sources/field_table.ts';

{
  const { values } = parseArgs({ options: { from: { type: 'string', default: '../shared/fixtures/upstream' } } });
  const payloads = new Map<string, unknown>();
  for (const [source, file] of Object.entries(COST_FIELD_FILES)) {
    payloads.set(source, parseExactJson(await readFile(path.join(path.resolve(values.from), file), 'utf8')));
  }
  await writeFile(COST_FIELDS_DOC, costFieldsMarkdown(payloads, COST_FIELD_FILES));
  process.stdout.write(`wrote ${path.relative(process.cwd(), COST_FIELDS_DOC.pathname)}\n`);
}
