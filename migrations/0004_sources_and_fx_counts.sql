-- Up Migration

-- Sources are registered in code (src/sources/registry.ts), one module each: the
-- database no longer lists them, so adding a source needs no migration.
alter table providers drop constraint providers_source_check;
alter table providers add constraint providers_source_check check (source ~ '^[a-z][a-z0-9_]*$');
alter table model_prices drop constraint model_prices_source_check;
alter table model_prices add constraint model_prices_source_check check (source ~ '^[a-z][a-z0-9_]*$');

-- Exchange-rate refreshes count currencies, not models: their own columns, null on price syncs.
alter table pricing_sync_log
  add column rates_fetched   integer,
  add column rates_added     integer,
  add column rates_updated   integer,
  add column rates_unchanged integer;
comment on column pricing_sync_log.rates_fetched is 'kind fx: exchange rates fetched (one per currency); null for price syncs, whose counts are the models_* columns.';
update pricing_sync_log
   set rates_fetched = models_fetched, rates_added = models_added, rates_updated = models_updated, rates_unchanged = models_unchanged,
       models_fetched = 0, models_added = 0, models_updated = 0, models_unchanged = 0
 where kind = 'fx';

-- Down Migration

update pricing_sync_log
   set models_fetched = coalesce(rates_fetched, 0), models_added = coalesce(rates_added, 0),
       models_updated = coalesce(rates_updated, 0), models_unchanged = coalesce(rates_unchanged, 0)
 where kind = 'fx';
alter table pricing_sync_log drop column rates_fetched, drop column rates_added, drop column rates_updated, drop column rates_unchanged;
alter table model_prices drop constraint model_prices_source_check;
alter table model_prices add constraint model_prices_source_check check (source in ('models_dev', 'openrouter', 'litellm', 'snapshot'));
alter table providers drop constraint providers_source_check;
alter table providers add constraint providers_source_check check (source in ('models_dev', 'openrouter', 'litellm'));
