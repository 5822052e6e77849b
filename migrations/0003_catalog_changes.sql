-- Up Migration

create table catalog_changes (
  version  bigint not null,
  provider text not null,
  model_id text not null,
  primary key (version, provider, model_id)
);
comment on table catalog_changes is
  'Which (provider, model_id) each catalog version changed, so API instances reload only those rows. Kept for the last 10,000 versions; an instance further behind reloads everything.';

alter table catalog_version add column changes_since bigint not null default 0;
comment on column catalog_version.changes_since is
  'catalog_changes holds every change of the versions after this one; an instance at an older version must reload fully.';

drop function bump_catalog_version();

create function bump_catalog_version(changed_providers text[] default null, changed_models text[] default null)
returns bigint language plpgsql as $$
declare
  next_version bigint;
  floor_version bigint;
begin
  update catalog_version set version = version + 1, changed_at = now() returning version into next_version;
  if changed_providers is not null and changed_models is not null then
    insert into catalog_changes (version, provider, model_id)
    select distinct next_version, p, m from unnest(changed_providers, changed_models) as c(p, m);
  end if;
  floor_version := next_version - 10000;
  if floor_version > 0 and floor_version % 100 = 0 then
    delete from catalog_changes where version <= floor_version;
    update catalog_version set changes_since = floor_version;
  end if;
  -- NOTIFY inside the transaction: listeners hear it only when, and if, it commits.
  perform pg_notify('tariff_catalog', next_version::text);
  return next_version;
end $$;
comment on function bump_catalog_version(text[], text[]) is
  'Call once in the transaction that changes prices, with the changed (provider, model) pairs as two arrays (no arguments for rates or provider flags): increments the catalog version, records the changed models, and notifies channel tariff_catalog on commit.';

do $$
declare
  reader text := coalesce(nullif(current_setting('tariff.reader_role', true), ''), 'tariff_reader');
  writer text := coalesce(nullif(current_setting('tariff.writer_role', true), ''), 'tariff_writer');
begin
  if exists (select from pg_roles where rolname = reader) then
    execute format('grant select on catalog_changes to %I', reader);
  end if;
  if exists (select from pg_roles where rolname = writer) then
    execute format('grant select, insert, delete on catalog_changes to %I', writer);
  end if;
end $$;

-- Down Migration

drop function bump_catalog_version(text[], text[]);
create function bump_catalog_version() returns bigint language plpgsql as $$
declare
  next_version bigint;
begin
  update catalog_version set version = version + 1, changed_at = now() returning version into next_version;
  perform pg_notify('tariff_catalog', next_version::text);
  return next_version;
end $$;
alter table catalog_version drop column changes_since;
drop table catalog_changes;
