-- Up Migration

create table worker_heartbeats (
  worker_id  text primary key,
  process    text not null,
  beat_at    timestamptz not null default now(),
  expires_at timestamptz not null
);
comment on table worker_heartbeats is
  'One row per graphile-worker worker id of a running tariff worker process (process: host:pid), renewed over its liveness connection. Another worker takes back a job only when the job''s worker holds no liveness advisory lock and its row has expired or is missing, so a dropped connection alone never makes a live worker look dead.';

do $$
declare
  reader text := coalesce(nullif(current_setting('tariff.reader_role', true), ''), 'tariff_reader');
  writer text := coalesce(nullif(current_setting('tariff.writer_role', true), ''), 'tariff_writer');
begin
  if exists (select from pg_roles where rolname = reader) then
    execute format('grant select on worker_heartbeats to %I', reader);
  end if;
  if exists (select from pg_roles where rolname = writer) then
    execute format('grant select, insert, update, delete on worker_heartbeats to %I', writer);
  end if;
end $$;

-- Down Migration

drop table worker_heartbeats;
