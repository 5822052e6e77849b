// USD exchange rates from recorded Yahoo Finance quote responses: the
// `{request, response: {bodyJson}}` envelopes yahoo-finance2 records, as in
// ../shared/fixtures/upstream. What `npm run snapshot` uses offline. A pair
// Yahoo quotes the other way round (EURUSD=X: USD per 1 EUR) is inverted
// exactly, rounded half-up to RATE_PLACES decimals.
import { z } from 'zod';
import { formatDecimal, parseDecimal } from '@tariff/pricing';
import { symbolOf, toFetchedRate, type FetchedRate } from './yahoo.ts';

export const RATE_PLACES = 10;

const envelopeSchema = z.object({
  response: z.object({ bodyJson: z.object({ quoteResponse: z.object({ result: z.array(z.looseObject({ symbol: z.string() })) }) }) }),
});

/** Every quote row of the envelopes, by symbol. */
export function quotesBySymbol(envelopes: readonly unknown[]): Map<string, Record<string, unknown>> {
  const rows = new Map<string, Record<string, unknown>>();
  for (const envelope of envelopes) {
    for (const row of envelopeSchema.parse(envelope).response.bodyJson.quoteResponse.result) rows.set(row.symbol, row);
  }
  return rows;
}

/** The USD rate of `currency` from recorded quotes, direct (USDXXX=X) or inverted (XXXUSD=X); undefined when none is recorded. */
export function recordedUsdRate(currency: string, rows: ReadonlyMap<string, Record<string, unknown>>): FetchedRate | undefined {
  const direct = rows.get(symbolOf(currency));
  if (direct) return toFetchedRate(currency, symbolOf(currency), direct);
  const inverseSymbol = `${currency}USD=X`;
  const inverse = rows.get(inverseSymbol);
  if (!inverse) return undefined;
  // The inverse quote is USD per 1 unit of the currency: its own quoted currency is USD.
  const usd = toFetchedRate('USD', inverseSymbol, inverse);
  return { ...usd, currency, rate: invert(usd.rate) };
}

/** 1 ÷ rate, rounded half-up to RATE_PLACES decimals. */
export function invert(rate: string): string {
  const { coef, exp } = parseDecimal(rate);
  if (coef <= 0n) throw new RangeError(`cannot invert the rate ${rate}`);
  // 1 / (coef × 10^exp) = 10^(−exp) / coef; scaled by 10^RATE_PLACES.
  const k = RATE_PLACES - exp;
  const numerator = 10n ** BigInt(Math.max(0, k));
  const denominator = coef * 10n ** BigInt(Math.max(0, -k));
  const rounded = (2n * numerator + denominator) / (2n * denominator);
  return formatDecimal(parseDecimal(formatDecimal({ coef: rounded, exp: -RATE_PLACES })));
}
