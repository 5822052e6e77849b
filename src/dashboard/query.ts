// A page's query string, read so that a bad value is never silently dropped:
// the page is shown without it (its default instead) under a message naming
// each value it could not use, and answers 400.
import { z } from 'zod';
import { html, type Html } from './html.ts';

export interface PageQuery<T> {
  query: T;
  /** `name="value": why`, one per value the page could not use. */
  problems: string[];
}

export function readPageQuery<T extends z.ZodObject>(schema: T, given: Record<string, unknown>): PageQuery<z.output<T>> {
  // An empty value is a form's "any" choice: the same as leaving the field out.
  const raw = Object.fromEntries(Object.entries(given).filter(([, value]) => value !== ''));
  const first = schema.safeParse(raw);
  if (first.success) return { query: first.data, problems: [] };
  const bad = new Set(first.error.issues.map((issue) => String(issue.path[0] ?? '')));
  const problems = [...bad].map((name) => {
    const issue = first.error.issues.find((i) => String(i.path[0] ?? '') === name)!;
    return `${name}=${JSON.stringify([raw[name]].flat().join(','))}: ${issue.message}`;
  });
  const rest = Object.fromEntries(Object.entries(raw).filter(([name]) => !bad.has(name)));
  return { query: schema.parse(rest), problems };
}

/** The message a page shows above its content when some of its query could not be used. */
export function problemsNote(problems: readonly string[]): Html {
  if (problems.length === 0) return html``;
  return html`<div class="error-message" role="alert"><p>Some filters were not applied:</p>
<ul>${problems.map((p) => html`<li>${p}</li>`)}</ul></div>`;
}
