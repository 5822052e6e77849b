// The registry of price dimensions ("units"). Every price tariff keeps is a
// price per one of these units, and every usage bucket a quote accepts is one
// of them. Each unit names its parent: the bucket it is a part of (audio input
// tokens are input tokens), whose price it may be billed at when the source
// says the base price covers it. A new dimension is one line here.

export interface Unit {
  /** What the price is per: "1M tokens", "request", "image", "second", "character". */
  readonly per: string;
  /** 10^scale units per price: token prices are per 1M tokens (scale 6), the rest per unit (0). */
  readonly scale: 0 | 6;
  /** The bucket (a unit id) this one is part of, or null for a top-level bucket. */
  readonly parent: string | null;
  /** Which side of the call it is on, for long-context tiers (prompt size) and docs. */
  readonly side: 'input' | 'output' | 'call';
  readonly description: string;
}

const tokens = (parent: string | null, side: 'input' | 'output', description: string): Unit =>
  ({ per: '1M tokens', scale: 6, parent, side, description });
const each = (per: string, side: Unit['side'], description: string): Unit => ({ per, scale: 0, parent: null, side, description });

export const UNITS = {
  input_tokens: tokens(null, 'input', 'Text prompt tokens not read from or written to the cache.'),
  input_audio_tokens: tokens('input_tokens', 'input', 'Audio prompt tokens (not cached).'),
  input_image_tokens: tokens('input_tokens', 'input', 'Image prompt tokens (not cached).'),
  input_video_tokens: tokens('input_tokens', 'input', 'Video prompt tokens (not cached).'),
  cache_read_tokens: tokens('input_tokens', 'input', 'Prompt tokens read from the cache (text, or any modality without a price of its own).'),
  cache_read_audio_tokens: tokens('cache_read_tokens', 'input', 'Audio prompt tokens read from the cache.'),
  cache_write_tokens: tokens('input_tokens', 'input', 'Prompt tokens written to the cache with a 5-minute or unspecified lifetime.'),
  cache_write_1h_tokens: tokens('cache_write_tokens', 'input', 'Prompt tokens written to the cache with a 1-hour lifetime.'),
  output_tokens: tokens(null, 'output', 'Text output tokens, reasoning excluded.'),
  reasoning_tokens: tokens('output_tokens', 'output', 'Reasoning (thinking) output tokens.'),
  output_audio_tokens: tokens('output_tokens', 'output', 'Audio output tokens.'),
  output_image_tokens: tokens('output_tokens', 'output', 'Image output tokens.'),
  requests: each('request', 'call', 'Calls made; a per-request fee.'),
  web_search_requests: each('search request', 'call', 'Web searches the model ran.'),
  images: each('image', 'output', 'Images generated.'),
  input_images: each('image', 'input', 'Images sent as input, where priced per image.'),
  input_seconds: each('second', 'input', 'Seconds of input media (audio transcription, provisioned time).'),
  output_seconds: each('second', 'output', 'Seconds of generated media.'),
  input_audio_seconds: each('second', 'input', 'Seconds of input audio.'),
  input_video_seconds: each('second', 'input', 'Seconds of input video.'),
  output_video_seconds: each('second', 'output', 'Seconds of generated video.'),
  input_characters: each('character', 'input', 'Characters of input text, where priced per character.'),
  output_characters: each('character', 'output', 'Characters of output text, where priced per character.'),
} as const satisfies Record<string, Unit>;

export type UnitId = keyof typeof UNITS;

/** The parent of a unit, typed: UNITS lists parents as plain strings to stay non-circular. */
export function parentOf(unit: UnitId): UnitId | null {
  return UNITS[unit].parent as UnitId | null;
}
export const UNIT_IDS = Object.keys(UNITS) as UnitId[];

/** Prices by unit id: USD per the unit's `per`, as canonical decimal strings. Absent: no price of its own. */
export type UnitPrices = Partial<Record<UnitId, string>>;

/**
 * The six original dimensions, each spelled once here in every form it takes:
 * its unit id, the price record's field (`input`), the answers' field
 * (`input_cost_per_1m_tokens`), the quote component's name (`input`) and the
 * database column (`input_per_1m`). Every mapping between these spellings
 * derives from this table.
 */
export const ORIGINAL_DIMENSIONS = [
  { unit: 'input_tokens', field: 'input', answer: 'input_cost_per_1m_tokens', component: 'input', column: 'input_per_1m' },
  { unit: 'output_tokens', field: 'output', answer: 'output_cost_per_1m_tokens', component: 'output', column: 'output_per_1m' },
  { unit: 'cache_read_tokens', field: 'cache_read', answer: 'cache_read_cost_per_1m_tokens', component: 'cache_read', column: 'cache_read_per_1m' },
  {
    unit: 'cache_write_tokens', field: 'cache_write', answer: 'cache_write_cost_per_1m_tokens', component: 'cache_write',
    column: 'cache_write_per_1m',
  },
  { unit: 'reasoning_tokens', field: 'reasoning', answer: 'reasoning_cost_per_1m_tokens', component: 'reasoning', column: 'reasoning_per_1m' },
  { unit: 'requests', field: 'request', answer: 'request_cost', component: 'requests', column: 'request_fee' },
] as const satisfies ReadonlyArray<{ unit: UnitId; field: string; answer: string; component: string; column: string }>;

export type OriginalDimension = (typeof ORIGINAL_DIMENSIONS)[number];
/** The price record's fields of the six original dimensions. */
export type OriginalField = OriginalDimension['field'];
/** The five original token dimensions: what a long-context tier's original fields hold (a tier has no request fee). */
export const ORIGINAL_TOKEN_DIMENSIONS = ORIGINAL_DIMENSIONS.filter((d) => d.unit !== 'requests');

/** The unit held in each original field. */
export const LEGACY_UNIT = Object.fromEntries(ORIGINAL_DIMENSIONS.map((d) => [d.field, d.unit])) as {
  readonly [D in OriginalDimension as D['field']]: D['unit'];
};

/** The units with no original field: their prices live in a record's `extra` map. */
export const EXTRA_UNITS = UNIT_IDS.filter((id) => !ORIGINAL_DIMENSIONS.some((d) => d.unit === id));
export type ExtraUnitId = Exclude<UnitId, OriginalDimension['unit']>;

/** Whether a unit is priced per 1M tokens (the others: per request, image, second, …). */
export const isTokenUnit = (unit: UnitId): boolean => UNITS[unit].scale === 6;

/** Prompt-side token units: their sum is the prompt size that long-context tiers compare with. */
export const PROMPT_UNITS = UNIT_IDS.filter((id) => UNITS[id].side === 'input' && isTokenUnit(id));

/** Variants of a model's price by service tier; `standard` is the record's own prices. */
export const SERVICE_TIERS = ['standard', 'flex', 'priority', 'batch'] as const;
export type ServiceTier = (typeof SERVICE_TIERS)[number];

/**
 * Price lists by speed (Anthropic's `speed`): a mode's list replaces the
 * standard prices for a call the response says ran at that speed. Standard
 * speed is the record's own prices. A mode's name is its provenance prefix
 * (`fast.input_tokens`), distinct from every service tier's.
 */
export const SPEED_MODES = ['fast'] as const;
export type SpeedMode = (typeof SPEED_MODES)[number];

export function isUnitId(text: string): text is UnitId {
  return Object.hasOwn(UNITS, text);
}
