// Quotes in every price dimension, on real records from the real fixtures.
import { type CatalogEntry, type PriceRecord, quote, QuoteError, type QuoteUsage } from '@tariff/pricing';
import { parseLiteLlm } from '../../src/sources/litellm.ts';
import { parseModelsDev } from '../../src/sources/models_dev.ts';
import { parseOpenRouter } from '../../src/sources/openrouter.ts';
import { parseGenaiPrices } from '../../src/sources/genai_prices.ts';
import { GENAI_PRICES, LITELLM, MODELS_DEV, OPENROUTER, fixturePayload, recordOf } from '../sources/fixtures.ts';

function entry(provider: string, record: PriceRecord): CatalogEntry {
  return { ...record, provider, source: 'test', effective_at: '2026-01-01T00:00:00.000Z', last_seen_at: null, removed_at: null, override_reason: null };
}
const modelsDev = (provider: string, model: string) => entry(provider, recordOf(parseModelsDev(fixturePayload(MODELS_DEV), provider), model));
const openRouter = (model: string) => entry('openrouter', recordOf(parseOpenRouter(fixturePayload(OPENROUTER)), model));
const liteLlm = (provider: string, model: string) => entry(provider, recordOf(parseLiteLlm(fixturePayload(LITELLM), provider), model));
const genai = (provider: string, model: string) => entry(provider, recordOf(parseGenaiPrices(fixturePayload(GENAI_PRICES), provider), model));
const usage = (buckets: Partial<QuoteUsage>): QuoteUsage => ({ input_tokens: 0, output_tokens: 0, ...buckets });

function quoteError(run: () => unknown): QuoteError {
  try {
    run();
  } catch (err) {
    if (err instanceof QuoteError) return err;
    throw err;
  }
  throw new Error('expected a QuoteError');
}

describe('quotes in every dimension', () => {
  test('google/gemini-2.5-flash (models.dev): 1,000,000 audio input tokens cost exactly $1, not the $0.30 text price', () => {
    const result = quote(modelsDev('google', 'gemini-2.5-flash'), usage({ input_audio_tokens: 1_000_000 }));
    expect(result.components.input_audio_tokens).toEqual({ units: 1_000_000, unit_price: '1', cost_usd: '1', source: 'test' });
    expect(result.total_usd).toBe('1');
  });

  test('OpenRouter google/gemini-3.1-flash-lite: one web search adds $0.014 per search', () => {
    const result = quote(openRouter('google/gemini-3.1-flash-lite'), usage({ input_tokens: 1000, output_tokens: 100, web_search_requests: 1 }));
    // 1000×0.25/1M + 100×1.5/1M + 1×0.014
    expect(result.components.web_search_requests).toEqual({ units: 1, unit_price: '0.014', cost_usd: '0.014', source: 'test' });
    expect(result.total_usd).toBe('0.0144');
  });

  test('an image input bills at the input price where the provider documents it (Google\'s rule), named as the price\'s source', () => {
    const result = quote(modelsDev('google', 'gemini-2.5-flash'), usage({ input_image_tokens: 1000 }));
    expect(result.components.input_image_tokens).toEqual({
      units: 1000, unit_price: '0.3', cost_usd: '0.0003', priced_as: 'input_tokens', source: 'rule:gemini_image_video_input',
    });
  });

  test('a modality the model accepts but no source prices is a QuoteError naming it, never the text price', () => {
    // models.dev lists audio among gemini-2.5-pro's input modalities, and prices none.
    const error = quoteError(() => quote(modelsDev('google', 'gemini-2.5-pro'), usage({ input_tokens: 10, input_audio_tokens: 1000 })));
    expect(error).toMatchObject({ code: 'dimension_unpriced', details: { dimensions: ['input_audio_tokens'] } });
    // The same record served by a provider with no text-rate rule prices no image input either.
    expect(quoteError(() => quote(entry('302ai', recordOf(parseModelsDev(fixturePayload(MODELS_DEV), 'google'), 'gemini-2.5-pro')), usage({ input_image_tokens: 5 }))))
      .toMatchObject({ details: { dimensions: ['input_image_tokens'] } });
  });

  test('a bucket with units and no price of its own, nor one the source says covers it, is a QuoteError naming it', () => {
    const error = quoteError(() => quote(modelsDev('anthropic', 'claude-sonnet-4-5'), usage({ input_tokens: 10, output_audio_tokens: 5 })));
    expect(error).toMatchObject({ code: 'dimension_unpriced', details: { dimensions: ['output_audio_tokens'] } });
    expect(error.message).toMatch(/^usage\.output_audio_tokens: /);
    // Audio input is not among the modalities claude-sonnet-4-5 lists: no silent text price either.
    expect(quoteError(() => quote(modelsDev('anthropic', 'claude-sonnet-4-5'), usage({ input_audio_tokens: 5 }))))
      .toMatchObject({ details: { dimensions: ['input_audio_tokens'] } });
  });

  test('1-hour cache writes bill at their own price, and at the long-context tier\'s above it (LiteLLM anthropic)', () => {
    const sonnet = liteLlm('anthropic', 'claude-sonnet-4-5');
    const short = quote(sonnet, usage({ input_tokens: 1000, cache_write_tokens: 1000, cache_write_1h_tokens: 1000 }));
    expect(short.components.cache_write).toMatchObject({ unit_price: '3.75' });
    expect(short.components.cache_write_1h_tokens).toEqual({ units: 1000, unit_price: '6', cost_usd: '0.006', source: 'test' });
    const long = quote(sonnet, usage({ input_tokens: 199_000, cache_write_1h_tokens: 2000 }));
    expect(long.tier).toEqual({ above_input_tokens: 200_000 });
    expect(long.components.cache_write_1h_tokens).toEqual({ units: 2000, unit_price: '12', cost_usd: '0.024', source: 'test' });
  });

  test('a 1-hour cache write on a model with no 1-hour price is refused, not billed as a 5-minute one', () => {
    expect(quoteError(() => quote(modelsDev('anthropic', 'claude-sonnet-4-5'), usage({ cache_write_1h_tokens: 100 }))))
      .toMatchObject({ code: 'dimension_unpriced', details: { dimensions: ['cache_write_1h_tokens'] } });
  });

  test('service tiers are price variants of one model: batch and priority bill at their own prices', () => {
    const gpt = liteLlm('openai', 'gpt-4o');
    const standard = quote(gpt, usage({ input_tokens: 1_000_000, output_tokens: 1_000_000 }));
    const batch = quote(gpt, usage({ input_tokens: 1_000_000, output_tokens: 1_000_000, service_tier: 'batch' }));
    expect(standard.total_usd).toBe('12.5');
    expect(batch.service_tier).toMatchObject({ name: 'batch' });
    expect(batch.total_usd).toBe('6.25');
    const priority = quote(gpt, usage({ input_tokens: 1_000_000, service_tier: 'priority' }));
    expect(priority.components.input).toMatchObject({ unit_price: '4.25' });
  });

  test('reasoning on a service tier that prices output but not reasoning bills at the tier\'s output price, not the standard reasoning price', () => {
    // LiteLLM gemini/gemini-3.1-flash-lite: output 1.5, reasoning 1.5, flex output 0.75 and no flex reasoning price.
    const lite = liteLlm('gemini', 'gemini-3.1-flash-lite');
    const flex = quote(lite, usage({ output_tokens: 1_000_000, reasoning_tokens: 1_000_000, service_tier: 'flex' }));
    expect(flex.components.reasoning).toMatchObject({ units: 1_000_000, unit_price: '0.75', cost_usd: '0.75', priced_as: 'output_tokens' });
    expect(flex.service_tier.fallback).not.toContain('reasoning_tokens');
    expect(flex.total_usd).toBe('1.5');
    expect(quote(lite, usage({ reasoning_tokens: 1_000_000 })).components.reasoning).toMatchObject({ unit_price: '1.5' });
  });

  test('a service tier the model has no price for is a QuoteError, never a silent standard price', () => {
    const error = quoteError(() => quote(modelsDev('anthropic', 'claude-sonnet-4-5'), usage({ input_tokens: 10, service_tier: 'flex' })));
    expect(error).toMatchObject({ code: 'service_tier_unavailable', details: { service_tier: 'flex', available: ['standard'] } });
  });

  test('per-unit prices: images generated and seconds of video, exactly', () => {
    const titan = liteLlm('bedrock', 'amazon.titan-image-generator-v1');
    expect(quote(titan, usage({ images: 3 })).total_usd).toBe('0.024');
    const pegasus = liteLlm('bedrock', 'twelvelabs.pegasus-1-2-v1:0');
    expect(quote(pegasus, usage({ input_video_seconds: 60, output_tokens: 1000 })).total_usd).toBe('0.0369');
    // Its input is priced per second of video only: text input tokens cannot be quoted.
    expect(quoteError(() => quote(pegasus, usage({ input_tokens: 10 })))).toMatchObject({ details: { dimensions: ['input_tokens'] } });
  });
});

describe('prices that depend on when the call was made (genai-prices)', () => {
  test('DeepSeek bills a call at the off-peak price inside its UTC window and the standard price outside it', () => {
    const chat = genai('deepseek', 'deepseek-chat');
    const call = usage({ input_tokens: 1_000_000, output_tokens: 1_000_000 });
    // 00:30–16:30 UTC is the standard price (0.27 / 1.1); the rest of the day the discount (0.135 / 0.55).
    expect(quote(chat, call, new Date('2026-03-01T12:00:00Z')).total_usd).toBe('1.37');
    expect(quote(chat, call, new Date('2026-03-01T20:00:00Z')).total_usd).toBe('0.685');
    expect(quote(chat, call, new Date('2026-03-01T00:29:59Z')).total_usd).toBe('0.685');
    expect(quote(chat, call, new Date('2026-03-01T00:30:00Z')).total_usd).toBe('1.37');
  });

  test('a price announced from a date applies from that date on', () => {
    const sonnet = genai('anthropic', 'claude-sonnet-5');
    const call = usage({ input_tokens: 1_000_000 });
    expect(quote(sonnet, call, new Date('2026-08-31T23:59:59Z')).components.input).toMatchObject({ unit_price: '2' });
    expect(quote(sonnet, call, new Date('2026-09-01T00:00:00Z')).components.input).toMatchObject({ unit_price: '3' });
  });
});
