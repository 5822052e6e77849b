// How many served (model, dimension) prices come from a source other than the
// provider's own, per provider and per filling source, assembled from the
// upstream payloads in a folder as a sync assembles them.
//
//   npm run fill-counts -- [--from DIR] [--providers openrouter,anthropic,openai,google]
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { defaultSourceFor } from '../src/upstreams.ts';
import { parseExactJson } from '../src/sources/json.ts';
import { assembledPrices } from '../src/sync/assemble.ts';
import { COST_FIELD_FILES } from '../src/sources/field_table.ts';

const { values } = parseArgs({ options: {
  from: { type: 'string', default: '../shared/fixtures/upstream' },
  providers: { type: 'string', default: 'openrouter,anthropic,openai,google' },
} });
const payloads = new Map<string, unknown>();
for (const [source, file] of Object.entries(COST_FIELD_FILES)) {
  payloads.set(source, parseExactJson(await readFile(path.join(path.resolve(values.from), file), 'utf8')));
}
const total: Record<string, number> = {};
for (const provider of values.providers.split(',')) {
  const source = defaultSourceFor(provider).name;
  const result = await assembledPrices({ provider, source, upstream_id: provider }, async ({ name }) => payloads.get(name));
  const bySource: Record<string, number> = {};
  let models = 0;
  for (const record of result.records) {
    const filled = Object.values(record.filled_from ?? {});
    if (filled.length > 0) models += 1;
    for (const name of filled) bySource[name] = (bySource[name] ?? 0) + 1;
  }
  for (const [name, n] of Object.entries(bySource)) total[name] = (total[name] ?? 0) + n;
  const sum = Object.values(bySource).reduce((a, b) => a + b, 0);
  process.stdout.write(`${provider} (${source}): ${sum} prices filled in ${models} of ${result.records.length} models; `
    + `by source ${JSON.stringify(bySource)}; ${result.disagreements.length} filler disagreements\n`);
}
process.stdout.write(`all: ${JSON.stringify(total)}\n`);
