-- Logins for docker-compose.dev.yml's least-privilege stack, run once by the
-- postgres image when it creates its database (docker-entrypoint-initdb.d).
-- The group roles are the ones migrations grant to (DB_READER_ROLE,
-- DB_WRITER_ROLE); creating them first lets the migration find them. The
-- passwords are for the local stack only.
do $$
begin
  if not exists (select from pg_roles where rolname = 'tariff_reader') then create role tariff_reader nologin; end if;
  if not exists (select from pg_roles where rolname = 'tariff_writer') then create role tariff_writer nologin; end if;
  -- API instances: reads and LISTEN.
  if not exists (select from pg_roles where rolname = 'tariff_api') then
    create role tariff_api login password 'tariff_api' in role tariff_reader;
  end if;
  -- Workers, and the API's /admin routes: prices, history, the sync log and the job queue.
  if not exists (select from pg_roles where rolname = 'tariff_worker') then
    create role tariff_worker login password 'tariff_worker' in role tariff_writer;
  end if;
end $$;
