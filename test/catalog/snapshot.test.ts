import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { readSnapshot } from '../../src/catalog/snapshot.ts';
import { parseSource } from '../../src/sources/index.ts';
import { parseExactJson } from '../../src/sources/json.ts';
import { UPSTREAM_FIXTURES } from '../support/env.ts';

describe('the bundled snapshot', () => {
  test('is exactly what the source adapters make of the real upstream payloads', async () => {
    const snapshot = await readSnapshot();
    const load = async (file: string) => parseExactJson(await readFile(path.join(UPSTREAM_FIXTURES, file), 'utf8'));
    const payloads = {
      models_dev: await load(snapshot.sources.models_dev!.file),
      openrouter: await load(snapshot.sources.openrouter!.file),
    };
    expect(snapshot.providers.length).toBe(145);
    for (const provider of snapshot.providers) {
      if (provider.source === 'litellm') continue;
      const parsed = parseSource(provider.source, payloads[provider.source], provider.upstream_id);
      expect({ id: provider.id, models: provider.models }).toEqual({ id: provider.id, models: parsed.records });
    }
  });

  test('covers the default providers with real prices', async () => {
    const snapshot = await readSnapshot();
    const count = (id: string) => snapshot.providers.find((p) => p.id === id)?.models.length ?? 0;
    expect(count('openrouter')).toBe(364);
    expect(count('anthropic')).toBe(25);
    expect(count('openai')).toBe(50);
    expect(count('google')).toBe(22);
  });
});
