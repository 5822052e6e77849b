// The providers' own response bodies in test/fixtures/responses (their API
// references' examples), read for the formats that both tariff's catalog and
// @pydantic/genai-prices price: tests quote them, and the benchmark times them.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Format } from '@tariff/pricing';
import { parseExactJson } from '../../src/sources/json.ts';
import { REPO_ROOT } from './paths.ts';

export const RESPONSES_DIR = path.join(REPO_ROOT, 'test/fixtures/responses');
/** Which tariff provider and genai-prices provider (and API flavour) quote each format's bodies. */
export const FORMAT_PROVIDERS: Readonly<Partial<Record<Format, { provider: string; genai: string; flavor: string }>>> = {
  openai_chat: { provider: 'openai', genai: 'openai', flavor: 'chat' },
  openai_responses: { provider: 'openai', genai: 'openai', flavor: 'responses' },
  anthropic: { provider: 'anthropic', genai: 'anthropic', flavor: 'default' },
  gemini: { provider: 'google', genai: 'google', flavor: 'default' },
  openrouter: { provider: 'openrouter', genai: 'openrouter', flavor: 'chat' },
};

export interface ResponseBody {
  name: string;
  format: Format;
  provider: string;
  /** The body as the API receives it: numbers kept as their literal text. */
  exact: unknown;
  /** The same body through plain JSON.parse, as genai-prices takes it. */
  plain: unknown;
}

/** Every fixture body whose format maps to a provider both tariff's catalog and genai-prices price. */
export function responseBodies(): ResponseBody[] {
  const bodies: ResponseBody[] = [];
  for (const format of readdirSync(RESPONSES_DIR, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name)) {
    for (const file of readdirSync(path.join(RESPONSES_DIR, format)).filter((f) => f.endsWith('.json')).sort()) {
      const text = readFileSync(path.join(RESPONSES_DIR, format, file), 'utf8');
      const fixture = JSON.parse(text) as { format: Format; body: unknown; expected?: { error?: unknown } };
      const mapping = FORMAT_PROVIDERS[fixture.format];
      if (!mapping || fixture.expected?.error !== undefined) continue;
      const exact = (parseExactJson(text) as { body: unknown }).body;
      bodies.push({ name: `${format}/${file.replace(/\.json$/, '')}`, format: fixture.format, provider: mapping.provider, exact, plain: fixture.body });
    }
  }
  return bodies;
}
