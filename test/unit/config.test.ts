import { loadConfig, ConfigError } from '../../src/config.ts';

describe('configuration', () => {
  test('defaults match the documented values', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(8000);
    expect(config.PROVIDERS_IN_USE).toEqual(['openrouter', 'anthropic', 'openai', 'google']);
    expect(config.MODEL_COST_STALENESS_SECONDS).toBe(14400);
    expect(config.FX_CURRENCIES).toEqual(['ZAR']);
    expect(config.sourceUrls).toEqual({
      models_dev: 'https://models.dev/api.json',
      openrouter: 'https://openrouter.ai/api/v1/models',
      litellm: 'https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json',
      genai_prices: 'https://raw.githubusercontent.com/pydantic/genai-prices/main/prices/new_data/v2/data.json',
    });
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.providers).toEqual([
      { provider: 'openrouter', source: 'openrouter', upstream_id: 'openrouter', explicit: false },
      { provider: 'anthropic', source: 'models_dev', upstream_id: 'anthropic', explicit: false },
      { provider: 'openai', source: 'models_dev', upstream_id: 'openai', explicit: false },
      { provider: 'google', source: 'models_dev', upstream_id: 'google', explicit: false },
    ]);
  });

  test('the parsed configuration is frozen', () => {
    const config = loadConfig({});
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.providers[0])).toBe(true);
  });

  test.each([
    ['PORT', 'eighty', /PORT/],
    ['PORT', '70000', /PORT/],
    ['DATABASE_URL', 'mysql://x', /DATABASE_URL: must be a postgres/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL/],
    ['ADMIN_TOKEN', 'short', /ADMIN_TOKEN: must be at least 16 characters/],
    ['MODELS_DEV_URL', 'ftp://models.dev', /MODELS_DEV_URL/],
    ['FX_CURRENCIES', 'zar', /FX_CURRENCIES/],
    ['PROVIDERS_IN_USE', 'Open AI', /PROVIDERS_IN_USE/],
    ['SYNC_SCHEDULE', 'hourly', /SYNC_SCHEDULE: must be a 5-field cron pattern/],
    ['MODEL_COST_STALENESS_SECONDS', '-1', /MODEL_COST_STALENESS_SECONDS/],
  ])('a bad %s (%j) fails naming the variable', (key, value, message) => {
    expect(() => loadConfig({ [key]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [key]: value })).toThrow(message);
  });

  test('every bad variable is named at once', () => {
    expect(() => loadConfig({ PORT: 'x', LOG_LEVEL: 'loud' })).toThrow(/PORT.*LOG_LEVEL|LOG_LEVEL.*PORT/);
  });

  test('PROVIDER_SOURCES overrides the source per provider, with an optional upstream id', () => {
    const config = loadConfig({ PROVIDERS_IN_USE: 'openai,bedrock,google', PROVIDER_SOURCES: 'bedrock=litellm, google=litellm:gemini' });
    expect(config.providers).toEqual([
      { provider: 'openai', source: 'models_dev', upstream_id: 'openai', explicit: false },
      { provider: 'bedrock', source: 'litellm', upstream_id: 'bedrock', explicit: true },
      { provider: 'google', source: 'litellm', upstream_id: 'gemini', explicit: true },
    ]);
  });

  test.each([
    ['bedrock=scraper', /unknown source "scraper"/],
    ['azure=litellm', /provider "azure" is not in PROVIDERS_IN_USE/],
    ['bedrock', /not provider=source/],
  ])('PROVIDER_SOURCES %j is a startup error that names the problem', (value, message) => {
    expect(() => loadConfig({ PROVIDERS_IN_USE: 'bedrock', PROVIDER_SOURCES: value })).toThrow(message);
  });

  test('a provider listed twice is an error', () => {
    expect(() => loadConfig({ PROVIDERS_IN_USE: 'openai,openai' })).toThrow(/listed twice/);
  });
});
