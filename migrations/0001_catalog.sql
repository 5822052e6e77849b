-- Up Migration

-- Money is numeric everywhere; prices are USD per 1M tokens unless a column says otherwise.
-- JSON columns that carry money (tiers, history) hold decimal strings, so that no JSON
-- reader turns them into binary floats.

create table providers (
  id          text primary key check (id ~ '^[a-z0-9][a-z0-9._-]*$'),
  source      text not null check (source in ('models_dev', 'openrouter', 'litellm')),
  upstream_id text not null,
  in_use      boolean not null default false,
  updated_at  timestamptz not null default now(),
  last_synced_at timestamptz
);
comment on column providers.last_synced_at is 'When the last successful, applied (not dry-run) sync of this provider completed.';
comment on table providers is
  'Every provider tariff holds prices for, which upstream source feeds it (and under which id), and whether it is in use, i.e. kept fresh by syncs.';

create table model_prices (
  provider           text not null references providers (id),
  model_id           text not null check (length(model_id) between 1 and 512),
  name               text,
  state              text not null check (state in ('priced', 'free', 'dynamic', 'unpriced')),
  input_per_1m       numeric check (input_per_1m >= 0),
  output_per_1m      numeric check (output_per_1m >= 0),
  cache_read_per_1m  numeric check (cache_read_per_1m >= 0),
  cache_write_per_1m numeric check (cache_write_per_1m >= 0),
  reasoning_per_1m   numeric check (reasoning_per_1m >= 0),
  request_fee        numeric check (request_fee >= 0),
  tiers              jsonb not null default '[]' check (jsonb_typeof(tiers) = 'array'),
  source             text not null check (source in ('models_dev', 'openrouter', 'litellm', 'snapshot')),
  effective_at       timestamptz not null default now(),
  last_seen_at       timestamptz,
  removed_at         timestamptz,
  primary key (provider, model_id)
);
comment on table model_prices is
  'The current synced price of every (provider, model_id). request_fee is USD per request; tiers are long-context prices ([{above_tokens, input, output, ...}] as decimal strings). A model no longer listed upstream keeps its row with removed_at set; rows are never deleted.';
comment on column model_prices.effective_at is 'When this price took effect (the sync that last changed it).';
comment on column model_prices.last_seen_at is 'When a sync last saw this model upstream.';

create table price_overrides (
  provider           text not null references providers (id),
  model_id           text not null check (length(model_id) between 1 and 512),
  state              text not null check (state in ('priced', 'free', 'dynamic', 'unpriced')),
  input_per_1m       numeric check (input_per_1m >= 0),
  output_per_1m      numeric check (output_per_1m >= 0),
  cache_read_per_1m  numeric check (cache_read_per_1m >= 0),
  cache_write_per_1m numeric check (cache_write_per_1m >= 0),
  reasoning_per_1m   numeric check (reasoning_per_1m >= 0),
  request_fee        numeric check (request_fee >= 0),
  tiers              jsonb not null default '[]' check (jsonb_typeof(tiers) = 'array'),
  reason             text not null check (length(reason) between 1 and 500),
  created_at         timestamptz not null default now(),
  primary key (provider, model_id)
);
comment on table price_overrides is
  'Operator-set prices (negotiated rates) that win over synced prices until deleted.';

-- A union rather than a full join, so a lookup by (provider, model_id) reaches both
-- primary keys (API instances reload changed models by key).
create view current_prices as
select p.provider,
       p.model_id,
       p.name,
       o.provider is not null as overridden,
       o.reason as override_reason,
       case when o.provider is null then p.state else o.state end as state,
       case when o.provider is null then p.input_per_1m else o.input_per_1m end as input_per_1m,
       case when o.provider is null then p.output_per_1m else o.output_per_1m end as output_per_1m,
       case when o.provider is null then p.cache_read_per_1m else o.cache_read_per_1m end as cache_read_per_1m,
       case when o.provider is null then p.cache_write_per_1m else o.cache_write_per_1m end as cache_write_per_1m,
       case when o.provider is null then p.reasoning_per_1m else o.reasoning_per_1m end as reasoning_per_1m,
       case when o.provider is null then p.request_fee else o.request_fee end as request_fee,
       case when o.provider is null then p.tiers else o.tiers end as tiers,
       case when o.provider is null then p.source else 'manual' end as source,
       case when o.provider is null then p.effective_at else o.created_at end as effective_at,
       p.last_seen_at,
       -- an override keeps serving a model its upstream no longer lists
       case when o.provider is null then p.removed_at end as removed_at
  from model_prices p
  left join price_overrides o on o.provider = p.provider and o.model_id = p.model_id
union all
select o.provider, o.model_id, null, true, o.reason, o.state, o.input_per_1m, o.output_per_1m, o.cache_read_per_1m,
       o.cache_write_per_1m, o.reasoning_per_1m, o.request_fee, o.tiers, 'manual', o.created_at, null, null
  from price_overrides o
 where not exists (select from model_prices p where p.provider = o.provider and p.model_id = o.model_id);
comment on view current_prices is
  'The price served for every model: an operator override where one is set, else the synced price.';

create table pricing_sync_log (
  id               bigint generated always as identity primary key,
  kind             text not null default 'prices' check (kind in ('prices', 'fx')),
  provider         text not null,
  source           text,
  status           text not null check (status in ('in_progress', 'success', 'failed', 'rejected')),
  started_at       timestamptz not null default now(),
  completed_at     timestamptz,
  duration_ms      integer,
  models_fetched   integer not null default 0,
  models_added     integer not null default 0,
  models_updated   integer not null default 0,
  models_unchanged integer not null default 0,
  models_removed   integer not null default 0,
  models_skipped   integer not null default 0,
  errors           jsonb not null default '[]',
  error_message    text,
  triggered_by     text not null check (triggered_by in ('manual', 'scheduler', 'api')),
  dry_run          boolean not null default false,
  forced           boolean not null default false,
  job_id           text,
  attempt          integer,
  changes          jsonb
);
comment on table pricing_sync_log is
  'One row per sync attempt (kind prices: one provider; kind fx: exchange rates): its outcome, counts, skipped rows (errors), and for dry runs and rejections the price changes it would have made (changes).';
create index pricing_sync_log_provider_started on pricing_sync_log (provider, started_at desc);
create index pricing_sync_log_status_started on pricing_sync_log (status, started_at desc);

create table price_history (
  id          bigint generated always as identity primary key,
  provider    text not null,
  model_id    text not null,
  change      text not null check (change in ('added', 'updated', 'removed', 'restored', 'override_set', 'override_cleared')),
  old_price   jsonb,
  new_price   jsonb,
  changed_at  timestamptz not null default now(),
  changed_by  text not null,
  sync_log_id bigint references pricing_sync_log (id),
  -- a synced change made while an operator override was in force: recorded, but not what was served
  shadowed    boolean not null default false
);
comment on table price_history is
  'Append-only log of every price change: old and new price (decimal strings), when, by whom (api_sync:<provider>, scheduler, snapshot, manual:<reason>) and which sync wrote it. The price served at time T is new_price of the latest unshadowed row at or before T.';
create index price_history_model_time on price_history (provider, model_id, changed_at desc, id desc);
create index price_history_sync on price_history (sync_log_id);

create function price_history_is_append_only() returns trigger language plpgsql as $$
begin
  raise exception 'price_history is append-only (% refused)', tg_op;
end $$;
create trigger price_history_append_only before update or delete on price_history
  for each statement execute function price_history_is_append_only();

create table exchange_rates (
  base        text not null check (base ~ '^[A-Z]{3}$'),
  quote       text not null check (quote ~ '^[A-Z]{3}$'),
  rate        numeric not null check (rate > 0),
  market_time timestamptz not null,
  source      text not null,
  fetched_at  timestamptz not null default now(),
  primary key (base, quote)
);
comment on table exchange_rates is 'The latest exchange rate per pair: 1 base = rate quote (USD/ZAR 18.5 means 1 USD is 18.5 ZAR).';

create table exchange_rate_history (
  id          bigint generated always as identity primary key,
  base        text not null,
  quote       text not null,
  rate        numeric not null check (rate > 0),
  market_time timestamptz not null,
  source      text not null,
  recorded_at timestamptz not null default now(),
  sync_log_id bigint references pricing_sync_log (id)
);
comment on table exchange_rate_history is 'Every exchange rate tariff has stored, for conversions at a point in time.';
create index exchange_rate_history_pair_time on exchange_rate_history (base, quote, market_time desc);
create index exchange_rate_history_pair_recorded on exchange_rate_history (base, quote, recorded_at desc);

create table catalog_version (
  singleton  boolean primary key default true check (singleton),
  version    bigint not null default 0,
  changed_at timestamptz not null default now()
);
comment on table catalog_version is
  'A counter that increases with every committed change to prices or rates. API instances compare it with their cache, and serve it as the ETag.';
insert into catalog_version default values;

create function bump_catalog_version() returns bigint language plpgsql as $$
declare
  next_version bigint;
begin
  update catalog_version set version = version + 1, changed_at = now() returning version into next_version;
  -- NOTIFY inside the transaction: listeners hear it only when, and if, it commits.
  perform pg_notify('tariff_catalog', next_version::text);
  return next_version;
end $$;
comment on function bump_catalog_version() is
  'Call in the transaction that changes prices or rates: increments the catalog version and notifies channel tariff_catalog on commit.';

-- Down Migration

drop function bump_catalog_version();
drop table catalog_version;
drop table exchange_rate_history;
drop table exchange_rates;
drop table price_history;
drop function price_history_is_append_only();
drop table pricing_sync_log;
drop view current_prices;
drop table price_overrides;
drop table model_prices;
drop table providers;
