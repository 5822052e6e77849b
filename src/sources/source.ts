// What a source adapter is: one module per source (models_dev.ts,
// openrouter.ts, litellm.ts, …) exports one `Source`, made of its entry in
// src/upstreams.ts and its parser, and registry.ts lists them.
import {
  type FieldCount, parseDecimal, type PriceList, type PriceRecord, type PriceState, type PriceTier, type ServiceTier, sheetPrices, SPEED_MODES, type SpeedMode, type SkippedRow, type SourceResult, toSheet, type UnitId, type UnitPrices, type UnsupportedPrice,
} from '@tariff/pricing';
import { describeProblem } from './json.ts';
import type { UpstreamSource } from '../upstreams.ts';

/** A source's adapter: what upstreams.ts says of it, and how to read its payload. */
export interface Source extends UpstreamSource {
  /** The provider ids a payload of this source holds (models.dev provider ids, litellm_provider values). */
  upstreamIds(payload: unknown): string[];
  /** One provider's prices from a payload already read by parseExactJson. */
  parse(payload: unknown, upstreamId: string): SourceResult;
}

/**
 * unpriced: no price in any dimension tariff can bill. free: input and output
 * both zero and nothing else charged (tiers included). priced otherwise.
 */
export function stateOf(list: Pick<PriceList, 'input' | 'output' | 'cache_read' | 'cache_write' | 'reasoning' | 'extra'> & {
  request?: string | null;
  tiers?: readonly PriceTier[];
}): PriceState {
  const charges = [list, ...(list.tiers ?? [])].flatMap((sheet) => Object.values(sheetPrices(sheet)));
  if (charges.length === 0) return 'unpriced';
  if (list.input !== '0' || list.output !== '0') return 'priced';
  return charges.every((price) => price === '0') ? 'free' : 'priced';
}

type NamedTier = Exclude<ServiceTier, 'standard'>;
type NamedList = NamedTier | SpeedMode;

/**
 * A model's prices gathered field by field as an adapter reads them: the base
 * list, long-context tiers by threshold, service tiers and speed modes, each
 * as unit prices; and the multipliers a source publishes for price modifiers.
 */
export class PriceCollector {
  private readonly lists = new Map<NamedList | 'standard', { base: UnitPrices; tiers: Map<number, UnitPrices> }>();
  private readonly multipliers: Record<string, string> = {};
  readonly unsupported: UnsupportedPrice[] = [];

  /** Sets a unit's price, above a prompt size (long-context tier) and in a service tier or speed mode when given. */
  set(unit: UnitId, price: string, where: { above?: number; tier?: ServiceTier; mode?: SpeedMode; unlessSet?: boolean } = {}): void {
    const name = where.mode ?? where.tier ?? 'standard';
    let list = this.lists.get(name);
    if (!list) this.lists.set(name, (list = { base: {}, tiers: new Map() }));
    let prices = list.base;
    if (where.above !== undefined && where.above !== 0) {
      let tier = list.tiers.get(where.above);
      if (!tier) list.tiers.set(where.above, (tier = {}));
      prices = tier;
    }
    if (where.unlessSet && prices[unit] !== undefined) return;
    prices[unit] = price;
  }

  has(unit: UnitId): boolean {
    return this.lists.get('standard')?.base[unit] !== undefined;
  }

  /** A published non-zero price in a dimension tariff cannot bill (a zero one changes nothing). */
  unsupportedPrice(field: string, value: string): void {
    if (parseDecimal(value).coef !== 0n) this.unsupported.push({ field, value });
  }

  /** A multiplier the source publishes for a price modifier, keyed `<usage field>=<value>` (types.ts PriceRecord.multipliers). */
  multiplier(key: string, factor: string): void {
    this.multipliers[key] = factor;
  }

  list(tier: NamedList | 'standard' = 'standard'): PriceList {
    const list = this.lists.get(tier);
    const tiers: PriceTier[] = [...(list?.tiers ?? [])]
      .sort(([a], [b]) => a - b)
      .map(([above, prices]) => {
        const { request: _request, ...sheet } = toSheet(prices);
        return { above_tokens: above, ...sheet };
      });
    return { ...toSheet(list?.base ?? {}), tiers };
  }

  serviceTiers(): PriceRecord['service_tiers'] {
    const named = [...this.lists.keys()].filter((name): name is NamedTier => name !== 'standard' && !isSpeedMode(name));
    if (named.length === 0) return undefined;
    return Object.fromEntries(named.map((name) => [name, this.list(name)]));
  }

  speedModes(): PriceRecord['speed_modes'] {
    const named = SPEED_MODES.filter((name) => this.lists.has(name));
    if (named.length === 0) return undefined;
    return Object.fromEntries(named.map((name) => [name, this.list(name)]));
  }

  /** The record these prices make, its state derived from the standard list. */
  record(modelId: string, name: string | null, more: Pick<PriceRecord, 'match'> = {}): PriceRecord {
    const list = this.list();
    const serviceTiers = this.serviceTiers();
    const speedModes = this.speedModes();
    return {
      model_id: modelId,
      name,
      state: stateOf(list),
      ...list,
      ...(serviceTiers ? { service_tiers: serviceTiers } : {}),
      ...(speedModes ? { speed_modes: speedModes } : {}),
      ...(Object.keys(this.multipliers).length > 0 ? { multipliers: { ...this.multipliers } } : {}),
      ...(this.unsupported.length > 0 ? { unsupported: this.unsupported } : {}),
      ...(more.match ? { match: more.match } : {}),
    };
  }
}

const isSpeedMode = (name: string): name is SpeedMode => (SPEED_MODES as readonly string[]).includes(name);

/** Counts fields by name across models, for SourceResult.unmapped. */
export class FieldCounter {
  private readonly counts = new Map<string, Set<string>>();

  add(field: string, modelId: string): void {
    let models = this.counts.get(field);
    if (!models) this.counts.set(field, (models = new Set()));
    models.add(modelId);
  }

  result(): FieldCount[] {
    return [...this.counts].map(([field, models]) => ({ field, models: models.size }))
      .sort((a, b) => b.models - a.models || (a.field < b.field ? -1 : 1));
  }
}

/** The price fields an adapter read (mapped) and those it has no dimension for (unmapped), counted across models. */
export interface FieldCounters {
  mapped: FieldCounter;
  unmapped: FieldCounter;
}

/**
 * The parse loop every adapter shares: each upstream row becomes a record, or a
 * skipped row saying why (a malformed model is skipped, never fatal), and a
 * model id seen twice (compared as `key` says) is skipped as a repeat. The
 * fields toRecord counts come back as the result's mapped and unmapped.
 */
export function collectRecords<T>(
  rows: Iterable<readonly [id: string, raw: T, label?: string]>,
  toRecord: (id: string, raw: T, fields: FieldCounters) => PriceRecord,
  key: (id: string) => string = (id) => id,
): SourceResult {
  const fields: FieldCounters = { mapped: new FieldCounter(), unmapped: new FieldCounter() };
  const records: PriceRecord[] = [];
  const skipped: SkippedRow[] = [];
  /** key → how the first row with it was labelled upstream (its id, or its key in the payload). */
  const first = new Map<string, string>();
  for (const [id, raw, label = id] of rows) {
    const seen = first.get(key(id));
    if (seen !== undefined) {
      skipped.push({ model_id: id, reason: seen === label ? 'duplicate id' : `${label} repeats ${seen}` });
      continue;
    }
    first.set(key(id), label);
    try {
      records.push(toRecord(id, raw, fields));
    } catch (error) {
      skipped.push({ model_id: id, reason: describeProblem(error) });
    }
  }
  return { records, skipped, mapped: fields.mapped.result(), unmapped: fields.unmapped.result() };
}
