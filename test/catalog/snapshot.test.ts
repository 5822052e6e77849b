import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { readSnapshot } from '../../src/store/snapshot.ts';
import { parseExactJson } from '../../src/sources/json.ts';
import { sourceNamed } from '../../src/sources/registry.ts';
import { UPSTREAM_FIXTURES } from '../support/env.ts';
import { assembledPrices } from '../../src/sync/assemble.ts';

const load = async (file: string) => parseExactJson(await readFile(path.join(UPSTREAM_FIXTURES, file), 'utf8'));

describe('the bundled snapshot', () => {
  test('is exactly what the source adapters make of the real upstream payloads, assembled as a sync assembles them', async () => {
    const snapshot = await readSnapshot();
    const payloads = new Map<string, unknown>();
    for (const [source, { file }] of Object.entries(snapshot.sources)) payloads.set(source, await load(file));
    const modelsDevProviders = Object.keys(payloads.get('models_dev') as object).filter((id) => id !== 'openrouter');
    expect(snapshot.providers.map((p) => p.id).sort()).toEqual(['openrouter', ...modelsDevProviders].sort());
    for (const provider of snapshot.providers) {
      const parsed = await assembledPrices({ provider: provider.id, source: provider.source, upstream_id: provider.upstream_id }, async (source) => payloads.get(source.name));
      expect({ id: provider.id, models: provider.models }).toEqual({ id: provider.id, models: parsed.records });
    }
  });

  test('knows every upstream id each source payload holds', async () => {
    const snapshot = await readSnapshot();
    for (const [source, { file }] of Object.entries(snapshot.sources)) {
      expect(snapshot.known_upstream_ids[source]).toEqual(sourceNamed(source).upstreamIds(await load(file)));
    }
  });

  test('covers the default providers with every model their upstream lists', async () => {
    const snapshot = await readSnapshot();
    const count = (id: string) => snapshot.providers.find((p) => p.id === id)?.models.length ?? 0;
    const modelsDev = await load(snapshot.sources.models_dev!.file) as Record<string, { models: object }>;
    const openRouter = await load(snapshot.sources.openrouter!.file) as { data: unknown[] };
    expect(count('openrouter')).toBe(openRouter.data.length);
    for (const id of ['anthropic', 'openai', 'google']) expect(count(id)).toBe(Object.keys(modelsDev[id]!.models).length);
  });
});
