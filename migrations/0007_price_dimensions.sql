-- Up Migration

-- Every price dimension beyond the six original columns (src/catalog/units.ts),
-- as one JSON document per row, so a new dimension needs no migration:
--   extra         prices in other dimensions: {"input_audio_tokens": "1", "web_search_requests": "0.014", …}
--   service_tiers {"batch"|"flex"|"priority": {input, output, …, extra, request, tiers}}
--   inherits      dimensions billed at their parent's price (the source says the base price covers them)
--   unsupported   [{field, value}]: non-zero prices the source publishes in dimensions tariff cannot bill
--   variants      prices in effect from a date, or in a time-of-day window
--   match         the source's own rule for which requested ids mean this model, and
--   match_index   the model's position in its source, since the first matching rule wins
-- Money in it is decimal strings, as in tiers and history.
alter table model_prices add column dimensions jsonb not null default '{}' check (jsonb_typeof(dimensions) = 'object');
alter table price_overrides add column dimensions jsonb not null default '{}' check (jsonb_typeof(dimensions) = 'object');
comment on column model_prices.dimensions is
  'Price dimensions beyond the six columns: {extra, service_tiers, inherits, unsupported, variants, match} (see migrations/0007).';

alter table pricing_sync_log add column unmapped_fields jsonb not null default '[]';
comment on column pricing_sync_log.unmapped_fields is
  'Cost fields the source published for this provider that its adapter does not map: [{field, models}].';

drop view current_prices;
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
       case when o.provider is null then p.removed_at end as removed_at,
       -- the id-matching rule belongs to the model, whoever sets its price
       case when o.provider is null then p.dimensions
            else o.dimensions || jsonb_strip_nulls(jsonb_build_object('match', p.dimensions -> 'match', 'match_index', p.dimensions -> 'match_index'))
       end as dimensions
  from model_prices p
  left join price_overrides o on o.provider = p.provider and o.model_id = p.model_id
union all
select o.provider, o.model_id, null, true, o.reason, o.state, o.input_per_1m, o.output_per_1m, o.cache_read_per_1m,
       o.cache_write_per_1m, o.reasoning_per_1m, o.request_fee, o.tiers, 'manual', o.created_at, null, null, o.dimensions
  from price_overrides o
 where not exists (select from model_prices p where p.provider = o.provider and p.model_id = o.model_id);
comment on view current_prices is
  'The price served for every model: an operator override where one is set, else the synced price.';

do $$
declare
  reader text := coalesce(nullif(current_setting('tariff.reader_role', true), ''), 'tariff_reader');
  writer text := coalesce(nullif(current_setting('tariff.writer_role', true), ''), 'tariff_writer');
begin
  if exists (select from pg_roles where rolname = reader) then
    execute format('grant select on current_prices to %I', reader);
  end if;
  if exists (select from pg_roles where rolname = writer) then
    execute format('grant select on current_prices to %I', writer);
  end if;
end $$;

-- Down Migration

drop view current_prices;
create view current_prices as
select p.provider, p.model_id, p.name, o.provider is not null as overridden, o.reason as override_reason,
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
       case when o.provider is null then p.removed_at end as removed_at
  from model_prices p
  left join price_overrides o on o.provider = p.provider and o.model_id = p.model_id
union all
select o.provider, o.model_id, null, true, o.reason, o.state, o.input_per_1m, o.output_per_1m, o.cache_read_per_1m,
       o.cache_write_per_1m, o.reasoning_per_1m, o.request_fee, o.tiers, 'manual', o.created_at, null, null
  from price_overrides o
 where not exists (select from model_prices p where p.provider = o.provider and p.model_id = o.model_id);
alter table pricing_sync_log drop column unmapped_fields;
alter table price_overrides drop column dimensions;
alter table model_prices drop column dimensions;
