// Sources' id-matching rules (genai-prices' `match`), evaluated as genai-prices
// does: on the lower-cased id, case-insensitively for the string rules.
import type { MatchRule } from '../prices/types.ts';

const compiled = new Map<string, RegExp>();

/** Whether `rule` matches a requested model id (lower-cased here). */
export function matchesRule(rule: MatchRule, id: string): boolean {
  const lower = id.toLowerCase();
  return test(rule, lower);
}

function test(rule: MatchRule, lower: string): boolean {
  if ('or' in rule) return rule.or.some((inner) => test(inner, lower));
  if ('and' in rule) return rule.and.every((inner) => test(inner, lower));
  if ('equals' in rule) return lower === rule.equals.toLowerCase();
  if ('starts_with' in rule) return lower.startsWith(rule.starts_with.toLowerCase());
  if ('ends_with' in rule) return lower.endsWith(rule.ends_with.toLowerCase());
  if ('contains' in rule) return lower.includes(rule.contains.toLowerCase());
  let regex = compiled.get(rule.regex);
  if (!regex) compiled.set(rule.regex, (regex = new RegExp(rule.regex)));
  return regex.test(lower);
}

/** The first record, in the source's order (`match_index`, else as given), whose rule matches `id`. */
export function firstMatching<T extends { match?: MatchRule | undefined; match_index?: number | undefined }>(
  records: Iterable<T>, id: string,
): T | undefined {
  let best: T | undefined;
  let bestIndex = Infinity;
  let position = 0;
  for (const record of records) {
    const index = record.match_index ?? position;
    position++;
    if (record.match && index < bestIndex && matchesRule(record.match, id)) {
      best = record;
      bestIndex = index;
    }
  }
  return best;
}
