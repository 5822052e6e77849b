// Each provider's own API-reference example that names its model, quoted from
// the bundled catalog: the exact total, and agreement with an independent
// implementation of both the usage reading and the pricing (genai-prices'
// extractUsage + calcPrice, floats, on its own price data).
import { calcPrice, extractUsage, findProvider } from '@pydantic/genai-prices';
import { type CatalogView, normalizeResponse, quote, readResponse, resolveModel } from '@tariff/pricing';
import { responseBodies } from '../../scripts/support/responses.ts';
import { snapshotView } from './catalog.ts';

/** Worked out by hand from the decomposition in each fixture and the catalog's prices. */
const EXACT: Record<string, { model: string; total: string; genai: { provider: string; flavor: string } }> = {
  // 2095×5 + 2051×0.5 + 2051×6.25 + 503×25, per 1M
  'anthropic/messages_api_reference': { model: 'claude-opus-4-6', total: '0.03689425', genai: { provider: 'anthropic', flavor: 'default' } },
  // 34×0.5 + 418×3 + 438×3 (thoughts at the output price), per 1M
  'gemini/firebase_template_test_response': { model: 'gemini-3-flash-preview', total: '0.002585', genai: { provider: 'google', flavor: 'default' } },
  // 181×0.3 + 96×2.5 + 86×2.5
  'gemini/googleai_code_execution': { model: 'gemini-2.5-flash', total: '0.0005093', genai: { provider: 'google', flavor: 'default' } },
  // 770×0.3 + 11243×0.03 + 15×2.5 + 73×2.5
  'gemini/vertexai_implicit_caching': { model: 'gemini-2.5-flash', total: '0.00078829', genai: { provider: 'google', flavor: 'default' } },
  // 1117×2.5 + 46×10
  'openai_chat/chat_completion_object': { model: 'gpt-4o-2024-08-06', total: '0.0032525', genai: { provider: 'openai', flavor: 'chat' } },
  // 79×2.5 + 14×10
  'openai_chat/structured_output_recorded': { model: 'gpt-4o-2024-08-06', total: '0.0003375', genai: { provider: 'openai', flavor: 'chat' } },
  // 328×2.5 + 52×10
  'openai_responses/response_object': { model: 'gpt-4o-2024-08-06', total: '0.00134', genai: { provider: 'openai', flavor: 'responses' } },
};
const PROVIDER = { openai_chat: 'openai', openai_responses: 'openai', anthropic: 'anthropic', gemini: 'google' } as const;

let view: CatalogView;
beforeAll(async () => {
  view = await snapshotView();
});

const named = responseBodies().filter((body) => EXACT[body.name] !== undefined);

test('every example that names its model is covered', () => {
  expect(named.map((body) => body.name).sort()).toEqual(Object.keys(EXACT).sort());
});

test.each(named.map((body) => [body.name, body] as const))('%s: the exact total, and genai-prices agrees', (name, body) => {
  const expected = EXACT[name]!;
  const read = normalizeResponse(body.exact, body.format);
  const provider = PROVIDER[body.format as keyof typeof PROVIDER];
  const resolved = resolveModel(view.byProvider.get(provider)!, provider, read.model!);
  expect(read.model).toBe(expected.model);
  const total = quote(resolved.entry!, { ...read.usage, service_tier: read.service_tier }).total_usd;
  expect(total).toBe(expected.total);
  // The API quotes from the reading's counts, zeros and all, with the tier beside them.
  const reading = readResponse(body.exact, body.format);
  expect(quote(resolved.entry!, reading.counts, undefined, reading.service_tier).total_usd).toBe(expected.total);

  const genaiProvider = findProvider({ providerId: expected.genai.provider })!;
  const extracted = extractUsage(genaiProvider, body.plain, expected.genai.flavor);
  const genai = calcPrice(extracted.usage, extracted.model!, { providerId: expected.genai.provider })!.total_price;
  expect(Math.abs(genai - Number(total))).toBeLessThanOrEqual(1e-9 * Number(total));
});
