import { UsageFieldError } from './errors.ts';
import type { Fields } from './read.ts';
import type { ServiceTier } from './types.ts';

/**
 * The tier in member `key` of `fields` (whose value is `value`), mapped from the
 * provider's name to tariff's; null when the body does not say. A tier the
 * table does not list is an error rather than a silent "standard": quoting a
 * priority or reserved-capacity call at standard prices would be wrong without
 * saying so.
 */
export function mapServiceTier(fields: Fields, key: string, value: unknown, tiers: ReadonlyMap<string, ServiceTier>): ServiceTier | null {
  const name = fields.string(key, value);
  if (name === null) return null;
  const tier = tiers.get(name);
  if (tier === undefined) {
    throw new UsageFieldError(fields.field(key), `service tier ${JSON.stringify(name)} has no tariff tier (known: ${[...tiers.keys()].join(', ')})`);
  }
  return tier;
}
