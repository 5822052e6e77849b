-- Up Migration

-- Least privilege: a reader role for API instances (SELECT on the pricing tables,
-- LISTEN needs no grant) and a writer role for workers. Both are NOLOGIN group
-- roles; a login joins one with `create role api_login login password '…' in role tariff_reader`.
-- Their names come from the session settings tariff.reader_role and
-- tariff.writer_role (DB_READER_ROLE, DB_WRITER_ROLE), set by tariff's migrate().
-- A migrating user that may not create roles leaves missing roles to the DBA and
-- grants to the ones that exist. The writer's grants on graphile-worker's schema
-- are made by migrate() after graphile-worker's own migrations.
do $$
declare
  reader text := coalesce(nullif(current_setting('tariff.reader_role', true), ''), 'tariff_reader');
  writer text := coalesce(nullif(current_setting('tariff.writer_role', true), ''), 'tariff_writer');
  may_create boolean := (select rolcreaterole or rolsuper from pg_roles where rolname = current_user);
  role_name text;
begin
  foreach role_name in array array[reader, writer] loop
    if not exists (select from pg_roles where rolname = role_name) then
      if may_create then
        execute format('create role %I nologin', role_name);
      else
        raise notice 'role % does not exist and % may not create roles: skipping its grants', role_name, current_user;
      end if;
    end if;
  end loop;

  if exists (select from pg_roles where rolname = reader) then
    execute format('grant usage on schema public to %I', reader);
    execute format('grant select on providers, model_prices, price_overrides, current_prices, pricing_sync_log,
                    price_history, exchange_rates, exchange_rate_history, catalog_version, pgmigrations to %I', reader);
  end if;

  if exists (select from pg_roles where rolname = writer) then
    execute format('grant usage on schema public to %I', writer);
    execute format('grant select, insert, update on providers, model_prices, pricing_sync_log, exchange_rates,
                    catalog_version to %I', writer);
    execute format('grant select, insert, update, delete on price_overrides to %I', writer);
    execute format('grant select, insert on price_history, exchange_rate_history to %I', writer);
    execute format('grant select on current_prices, pgmigrations to %I', writer);
    execute format('grant usage on all sequences in schema public to %I', writer);
  end if;
end $$;

-- Down Migration

do $$
declare
  reader text := coalesce(nullif(current_setting('tariff.reader_role', true), ''), 'tariff_reader');
  writer text := coalesce(nullif(current_setting('tariff.writer_role', true), ''), 'tariff_writer');
  role_name text;
begin
  foreach role_name in array array[reader, writer] loop
    if exists (select from pg_roles where rolname = role_name) then
      execute format('revoke all on all tables in schema public from %I', role_name);
      execute format('revoke all on all sequences in schema public from %I', role_name);
      execute format('revoke usage on schema public from %I', role_name);
    end if;
  end loop;
end $$;
