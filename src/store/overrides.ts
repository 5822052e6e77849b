// Operator overrides: a price that wins over synced ones until deleted, each
// change recorded in history as manual:<reason>.
import { withTransaction, type Pool, type PoolClient } from '../db/pool.ts';
import { bumpCatalogVersion, lockProviders, type PriceChangeSink } from './apply.ts';
import { type Dimensions, dimensionsOf, type Price, priceOf } from '@tariff/pricing';
import { MONEY_COLUMNS, withDimensions } from './read.ts';

export interface OverrideInput extends Price {
  reason: string;
}

export async function setOverride(pool: Pool, onChanges: PriceChangeSink, provider: string, modelId: string, input: OverrideInput): Promise<{ old_price: Price | null; new_price: Price }> {
  return withTransaction(pool, async (client) => {
    await lockProviders(client, [provider]);
    const before = await servedPrice(client, provider, modelId);
    const price = priceOf(input);
    await client.query(`
      insert into price_overrides (provider, model_id, state, input_per_1m, output_per_1m, cache_read_per_1m,
                                   cache_write_per_1m, reasoning_per_1m, request_fee, tiers, dimensions, reason, created_at)
      values ($1::text, $2::text, $3::text, $4::numeric, $5::numeric, $6::numeric, $7::numeric, $8::numeric, $9::numeric,
              $10::jsonb, $12::jsonb, $11::text, now())
      on conflict (provider, model_id) do update set
        state = excluded.state, input_per_1m = excluded.input_per_1m, output_per_1m = excluded.output_per_1m,
        cache_read_per_1m = excluded.cache_read_per_1m, cache_write_per_1m = excluded.cache_write_per_1m,
        reasoning_per_1m = excluded.reasoning_per_1m, request_fee = excluded.request_fee, tiers = excluded.tiers,
        dimensions = excluded.dimensions, reason = excluded.reason, created_at = excluded.created_at`,
    [provider, modelId, price.state, price.input, price.output, price.cache_read, price.cache_write, price.reasoning,
      price.request, JSON.stringify(price.tiers), input.reason, JSON.stringify(dimensionsOf(price))]);
    await recordHistory(client, onChanges, provider, modelId, 'override_set', before?.price ?? null, price, `manual:${input.reason}`, 'manual');
    return { old_price: before?.price ?? null, new_price: price };
  });
}

/** Returns false when the model had no override. */
export async function clearOverride(pool: Pool, onChanges: PriceChangeSink, provider: string, modelId: string, reason: string): Promise<boolean> {
  return withTransaction(pool, async (client) => {
    await lockProviders(client, [provider]);
    const before = await servedPrice(client, provider, modelId);
    const { rowCount } = await client.query(
      'delete from price_overrides where provider = $1::text and model_id = $2::text', [provider, modelId]);
    if (!rowCount) return false;
    const after = await servedPrice(client, provider, modelId);
    await recordHistory(client, onChanges, provider, modelId, 'override_cleared', before?.price ?? null, after?.price ?? null, `manual:${reason}`,
      after?.source ?? 'manual');
    return true;
  });
}

async function servedPrice(client: PoolClient, provider: string, modelId: string): Promise<{ price: Price; source: string } | null> {
  const { rows } = await client.query<Price & { dimensions: Dimensions; source: string }>(`
    select state, ${MONEY_COLUMNS}, tiers, dimensions, source
      from current_prices where provider = $1::text and model_id = $2::text`, [provider, modelId]);
  return rows[0] ? { price: priceOf(withDimensions(rows[0])), source: rows[0].source } : null;
}

async function recordHistory(client: PoolClient, onChanges: PriceChangeSink, provider: string, modelId: string, change: string,
  oldPrice: Price | null, newPrice: Price | null, changedBy: string, source: string): Promise<void> {
  await client.query(`
    insert into price_history (provider, model_id, change, old_price, new_price, changed_by)
    values ($1::text, $2::text, $3::text, $4::jsonb, $5::jsonb, $6::text)`,
  [provider, modelId, change, oldPrice && JSON.stringify(oldPrice), newPrice && JSON.stringify(newPrice), changedBy]);
  const version = await bumpCatalogVersion(client, [{ provider, model_id: modelId }]);
  await onChanges(client, version, [{ provider, source, changes: [{ model_id: modelId, change, old_price: oldPrice, new_price: newPrice }] }]);
}
