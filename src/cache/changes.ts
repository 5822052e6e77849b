// Which models each catalog version changed, as this instance loaded them:
// what GET /costs/changes tells its clients and GET /costs?since= answers,
// from memory. Kept for the last versions only (a bounded log); older versions
// are the database's catalog_changes' to answer.
import type { CatalogView, Models } from '@tariff/pricing';

export interface ModelKey {
  provider: string;
  model_id: string;
}

/** A delta between two versions: the models present now whose records changed, and those no longer present. */
export interface Changes {
  changed: ModelKey[];
  removed: ModelKey[];
}

const MAX_STEPS = 1_000;
const MAX_KEYS = 100_000;

interface Step {
  previous: number;
  version: number;
  keys: ModelKey[];
}

export class ChangeLog {
  private readonly steps: Step[] = [];
  private keyCount = 0;
  /** The log holds every change after this version (undefined until the first load). */
  private floor: number | undefined;

  /** Records the step from `previous` to `next` (the first view only starts the log). */
  record(previous: CatalogView | undefined, next: CatalogView): void {
    if (!previous || this.floor === undefined || previous.version !== this.lastVersion()) {
      // A first load, or a step the log did not see: it starts again from here.
      this.steps.length = 0;
      this.keyCount = 0;
      this.floor = next.version;
      return;
    }
    if (next.version <= previous.version) return;
    const keys = changedKeys(previous, next);
    this.steps.push({ previous: previous.version, version: next.version, keys });
    this.keyCount += keys.length;
    while (this.steps.length > MAX_STEPS || (this.keyCount > MAX_KEYS && this.steps.length > 1)) {
      const dropped = this.steps.shift()!;
      this.keyCount -= dropped.keys.length;
      this.floor = dropped.version;
    }
  }

  /** The models changed after `since` up to the last version recorded; undefined when the log does not reach back to it. */
  keysSince(since: number): ModelKey[] | undefined {
    const last = this.lastVersion();
    if (this.floor === undefined || last === undefined || since < this.floor || since > last) return undefined;
    const seen = new Set<string>();
    const keys: ModelKey[] = [];
    for (const step of this.steps) {
      if (step.version <= since) continue;
      for (const key of step.keys) {
        const id = `${key.provider}\u0000${key.model_id}`;
        if (!seen.has(id)) {
          seen.add(id);
          keys.push(key);
        }
      }
    }
    return keys;
  }

  private lastVersion(): number | undefined {
    return this.steps.at(-1)?.version ?? this.floor;
  }
}

/** Splits changed models by whether `view` still has them: changed (present) or removed. */
export function changesIn(view: CatalogView, keys: readonly ModelKey[]): Changes {
  const changed: ModelKey[] = [];
  const removed: ModelKey[] = [];
  for (const key of keys) (view.byProvider.get(key.provider)?.has(key.model_id) ? changed : removed).push(key);
  return { changed, removed };
}

/**
 * The models whose records differ between two views. A provider whose model
 * map is shared (a delta did not touch it) is skipped; an entry that is a new
 * object but the same record (a full reload) is not a change.
 */
export function changedKeys(before: CatalogView, after: CatalogView): ModelKey[] {
  const keys: ModelKey[] = [];
  const providers = new Set([...before.byProvider.keys(), ...after.byProvider.keys()]);
  for (const provider of providers) {
    const old: Models = before.byProvider.get(provider) ?? EMPTY;
    const now: Models = after.byProvider.get(provider) ?? EMPTY;
    if (old === now) continue;
    for (const [modelId, entry] of now) {
      const was = old.get(modelId);
      if (was !== entry && (was === undefined || JSON.stringify(was) !== JSON.stringify(entry))) keys.push({ provider, model_id: modelId });
    }
    for (const modelId of old.keys()) if (!now.has(modelId)) keys.push({ provider, model_id: modelId });
  }
  return keys;
}

const EMPTY: Models = new Map();
