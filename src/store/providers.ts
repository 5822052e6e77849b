// Keeps the providers table in step with PROVIDERS_IN_USE / PROVIDER_SOURCES.
import type { ProviderSource } from '../config.ts';
import type { Queryable } from '../db/pool.ts';

/**
 * Marks the configured providers in use (with their source) and every other
 * provider not in use; bumps the catalog version when that changed anything,
 * so API instances serve the new flags.
 */
export async function registerProviders(db: Queryable, providers: readonly ProviderSource[]): Promise<void> {
  await db.query(`
    with configured as (
      select * from unnest($1::text[], $2::text[], $3::text[]) as c(id, source, upstream_id)
    ), changed as (
      select c.* from configured c left join providers p on p.id = c.id
       where p.id is null or (p.source, p.upstream_id, p.in_use) is distinct from (c.source, c.upstream_id, true)
    ), upserted as (
      insert into providers (id, source, upstream_id, in_use, updated_at)
      select id, source, upstream_id, true, now() from changed
      on conflict (id) do update set source = excluded.source, upstream_id = excluded.upstream_id, in_use = true, updated_at = now()
      returning id
    ), retired as (
      update providers set in_use = false, updated_at = now()
       where in_use and id <> all($1::text[])
      returning id
    )
    select bump_catalog_version() where exists (select from upserted) or exists (select from retired)`,
  [providers.map((p) => p.provider), providers.map((p) => p.source), providers.map((p) => p.upstream_id)]);
}
