// @tariff/pricing: what an LLM call costs, decided without I/O. The unit
// registry, price records and lists, billing and quotes, model-id resolution,
// exact decimal money, the readers of providers' response bodies, and the
// answers the API serves, built from a catalog held in memory. tariff's server
// and @tariff/client run this same code.
export * from './money/decimal.ts';
export * from './prices/units.ts';
export * from './prices/types.ts';
export * from './prices/sheet.ts';
export * from './prices/billing.ts';
export * from './prices/variants.ts';
export * from './prices/diff.ts';
export * from './prices/provenance.ts';
export * from './prices/assemble.ts';
export * from './prices/text_rate.ts';
export * from './prices/quote.ts';
export * from './prices/modifiers.ts';
export * from './models/rules.ts';
export * from './models/resolve.ts';
export * from './usage/index.ts';
export * from './catalog/types.ts';
export * from './catalog/view.ts';
export * from './catalog/lookup.ts';
export * from './answers/errors.ts';
export * from './answers/present.ts';
export * from './answers/model.ts';
export * from './answers/quote.ts';
export * from './answers/batch.ts';
export * from './requests/schemas.ts';
export * from './requests/parse.ts';
export * from './requests/exact.ts';
