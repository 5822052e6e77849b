// @tariff/client: tariff's prices in-process. Quotes and price lookups are
// synchronous, computed by the pricing core the server runs, on a catalog the
// server keeps current by push (GET /costs/changes).
export { Tariff, type ChangeEvent, type ConnectOptions, type QuoteAnswer } from './tariff.ts';
export { RemoteOnlyError, TariffError } from './errors.ts';
export type { RemoteClient, paths } from './remote.ts';
export type { CatalogDeltaBody, ModelKey } from './catalog.ts';
