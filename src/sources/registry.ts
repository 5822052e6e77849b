// Every upstream price source's adapter, by the source it reads
// (src/upstreams.ts lists the sources as data). Worker-side only: the API never
// loads an adapter.
import { SOURCE_LIST } from '../upstreams.ts';
import { genaiPrices } from './genai_prices.ts';
import { liteLlm } from './litellm.ts';
import { modelsDev } from './models_dev.ts';
import { openRouter } from './openrouter.ts';
import type { Source } from './source.ts';

export const SOURCES: readonly Source[] = [
  modelsDev,
  openRouter,
  liteLlm,
  genaiPrices,
];

const missing = SOURCE_LIST.filter((known) => !SOURCES.some((source) => source.name === known.name));
if (missing.length > 0) throw new Error(`no adapter for source ${missing.map((source) => source.name).join(', ')}`);

export function sourceNamed(name: string): Source {
  const source = SOURCES.find((candidate) => candidate.name === name);
  if (!source) throw new Error(`unknown source "${name}" (known: ${SOURCES.map((s) => s.name).join(', ')})`);
  return source;
}
