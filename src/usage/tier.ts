import { UsageFieldError } from './errors.ts';
import type { ServiceTier } from './types.ts';

/**
 * Maps a provider's tier name to tariff's. A tier the table does not list is an
 * error rather than a silent "standard": quoting a priority or reserved-capacity
 * call at standard prices would be wrong without saying so.
 */
export function mapServiceTier(value: string | null, field: string, tiers: Readonly<Record<string, ServiceTier>>): ServiceTier | null {
  if (value === null) return null;
  const tier = Object.hasOwn(tiers, value) ? tiers[value] : undefined;
  if (tier === undefined) {
    throw new UsageFieldError(field, `service tier ${JSON.stringify(value)} has no tariff tier (known: ${Object.keys(tiers).join(', ')})`);
  }
  return tier;
}
