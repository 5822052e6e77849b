// tariff's configuration: every environment variable it reads, parsed once,
// validated, documented, and frozen. `.env.example` and docs/configuration.md are
// generated from the descriptions here (`npm run config:docs`).
import { z } from 'zod';
import { defaultSourceFor, isSourceName, SOURCE_LIST, SOURCE_NAMES } from './upstreams.ts';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

const list = (fallback: string) =>
  z.string().default(fallback).transform((text) =>
    text.split(',').map((item) => item.trim()).filter((item) => item.length > 0));

const int = (fallback: number, min: number, max = Number.MAX_SAFE_INTEGER) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

const fraction = (fallback: number) => z.coerce.number().gt(0).default(fallback);

/** An on/off variable: `true` or `false`. */
const flag = () => z.enum(['true', 'false']).default('false').transform((text) => text === 'true');

const url = (fallback: string) => z.url({ protocol: /^https?$/ }).default(fallback);

const optionalUrl = z
  .string()
  .optional()
  .transform((text) => (text === undefined || text.trim() === '' ? undefined : text.trim()))
  .pipe(z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// connection string').optional());

const cron = (fallback: string) =>
  z.string().default(fallback).refine((text) => text.trim().split(/\s+/).length === 5, 'must be a 5-field cron pattern');

export const envSchema = z.object({
  DATABASE_URL: optionalUrl.describe(
    'PostgreSQL connection string for the worker and migrations. Unset: `npm start` runs an embedded PostgreSQL in EMBEDDED_POSTGRES_DIR.'),
  API_DATABASE_URL: optionalUrl.describe(
    'Connection string for API instances (a read-only role is enough). Falls back to DATABASE_URL.'),
  RUN_MIGRATIONS: z.stringbool().default(true).describe(
    'Whether `npm start` and the worker apply migrations at start. false: a separate `npm run migrate`, run as the schema owner, does it, and the worker (a login in DB_WRITER_ROLE) waits for the schema.'),
  PORT: int(8000, 0, 65535).describe('HTTP port of the API.'),
  HOST: z.string().min(1).default('127.0.0.1').describe('Interface the API listens on; 0.0.0.0 in containers.'),
  ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters').optional()
    .describe('Bearer token for /admin routes. Unset: admin routes refuse every request.'),
  LOG_LEVEL: z.enum(LOG_LEVELS).default('info').describe(`pino log level: ${LOG_LEVELS.join(', ')}.`),
  PROVIDERS_IN_USE: list('openrouter,anthropic,openai,google')
    .pipe(z.array(z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'provider ids are lower-case letters, digits, . _ -')).min(1))
    .describe('Comma list of the providers whose prices tariff keeps fresh.'),
  PROVIDER_SOURCES: list('').describe(
    `Per-provider source overrides, \`provider=source[:upstream_id]\` (sources: ${SOURCE_NAMES.join(', ')}), e.g. \`bedrock=litellm,google=litellm:gemini\`. Default: ${
      SOURCE_LIST.filter((s) => s.feeds).map((s) => `${s.feeds!.join(', ')} from ${s.title}`).join('; ')}, the rest from ${defaultSourceFor('').title}.`),
  MODEL_COST_STALENESS_SECONDS: int(14400, 0).describe(
    'A scheduled sync skips a provider whose last successful sync is newer than this.'),
  FX_CURRENCIES: list('ZAR')
    .pipe(z.array(z.string().regex(/^[A-Z]{3}$/, 'currencies are ISO 4217 codes such as ZAR')))
    .describe('Comma list of currencies to keep USD exchange rates for.'),
  YAHOO_FINANCE_URL: url('https://query2.finance.yahoo.com').describe(
    'Yahoo Finance origin for exchange-rate quotes. Any non-Yahoo origin (a proxy, a test server) receives every request of the quote flow: cookie page, crumb and quote.'),
  SYNC_SCHEDULE: cron('0 * * * *').describe('Cron pattern (UTC) of the scheduled sync_provider jobs.'),
  FX_SCHEDULE: cron('0 * * * *').describe('Cron pattern (UTC) of the scheduled refresh_fx job.'),
  SYNC_MAX_ATTEMPTS: int(5, 1, 100).describe('Attempts per sync job before it is left failed.'),
  WORKER_CONCURRENCY: int(2, 1, 64).describe('Jobs one worker process runs at once.'),
  WORKER_RECOVERY_INTERVAL_MS: int(30_000, 100).describe(
    'How often a worker looks for jobs held by workers that died (SIGKILL, lost host) and releases them.'),
  GUARD_MAX_REMOVED_FRACTION: fraction(0.2).describe(
    'A sync that would remove more than this fraction of a provider\'s priced models is rejected (unless forced).'),
  GUARD_MAX_PRICE_RATIO: z.coerce.number().gt(1).default(10).describe(
    'A sync in which any price (tiers included) moves by this factor or more, either way, is rejected (unless forced).'),
  FX_MAX_JUMP_FRACTION: fraction(0.25).describe(
    'A new exchange rate more than this fraction away from the last one is rejected (unless forced).'),
  UPSTREAM_CONNECT_TIMEOUT_MS: int(10_000, 1).describe('Connect timeout for upstream requests.'),
  UPSTREAM_HEADERS_TIMEOUT_MS: int(30_000, 1).describe('Time to wait for an upstream\'s response headers.'),
  UPSTREAM_BODY_TIMEOUT_MS: int(30_000, 1).describe('Longest silence allowed while an upstream body streams.'),
  UPSTREAM_TOTAL_TIMEOUT_MS: int(120_000, 1).describe('Longest a whole upstream request may take.'),
  UPSTREAM_MAX_BYTES: int(64 * 1024 * 1024, 1024).describe('Largest upstream body accepted (after decompression).'),
  CATALOG_CHECK_INTERVAL_MS: int(30_000, 100).describe(
    'How often an API instance compares its catalog version with the database, as a backstop to LISTEN/NOTIFY; also the longest a silent (half-open) LISTEN connection goes unnoticed before it is replaced.'),
  CHANGES_HEARTBEAT_MS: int(15_000, 10).describe(
    'How often GET /costs/changes sends a comment to an idle stream, so proxies between it and its client keep the connection open.'),
  CHANGES_MAX_BUFFER_BYTES: int(1024 * 1024, 1).describe(
    'Bytes a GET /costs/changes stream may have waiting for a client that does not read; past it, the client is disconnected (it resumes from its last event id).'),
  SHUTDOWN_TIMEOUT_MS: int(25_000, 100).describe(
    'How long a graceful shutdown waits for requests and jobs before it gives up.'),
  DB_READER_ROLE: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case PostgreSQL role name').default('tariff_reader')
    .describe('Group role migrations create and grant read access to, for API instances (API_DATABASE_URL\'s login joins it).'),
  DB_WRITER_ROLE: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case PostgreSQL role name').default('tariff_writer')
    .describe('Group role migrations create and grant write access to, for workers.'),
  EMBEDDED_POSTGRES_DIR: z.string().min(1).default('.data/postgres').describe(
    'Data directory of the embedded PostgreSQL (used when DATABASE_URL is unset).'),
  EMBEDDED_POSTGRES_PORT: int(54320, 1, 65535).describe('Port of the embedded PostgreSQL.'),
  WEBHOOK_SECRET_KEY: z.string().trim()
    .regex(/^(?:[0-9a-fA-F]{64}|[A-Za-z0-9+/]{43}=)$/, 'must be 32 bytes as 64 hex digits or base64 (44 characters)').optional()
    .describe('Key (32 bytes, hex or base64) that encrypts webhook signing secrets at rest. Unset: the embedded `npm start` generates one beside EMBEDDED_POSTGRES_DIR; elsewhere webhooks cannot be created (503) or signed.'),
  WEBHOOK_ALLOW_HTTP: flag().describe('Accept http:// webhook URLs (https only otherwise).'),
  WEBHOOK_ALLOW_PRIVATE: flag().describe(
    'Allow webhook URLs that resolve to loopback, private, link-local or metadata addresses (refused otherwise, at creation and at every delivery).'),
  WEBHOOK_CONCURRENCY: int(8, 1, 256).describe(
    'Webhook deliveries one worker process sends at once, on a runner of their own (never delaying syncs); one at a time per endpoint.'),
  WEBHOOK_CONNECT_TIMEOUT_MS: int(5_000, 1).describe('Connect timeout for a webhook delivery.'),
  WEBHOOK_RESPONSE_TIMEOUT_MS: int(10_000, 1).describe('Time a webhook receiver has to answer with its headers.'),
  WEBHOOK_TOTAL_TIMEOUT_MS: int(15_000, 1).describe('Longest one webhook delivery attempt may take, response body included.'),
  WEBHOOK_RETRY_BASE_MS: int(10_000, 1).describe(
    'Delay before the first retry of a failed delivery; each further retry waits twice as long (with jitter), up to WEBHOOK_RETRY_MAX_DELAY_MS.'),
  WEBHOOK_RETRY_MAX_DELAY_MS: int(3_600_000, 1).describe('Longest wait between two attempts of a delivery (a Retry-After may ask for more, within the window).'),
  WEBHOOK_RETRY_WINDOW_SECONDS: int(86_400, 1).describe('How long after its event a delivery is retried before it is marked failed.'),
  WEBHOOK_MAX_CONSECUTIVE_FAILURES: int(30, 1).describe(
    'Failed attempts in a row (over any of its deliveries) after which an endpoint is disabled.'),
  WEBHOOK_SECRET_ROTATION_SECONDS: int(86_400, 0).describe(
    'After a secret rotation, how long deliveries carry a second signature made with the old secret.'),
  RETENTION_SCHEDULE: cron('30 3 * * *').describe(
    'Cron pattern (UTC) of the apply_retention job, which deletes the rows the next three variables let go. price_history and pricing_sync_log, the audit trail, are always kept.'),
  WEBHOOK_EVENT_RETENTION_DAYS: int(30, 1).describe(
    'Webhook events older than this, with every delivery of them ended (delivered, failed or cancelled), are deleted with their deliveries.'),
  WORKER_HEARTBEAT_RETENTION_HOURS: int(24, 1).describe(
    'Worker heartbeat rows expired longer than this (workers that stopped without removing them) are deleted.'),
  DISCREPANCY_REPORTS_KEPT: int(100, 2).describe(
    'Discrepancy reports kept, the latest ones; at least 2, since a new report is compared with the one before.'),
});

/** One URL variable per registered source (MODELS_DEV_URL, …), named by the source itself. */
export const sourceUrlSchema = z.object(Object.fromEntries(SOURCE_LIST.map((source) =>
  [source.url.env, url(source.url.default).describe(`Where ${source.title} is fetched from.`)])));

/** Every variable tariff reads, for the generated docs. */
export const CONFIG_VARIABLES: Readonly<Record<string, z.ZodType>> = { ...envSchema.shape, ...sourceUrlSchema.shape };

export type Env = z.input<typeof envSchema>;

export interface ProviderSource {
  provider: string;
  /** A known source's name (upstreams.ts). */
  source: string;
  /** The provider's id in its source (models.dev provider id, litellm_provider). */
  upstream_id: string;
  /** Set by PROVIDER_SOURCES rather than by default. */
  explicit: boolean;
}

export type Config = Readonly<z.output<typeof envSchema> & {
  providers: readonly ProviderSource[];
  /** Each source's URL by source name. */
  sourceUrls: Readonly<Record<string, string>>;
}>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Parses the environment, failing with every bad variable named. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const known = Object.fromEntries(Object.keys(CONFIG_VARIABLES).map((key) => [key, env[key]]));
  const parsed = envSchema.safeParse(known);
  const urls = sourceUrlSchema.safeParse(known);
  if (!parsed.success || !urls.success) {
    const problems = [...(parsed.error?.issues ?? []), ...(urls.error?.issues ?? [])]
      .map((issue) => `${issue.path.join('.') || '(env)'}: ${issue.message}`);
    throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  }
  const providers = resolveProviderSources(parsed.data.PROVIDERS_IN_USE, parsed.data.PROVIDER_SOURCES);
  const sourceUrls = Object.fromEntries(SOURCE_LIST.map((source) => [source.name, urls.data[source.url.env] as string]));
  return deepFreeze({ ...parsed.data, ...urls.data, providers, sourceUrls });
}

function resolveProviderSources(inUse: string[], overrides: string[]): ProviderSource[] {
  const explicit = new Map<string, ProviderSource>();
  for (const entry of overrides) {
    const match = /^([^=\s]+)=([a-z_]+)(?::(\S+))?$/.exec(entry);
    if (!match) throw new ConfigError(`PROVIDER_SOURCES: "${entry}" is not provider=source[:upstream_id]`);
    const [, provider = '', source = '', upstream] = match;
    if (!isSourceName(source)) {
      throw new ConfigError(`PROVIDER_SOURCES: unknown source "${source}" for ${provider} (known: ${SOURCE_NAMES.join(', ')})`);
    }
    if (!inUse.includes(provider)) {
      throw new ConfigError(`PROVIDER_SOURCES: provider "${provider}" is not in PROVIDERS_IN_USE`);
    }
    explicit.set(provider, { provider, source, upstream_id: upstream ?? provider, explicit: true });
  }
  const seen = new Set<string>();
  return inUse.map((provider) => {
    if (seen.has(provider)) throw new ConfigError(`PROVIDERS_IN_USE: provider "${provider}" is listed twice`);
    seen.add(provider);
    return explicit.get(provider) ?? { provider, source: defaultSourceFor(provider).name, upstream_id: provider, explicit: false };
  });
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
