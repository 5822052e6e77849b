// The document's component schemas: the price record and its lists, from the
// unit registry, the catalog delta, the unit legend and the error body.
import { ORIGINAL_DIMENSIONS, UNITS } from '@tariff/pricing';

const decimal = (description: string) => ({ type: ['string', 'null'], pattern: '^\\d+(\\.\\d+)?$', description });

/** Every price dimension, from the unit registry: its unit and parent, in the document itself. */
const unitPrices = {
  type: 'object',
  description: 'Prices by dimension (unit id), exact decimal strings in USD per the unit given for each; a dimension without a price is absent.',
  properties: Object.fromEntries(Object.entries(UNITS).map(([id, unit]) => [id, {
    type: 'string', pattern: '^\\d+(\\.\\d+)?$',
    description: `USD per ${unit.per}. ${unit.description}${unit.parent ? ` Part of ${unit.parent}.` : ''}`,
  }])),
  additionalProperties: false,
};
const priceList = {
  type: 'object',
  properties: {
    prices: unitPrices,
    tiers: { type: 'array', items: { type: 'object', properties: { above_input_tokens: { type: 'integer' }, prices: unitPrices } } },
  },
};

const PRICE_RECORD = {
  type: 'object',
  description: 'A model\'s served price. The original fields (input_cost_per_1m_tokens …) are kept as they were; `prices` holds every dimension.',
  properties: {
    model_id: { type: 'string' },
    name: { type: ['string', 'null'] },
    state: { enum: ['priced', 'free', 'dynamic', 'unpriced'], description: 'dynamic and unpriced models carry null prices, never 0.' },
    ...Object.fromEntries(ORIGINAL_DIMENSIONS.map((d) =>
      [d.answer, decimal(`USD per ${UNITS[d.unit].per}: ${UNITS[d.unit].description} (= prices.${d.unit}).`)])),
    tiers: { type: 'array', description: 'Long-context tiers: above above_input_tokens prompt tokens, the tier\'s prices replace the base prices for the whole request.', items: { type: 'object', properties: { above_input_tokens: { type: 'integer' }, prices: unitPrices } } },
    prices: unitPrices,
    service_tiers: { type: 'object', description: 'Price variants by service tier (flex, priority, batch); absent when none.', additionalProperties: priceList },
    speed_modes: { type: 'object', description: 'Price lists by speed (`fast`: Anthropic fast mode) as a source publishes them; absent when none.', additionalProperties: priceList },
    multipliers: {
      type: 'object', additionalProperties: { type: 'string' },
      description: 'Multipliers a source publishes for a price modifier, by `<usage field>=<value>` (`speed=fast`, `inference_geo=us`): exact decimals on every standard price; absent when none.',
    },
    unsupported_prices: { type: 'array', items: { type: 'object', properties: { field: { type: 'string' }, value: { type: 'string' } } }, description: 'Non-zero prices the source publishes in dimensions tariff cannot bill, as published; absent when none.' },
    variants: { type: 'array', description: 'Prices in effect from a date (`from`) or in a UTC time-of-day window; absent when none.', items: { type: 'object', properties: { from: { type: 'string' }, window: { type: 'object' }, ...priceList.properties } } },
    source: { type: 'string', description: 'The provider\'s primary source (PROVIDER_SOURCES), or `manual` for an operator override.' },
    price_sources: {
      type: 'object', additionalProperties: { type: 'string' },
      description: 'The source of every priced dimension: `input_tokens`, `tier>200000.input_tokens`, `batch.input_tokens`, `fast.input_tokens`, `variants[0].input_tokens`, `multipliers.speed=fast` → a source name. A dimension the primary source leaves unpriced is filled from another source that prices the same model at the same provider.',
    },
    updated_at: { type: 'string', format: 'date-time' },
  },
};

const MODEL_KEY = { type: 'object', required: ['provider', 'model_id'], properties: { provider: { type: 'string' }, model_id: { type: 'string' } } };

const CATALOG_DELTA = {
  type: 'object',
  description: 'GET /costs?since=: what changed after `since` (0: everything). `changed` holds the records as the pricing core (@tariff/pricing CatalogEntry) holds them, so a client builds the same catalog the server serves.',
  required: ['catalog_version', 'since', 'last_updated', 'synced', 'stale', 'providers', 'exchange_rates', 'changed', 'removed'],
  properties: {
    catalog_version: { type: 'integer' },
    since: { type: 'integer' },
    last_updated: { type: 'string', format: 'date-time' },
    synced: { type: 'integer', description: 'Successful syncs so far: moves with providers\' last_synced_at.' },
    stale: { type: 'boolean' },
    providers: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' }, source: { type: 'string' }, upstream_id: { type: 'string' }, in_use: { type: 'boolean' }, last_synced_at: { type: ['string', 'null'] } } } },
    exchange_rates: { type: 'array', items: { type: 'object', properties: { base: { type: 'string' }, quote: { type: 'string' }, rate: { type: 'string' }, market_time: { type: 'string' }, source: { type: 'string' } } } },
    changed: { type: 'array', items: { type: 'object', required: ['provider', 'model_id'], properties: { provider: { type: 'string' }, model_id: { type: 'string' } }, additionalProperties: true } },
    removed: { type: 'array', items: MODEL_KEY },
  },
};

export const COMPONENTS = {
  securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN' } },
  schemas: {
    PriceRecord: PRICE_RECORD,
    CatalogDelta: CATALOG_DELTA,
    Units: {
      type: 'object', description: 'GET /costs `units`: each dimension\'s unit and parent.',
      properties: Object.fromEntries(Object.entries(UNITS).map(([id, unit]) => [id, { type: 'object', description: `per ${unit.per}`, properties: { per: { const: unit.per }, parent: { const: unit.parent } } }])),
    },
    Error: {
      type: 'object', required: ['error'],
      properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' }, details: {} } } },
    },
  },
};
