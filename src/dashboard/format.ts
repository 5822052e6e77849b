// Small formatting helpers shared by the dashboard pages.
import { convert, type ExchangeRate } from '@tariff/pricing';
import { html, type Html } from './html.ts';

/** A timestamp as <time>, readable and machine-readable; a dash when absent. */
export function time(value: Date | string | null | undefined): Html {
  if (value === null || value === undefined) return html`<span class="none">—</span>`;
  const iso = typeof value === 'string' ? value : value.toISOString();
  return html`<time datetime="${iso}">${iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z')}</time>`;
}

/** A price as the exact decimal string; in another currency when a rate is given (exact product). */
export function price(usd: string | null | undefined, rate?: ExchangeRate): Html {
  if (usd === null || usd === undefined) return html`<span class="none" aria-label="none">—</span>`;
  return html`<span class="num">${rate ? convert(usd, rate.rate) : usd}</span>`;
}

export function duration(ms: number | null): string {
  if (ms === null) return '—';
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** Any JSON value as short text (for generic log fields). */
export function plain(value: unknown): string {
  if (value === null || value === undefined) return '—';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * A labelled filter <select> of a GET form; `any` labels a first, empty
 * option that means "no filter". The control's id is f-<name>.
 */
export function selectField(field: {
  name: string;
  label: string;
  values: readonly (string | number)[];
  selected: string | number | undefined;
  any?: string;
  /** Values shown with `mark` after them (the providers in use). */
  marked?: ReadonlySet<string | number>;
  mark?: string;
}): Html {
  const id = `f-${field.name.replace(/_/g, '-')}`;
  return html`<p><label for="${id}">${field.label}</label>
<select id="${id}" name="${field.name}">${field.any === undefined ? '' : html`<option value="">${field.any}</option>`}
${field.values.map((v) => html`<option value="${v}"${v === field.selected ? html` selected` : ''}>${v}${field.marked?.has(v) ? field.mark ?? '' : ''}</option>`)}
</select></p>`;
}

/** Previous/next links around "Page n of m"; `link` gives a page's address. */
export function pager(page: number, pages: number, link: (page: number) => string): Html {
  return html`<nav class="pager" aria-label="Pages">
${page > 1 ? html`<a href="${link(page - 1)}" rel="prev">Previous page</a>` : ''}
<span>Page ${page} of ${pages}</span>
${page < pages ? html`<a href="${link(page + 1)}" rel="next">Next page</a>` : ''}
</nav>`;
}

/** A spread as GET /costs/discrepancies gives it: ×ratio, or null where one price is zero (no finite ratio). */
export function spreadText(spread: string | null): Html {
  return spread === null ? html`<abbr title="one price is zero: no finite ratio">null</abbr>` : html`×${spread}`;
}
