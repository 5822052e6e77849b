// Time-dependent prices (PriceRecord.variants): which price list is in effect
// at an instant. Pure, so the quote engine, the lookup and the discrepancy
// report all pick the same list.
import type { PriceList, PriceRecord, PriceVariant } from './types.ts';

/**
 * The price list in effect at `at`: of the record's own prices and its dated
 * variants (`from`), the latest that has started; then a variant whose UTC
 * time-of-day `window` holds `at` (and whose `from`, if any, has started)
 * wins over it. A window is [start, end), wrapping past midnight when end < start.
 */
export function priceAt(record: PriceRecord, at: Date): PriceList {
  const variant = variantAt(record, at);
  return listOf(variant ?? record);
}

/** The variant in effect at `at` (see priceAt), or null when the record's own prices are. */
export function variantAt(record: PriceRecord, at: Date): PriceVariant | null {
  const time = at.getTime();
  if (Number.isNaN(time)) throw new RangeError('priceAt: invalid date');
  if (!record.variants || record.variants.length === 0) return null;
  let chosen: PriceVariant | null = null;
  let since = -Infinity;
  for (const variant of record.variants) {
    if (variant.window !== undefined || variant.from === undefined) continue;
    const from = Date.parse(variant.from);
    if (from <= time && from > since) {
      chosen = variant;
      since = from;
    }
  }
  const seconds = secondOfDay(at);
  for (const variant of record.variants) {
    if (variant.window === undefined) continue;
    if (variant.from !== undefined && Date.parse(variant.from) > time) continue;
    if (inWindow(variant.window, seconds)) return variant;
  }
  return chosen;
}

/**
 * The price lists a record has had before `at` and no longer serves: its own
 * prices and dated variants superseded by a later start. A source quoting one
 * of these is behind, not wrong.
 */
export function earlierPrices(record: PriceRecord, at: Date): PriceList[] {
  const time = at.getTime();
  const dated = [{ from: -Infinity, list: listOf(record) }, ...(record.variants ?? [])
    .filter((v) => v.window === undefined && v.from !== undefined && Date.parse(v.from) <= time)
    .map((v) => ({ from: Date.parse(v.from!), list: listOf(v) }))];
  dated.sort((a, b) => a.from - b.from);
  return dated.slice(0, -1).map((d) => d.list);
}

function listOf(source: PriceRecord | PriceVariant): PriceList {
  const { input, output, cache_read, cache_write, reasoning, request, tiers } = source;
  return { input, output, cache_read, cache_write, reasoning, ...(source.extra ? { extra: source.extra } : {}), request, tiers };
}

function secondOfDay(at: Date): number {
  return at.getUTCHours() * 3600 + at.getUTCMinutes() * 60 + at.getUTCSeconds();
}

function inWindow(window: { start: string; end: string }, seconds: number): boolean {
  const start = parseTime(window.start);
  const end = parseTime(window.end);
  return end < start ? seconds >= start || seconds < end : seconds >= start && seconds < end;
}

/** `HH:MM:SSZ` (or `HH:MM:SS`, or `HH:MM`) → seconds since UTC midnight. */
function parseTime(text: string): number {
  const match = /^(\d{2}):(\d{2})(?::(\d{2}))?Z?$/.exec(text);
  if (!match) throw new RangeError(`not a UTC time of day: ${text}`);
  return Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3] ?? 0);
}
