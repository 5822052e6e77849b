-- Up Migration

-- The apply_retention job (RETENTION_SCHEDULE) trims the tables that only grow;
-- price_history and pricing_sync_log, the audit trail, it never touches.
create index webhook_events_created on webhook_events (created_at);

comment on table webhook_events is
  'The outbox: one row per notified change (price.changed: one per provider per catalog version). Its id is the Tariff-Event-Id every delivery and retry of it carries. Written only when at least one enabled endpoint subscribes. apply_retention deletes an event (with its deliveries) once it is older than WEBHOOK_EVENT_RETENTION_DAYS and none of its deliveries is pending.';
comment on table discrepancy_reports is
  'Cross-source price comparisons (check_discrepancies jobs): each report compares every priced model served for a provider in use with the same model in the other sources, per price dimension, with prices as decimal strings. API instances serve the latest; apply_retention keeps the latest DISCREPANCY_REPORTS_KEPT (at least 2, so a new report can be compared with the one before).';
comment on table worker_heartbeats is
  'One row per graphile-worker worker id of a running tariff worker process (process: host:pid), renewed over its liveness connection. Another worker takes back a job only when the job''s worker holds no liveness advisory lock and its row has expired or is missing, so a dropped connection alone never makes a live worker look dead. apply_retention deletes rows expired longer than WORKER_HEARTBEAT_RETENTION_HOURS.';

do $$
declare
  writer text := coalesce(nullif(current_setting('tariff.writer_role', true), ''), 'tariff_writer');
begin
  if exists (select from pg_roles where rolname = writer) then
    execute format('grant delete on webhook_events to %I', writer);
  end if;
end $$;

-- Down Migration

do $$
declare
  writer text := coalesce(nullif(current_setting('tariff.writer_role', true), ''), 'tariff_writer');
begin
  if exists (select from pg_roles where rolname = writer) then
    execute format('revoke delete on webhook_events from %I', writer);
  end if;
end $$;
drop index webhook_events_created;
