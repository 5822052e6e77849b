-- Up Migration

-- Price-change webhooks: subscriptions, an outbox of events, and one delivery per
-- (event, endpoint). A change and its notifications commit together: the
-- transaction that changes prices, rates or a sync log outcome calls
-- webhook_enqueue(), which writes the event, its deliveries and one
-- graphile-worker job per delivery (graphile_worker.add_job). A rolled-back change
-- notifies no one; a committed one cannot lose its jobs.

create table webhook_endpoints (
  id                      uuid primary key,
  url                     text not null check (length(url) between 1 and 2048),
  events                  text[] not null check (cardinality(events) > 0),
  providers               text[],
  description             text check (length(description) <= 500),
  enabled                 boolean not null default true,
  disabled_reason         text,
  disabled_at             timestamptz,
  secret_encrypted        bytea not null,
  old_secret_encrypted    bytea,
  old_secret_expires_at   timestamptz,
  consecutive_failures    integer not null default 0,
  created_at              timestamptz not null default now(),
  updated_at              timestamptz not null default now()
);
comment on table webhook_endpoints is
  'Webhook subscriptions: where to POST which event types (optionally only for some providers). The signing secret is stored AES-256-GCM encrypted with WEBHOOK_SECRET_KEY; during a rotation the old one signs too until old_secret_expires_at. An endpoint is disabled by an operator, by a 410, or after WEBHOOK_MAX_CONSECUTIVE_FAILURES failed attempts in a row.';

create table webhook_events (
  id              uuid primary key default gen_random_uuid(),
  type            text not null,
  provider        text,
  catalog_version bigint,
  data            jsonb not null,
  created_at      timestamptz not null default now()
);
comment on table webhook_events is
  'The outbox: one row per notified change (price.changed: one per provider per catalog version). Its id is the Tariff-Event-Id every delivery and retry of it carries. Written only when at least one enabled endpoint subscribes.';

create table webhook_deliveries (
  id               bigint generated always as identity primary key,
  endpoint_id      uuid not null references webhook_endpoints (id) on delete cascade,
  event_id         uuid not null references webhook_events (id),
  status           text not null default 'pending' check (status in ('pending', 'delivered', 'failed', 'cancelled')),
  attempts         integer not null default 0,
  last_status_code integer,
  last_error       text,
  last_latency_ms  integer,
  last_attempt_at  timestamptz,
  next_attempt_at  timestamptz not null default now(),
  created_at       timestamptz not null default now(),
  completed_at     timestamptz
);
comment on table webhook_deliveries is
  'One event to one endpoint, retried by deliver_webhook jobs (queue webhook:<endpoint id>) until a 2xx, a non-retryable answer, or the retry window ends. Deliveries to an endpoint are sent in id order, which is commit order for catalog changes (ids are taken after the catalog version bump, under its row lock).';
create index webhook_deliveries_endpoint on webhook_deliveries (endpoint_id, id desc);
create index webhook_deliveries_pending on webhook_deliveries (endpoint_id, id) where status = 'pending';
create index webhook_deliveries_event on webhook_deliveries (event_id);

-- One job per delivery, in the endpoint's own queue (graphile-worker runs a queue's jobs one
-- at a time, so one endpoint never has two deliveries in flight). The job key makes a
-- re-enqueue replace a job not yet running. max_attempts only bounds retries of tariff's own
-- errors (a database blip): an endpoint's failures are retried by new jobs, at times
-- deliver_webhook chooses.
create function webhook_add_job(delivery_id bigint, endpoint_id uuid, run_at timestamptz default null)
returns bigint language plpgsql as $$
declare
  job_id bigint;
begin
  select (graphile_worker.add_job('deliver_webhook', json_build_object('delivery_id', delivery_id),
            queue_name => 'webhook:' || endpoint_id, run_at => run_at, job_key => 'deliver_webhook:' || delivery_id,
            max_attempts => 10)).id into job_id;
  return job_id;
end $$;

create function webhook_enqueue(event_type text, event_provider text, event_version bigint, event_data jsonb)
returns integer language plpgsql as $$
declare
  queued integer;
begin
  with subscribers as (
    select e.id from webhook_endpoints e
     where e.enabled and event_type = any(e.events)
       and (e.providers is null or event_provider is null or event_provider = any(e.providers))
  ), new_event as (
    insert into webhook_events (type, provider, catalog_version, data)
    select event_type, event_provider, event_version, event_data
     where exists (select from subscribers)
    returning id
  ), deliveries as (
    insert into webhook_deliveries (endpoint_id, event_id)
    select s.id, new_event.id from subscribers s cross join new_event order by s.id
    returning id, endpoint_id
  )
  select count(webhook_add_job(d.id, d.endpoint_id)) into queued from deliveries d;
  return queued;
end $$;
comment on function webhook_enqueue(text, text, bigint, jsonb) is
  'Call in the transaction that makes the change: writes the event for every enabled endpoint subscribed to it (type, and provider unless null), one delivery each, and one deliver_webhook job per delivery. Returns the number of deliveries.';

-- A sync log outcome notifies from the statement that writes it, whichever code path
-- writes it (a guard rejection inside the sync transaction, a failure after its rollback,
-- an abandoned attempt closed by the retry).
create function webhook_sync_outcome() returns trigger language plpgsql as $$
begin
  if new.dry_run or new.status not in ('failed', 'rejected') then return null; end if;
  if tg_op = 'UPDATE' and old.status = new.status then return null; end if;
  perform webhook_enqueue(case new.status when 'failed' then 'sync.failed' else 'sync.rejected' end, new.provider, null,
    jsonb_build_object(
      'sync_log_id', new.id, 'kind', new.kind, 'provider', new.provider, 'source', new.source, 'status', new.status,
      'reason', new.error_message, 'triggered_by', new.triggered_by, 'forced', new.forced,
      'job_id', new.job_id, 'attempt', new.attempt, 'started_at', new.started_at, 'completed_at', new.completed_at,
      'offending', case when new.status = 'rejected' then coalesce(new.changes -> 'offending', '[]') end));
  return null;
end $$;
create trigger webhook_sync_outcome after insert or update of status on pricing_sync_log
  for each row execute function webhook_sync_outcome();

do $$
declare
  reader text := coalesce(nullif(current_setting('tariff.reader_role', true), ''), 'tariff_reader');
  writer text := coalesce(nullif(current_setting('tariff.writer_role', true), ''), 'tariff_writer');
begin
  if exists (select from pg_roles where rolname = reader) then
    -- For /metrics: counts, never secrets.
    execute format('grant select (id, enabled, disabled_reason, consecutive_failures) on webhook_endpoints to %I', reader);
    execute format('grant select (id, endpoint_id, status) on webhook_deliveries to %I', reader);
  end if;
  if exists (select from pg_roles where rolname = writer) then
    execute format('grant select, insert, update, delete on webhook_endpoints to %I', writer);
    execute format('grant select, insert on webhook_events to %I', writer);
    execute format('grant select, insert, update, delete on webhook_deliveries to %I', writer);
    execute format('grant usage on all sequences in schema public to %I', writer);
  end if;
end $$;

-- Down Migration

drop trigger webhook_sync_outcome on pricing_sync_log;
drop function webhook_sync_outcome();
drop function webhook_enqueue(text, text, bigint, jsonb);
drop function webhook_add_job(bigint, uuid, timestamptz);
drop table webhook_deliveries;
drop table webhook_events;
drop table webhook_endpoints;
