-- Up Migration

create table discrepancy_reports (
  id              bigint generated always as identity primary key,
  generated_at    timestamptz not null,
  catalog_version bigint not null,
  report          jsonb not null check (jsonb_typeof(report) = 'object')
);
comment on table discrepancy_reports is
  'Cross-source price comparisons (check_discrepancies jobs): each report compares every priced model served for a provider in use with the same model in the other sources, per price dimension, with prices as decimal strings. API instances serve the latest; the last 100 are kept so a new report can be compared with the one before.';
create index discrepancy_reports_generated on discrepancy_reports (generated_at desc);

do $$
declare
  reader text := coalesce(nullif(current_setting('tariff.reader_role', true), ''), 'tariff_reader');
  writer text := coalesce(nullif(current_setting('tariff.writer_role', true), ''), 'tariff_writer');
begin
  if exists (select from pg_roles where rolname = reader) then
    execute format('grant select on discrepancy_reports to %I', reader);
  end if;
  if exists (select from pg_roles where rolname = writer) then
    execute format('grant select, insert, delete on discrepancy_reports to %I', writer);
    execute format('grant usage on all sequences in schema public to %I', writer);
  end if;
end $$;

-- Down Migration

drop table discrepancy_reports;
