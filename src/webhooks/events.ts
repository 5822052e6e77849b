// The webhook event types, in one list, and the pieces of an event's body.
// Every event's body is {id, type, created_at, catalog_version, data}.
import { dimensionPath, type Price, priceDimensions } from '@tariff/pricing';

/** Types an endpoint may subscribe to, and who emits each. */
export const EVENT_TYPES = {
  'price.changed': 'prices changed: one event per provider per catalog version (syncs and overrides)',
  'sync.failed': 'a sync attempt failed (network, upstream, database); prices unchanged',
  'sync.rejected': 'a guard rejected a sync; prices unchanged',
  'fx.changed': 'exchange rates changed',
  'discrepancy.found': 'the discrepancy report found sources disagreeing',
} as const;
export type EventType = keyof typeof EVENT_TYPES;
export const SUBSCRIBABLE = Object.keys(EVENT_TYPES) as [EventType, ...EventType[]];

/** Sent by POST /admin/webhooks/:id/test to that endpoint alone. */
export const PING = 'ping';

export interface EventRow {
  id: string;
  type: string;
  created_at: Date;
  catalog_version: string | number | null;
  data: unknown;
}

/** The exact text that is sent and signed. Stable across retries: everything comes from the stored event. */
export function eventBody(event: EventRow): string {
  return JSON.stringify({
    id: event.id,
    type: event.type,
    created_at: event.created_at.toISOString(),
    catalog_version: event.catalog_version === null ? null : Number(event.catalog_version),
    data: event.data,
  });
}

export interface Dimension {
  old: string | null;
  new: string | null;
  /** The source of the new price (the writer's, when the dimension lost its price), when the writer named its source. */
  source?: string;
}

/**
 * Every price dimension that differs between two prices (priceDimensions in
 * catalog/diff.ts: the base prices, long-context and service tiers, in every
 * unit), with its old and new value as stored (decimal strings; null is "no
 * price"). A dimension added to the unit registry later shows up with no
 * change here.
 */
export function changedDimensions(oldPrice: Price | null, newPrice: Price | null, source?: string): Record<string, Dimension> {
  const before = priceDimensions(oldPrice);
  const after = priceDimensions(newPrice);
  const changed: Record<string, Dimension> = {};
  for (const key of new Set([...before.keys(), ...after.keys()])) {
    const a = before.get(key) ?? null;
    const b = after.get(key) ?? null;
    if (a === b) continue;
    changed[key] = { old: a, new: b };
    if (source !== undefined && key !== 'state') {
      // A dimension another source filled says so in the price's filled_from; any other is the writer's source.
      changed[key].source = (b === null ? undefined : newPrice?.filled_from?.[dimensionPath(key)]) ?? source;
    }
  }
  return changed;
}

/** A model's price change, as writers of prices record it (price_history's fields). */
export interface ModelPriceChange {
  model_id: string;
  change: string;
  old_price: Price | null;
  new_price: Price | null;
}

export function priceChangedData(provider: string, catalogVersion: number, changes: readonly ModelPriceChange[], source?: string) {
  return {
    provider,
    catalog_version: catalogVersion,
    changes: changes.map((c) => ({ model_id: c.model_id, change: c.change, dimensions: changedDimensions(c.old_price, c.new_price, source) })),
  };
}
