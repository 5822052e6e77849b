// Keeps the providers table in step with PROVIDERS_IN_USE / PROVIDER_SOURCES.
import type { ProviderSource } from '../config.ts';
import type { Queryable } from '../db/pool.ts';

/** Marks the configured providers in use (with their source) and every other provider not in use. */
export async function registerProviders(db: Queryable, providers: readonly ProviderSource[]): Promise<void> {
  await db.query(`
    with configured as (
      select * from unnest($1::text[], $2::text[], $3::text[]) as c(id, source, upstream_id)
    ), upserted as (
      insert into providers (id, source, upstream_id, in_use, updated_at)
      select id, source, upstream_id, true, now() from configured
      on conflict (id) do update set
        source = excluded.source, upstream_id = excluded.upstream_id, in_use = true,
        updated_at = case
          when (providers.source, providers.upstream_id, providers.in_use) is distinct from (excluded.source, excluded.upstream_id, true)
          then now() else providers.updated_at end
    )
    update providers set in_use = false, updated_at = now()
     where in_use and id <> all($1::text[])`,
  [providers.map((p) => p.provider), providers.map((p) => p.source), providers.map((p) => p.upstream_id)]);
}
