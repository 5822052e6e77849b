// The catalog browser (/): every served model from the in-memory catalog,
// filtered by provider, state and a search, paginated, in USD or another
// currency tariff holds a USD rate for.
import { z } from 'zod';
import { type CatalogEntry, type CatalogView, type ExchangeRate, presentEntry, PRICE_STATES } from '@tariff/pricing';
import { dimensionsOf, perUnit, unitLabel } from '../dimensions.ts';
import { pager, price, selectField } from '../format.ts';
import { html, modelHref, queryString, type Html } from '../html.ts';

/** The dimensions the table has columns for; a model's others are on its own page. */
const COLUMNS = ['input_tokens', 'output_tokens', 'cache_read_tokens', 'cache_write_tokens', 'requests'];
export const PAGE_SIZES = [25, 50, 100, 200] as const;

// Read with readPageQuery: an unusable value is named on the page, and its default used.
export const catalogQuery = z.object({
  provider: z.string().regex(/^[a-z0-9][a-z0-9._-]{0,63}$/, 'must be a provider id').optional(),
  q: z.string().trim().max(200, 'must be at most 200 characters').optional(),
  state: z.enum(PRICE_STATES, { error: `must be one of ${PRICE_STATES.join(', ')}` }).optional(),
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as ZAR').default('USD'),
  page: z.coerce.number({ error: 'must be a page number' }).int('must be a page number').min(1, 'must be 1 or more').max(100_000).default(1),
  per_page: z.coerce.number().refine((n) => (PAGE_SIZES as readonly number[]).includes(n), `must be one of ${PAGE_SIZES.join(', ')}`).default(50),
});
export type CatalogQuery = z.output<typeof catalogQuery>;

/** Provider ids with prices: those in use first (PROVIDERS_IN_USE), then the rest, each group in id order. */
export function providerOrder(view: CatalogView): string[] {
  const inUse = new Set(view.providers.filter((p) => p.in_use).map((p) => p.id));
  const ids = [...view.byProvider.keys()].sort();
  return [...ids.filter((id) => inUse.has(id)), ...ids.filter((id) => !inUse.has(id))];
}

export function filterCatalog(view: CatalogView, query: CatalogQuery): CatalogEntry[] {
  const needle = query.q?.toLowerCase();
  const found: CatalogEntry[] = [];
  for (const provider of providerOrder(view)) {
    const models = view.byProvider.get(provider)!;
    if (query.provider && provider !== query.provider) continue;
    for (const entry of models.values()) {
      if (entry.removed_at !== null) continue;
      if (query.state && entry.state !== query.state) continue;
      if (needle && !entry.model_id.toLowerCase().includes(needle) && !entry.name?.toLowerCase().includes(needle)) continue;
      found.push(entry);
    }
  }
  return found;
}

export function catalogPage(view: CatalogView, query: CatalogQuery): Html {
  const rate: ExchangeRate | undefined = query.currency === 'USD' ? undefined : view.rates.get(`USD/${query.currency}`);
  const currency = rate ? rate.quote : 'USD';
  const matching = filterCatalog(view, query);
  const pages = Math.max(1, Math.ceil(matching.length / query.per_page));
  const page = Math.min(query.page, pages);
  const shown = matching.slice((page - 1) * query.per_page, page * query.per_page);
  const link = (p: number) => `/${queryString({ provider: query.provider, q: query.q, state: query.state, currency: query.currency === 'USD' ? undefined : query.currency, per_page: query.per_page === 50 ? undefined : query.per_page, page: p === 1 ? undefined : p })}`;
  const providers = providerOrder(view);
  const inUse = new Set(view.providers.filter((p) => p.in_use).map((p) => p.id));
  const currencies = ['USD', ...[...view.rates.values()].filter((r) => r.base === 'USD').map((r) => r.quote)];
  if (!currencies.includes('ZAR')) currencies.push('ZAR');

  return html`<h1>Catalog</h1>
<form class="filters" method="get" action="/" role="search">
${selectField({ name: 'provider', label: 'Provider', values: providers, selected: query.provider, any: 'All providers', marked: inUse, mark: ' (in use)' })}
<p><label for="f-q">Model search</label>
<input id="f-q" name="q" type="search" value="${query.q ?? ''}" placeholder="id or name" autocomplete="off"></p>
${selectField({ name: 'state', label: 'State', values: PRICE_STATES, selected: query.state, any: 'Any state' })}
${selectField({ name: 'currency', label: 'Currency', values: currencies, selected: query.currency })}
${selectField({ name: 'per_page', label: 'Per page', values: PAGE_SIZES, selected: query.per_page })}
<p><button type="submit">Show</button></p>
</form>
${rateNote(query.currency, rate)}
<p>Providers in use (kept fresh by syncs) are listed first and marked <span class="in-use">in use</span>.</p>
<table class="catalog">
<caption>${matching.length} models${query.provider ? ` from ${query.provider}` : ''}${query.q ? ` matching “${query.q}”` : ''}, page ${page} of ${pages}. Prices in ${currency}.</caption>
<thead><tr>
<th scope="col">Provider</th><th scope="col">Model</th><th scope="col">Name</th><th scope="col">State</th>
${COLUMNS.map((unit) => html`<th scope="col" class="num">${unitLabel(unit)}<br><small>${currency} / ${perUnit(unit)}</small></th>`)}
<th scope="col" class="num">Other prices</th>
</tr></thead>
<tbody>
${shown.map((entry) => row(entry, rate, inUse.has(entry.provider)))}
</tbody>
</table>
${shown.length === 0 ? html`<p>No model matches these filters.</p>` : ''}
${pager(page, pages, link)}`;
}

function row(entry: CatalogEntry, rate: ExchangeRate | undefined, inUse: boolean): Html {
  const dims = dimensionsOf(presentEntry(entry));
  const others = [...dims.keys()].filter((unit) => !COLUMNS.includes(unit)).length;
  return html`<tr>
<td>${entry.provider}${inUse ? html` <span class="in-use" title="in PROVIDERS_IN_USE: kept fresh by syncs">in use</span>` : ''}</td>
<th scope="row"><a href="${modelHref(entry.provider, entry.model_id)}">${entry.model_id}</a></th>
<td>${entry.name ?? ''}</td>
<td><span class="state state-${entry.state}">${entry.state}</span></td>
${COLUMNS.map((unit) => html`<td class="num">${price(dims.get(unit), rate)}</td>`)}
<td class="num">${others === 0 ? '' : String(others)}</td>
</tr>`;
}

/** Why prices are in USD although another currency was asked for, or which rate converted them. */
export function rateNote(currency: string, rate: ExchangeRate | undefined): Html {
  if (currency === 'USD') return html``;
  if (!rate) {
    return html`<p class="note" role="note">No USD/${currency} exchange rate is available yet, so prices are shown in USD.</p>`;
  }
  return html`<p class="note" role="note">Converted exactly at 1 USD = ${rate.rate} ${rate.quote} (${rate.source}, market time ${rate.market_time}).</p>`;
}
