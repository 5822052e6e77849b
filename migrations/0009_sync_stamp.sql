-- Up Migration

-- A sync that finds no price changed moves providers.last_synced_at but not the
-- catalog version (unchanged data keeps the version, and every ETag with it).
-- This counter moves instead, with a notification, so API instances reload the
-- providers' sync times and GET /costs, whose body holds them, serves the truth
-- under a new ETag.
alter table catalog_version add column synced bigint not null default 0;
comment on column catalog_version.synced is
  'Counts successful applied syncs: moves with every providers.last_synced_at change, whether or not prices changed.';

create function mark_provider_synced(synced_provider text) returns bigint language plpgsql as $$
declare
  stamp bigint;
begin
  update providers set last_synced_at = clock_timestamp() where id = synced_provider;
  update catalog_version set synced = synced + 1 returning synced into stamp;
  -- Inside the transaction: heard only if the sync commits.
  perform pg_notify('tariff_catalog', 'synced:' || stamp);
  return stamp;
end $$;
comment on function mark_provider_synced(text) is
  'Call in the transaction of a successful applied sync: sets the provider''s last_synced_at, moves catalog_version.synced and notifies tariff_catalog on commit.';

-- Down Migration

drop function mark_provider_synced(text);
alter table catalog_version drop column synced;
