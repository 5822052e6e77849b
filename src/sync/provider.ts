// One provider's sync: fetch, validate, assemble (the primary source's prices,
// completed from the other sources: assemble.ts), diff, guard, and apply
// prices, history, the sync log row and the catalog version in one transaction.
import type { Config } from '../config.ts';
import { lockProviders, readStoredPrices, writeDiffs } from '../store/apply.ts';
import { enqueuePriceChanges } from '../webhooks/outbox.ts';
import {
  compare, type Decimal, diffPrices, multiply, parseDecimal, type PriceDiff, type PriceMove, priceMoves, type SourceResult, type StoredPrice, toDecimal,
} from '@tariff/pricing';
import { withTransaction, type Pool } from '../db/pool.ts';
import type { Logger } from '../log.ts';
import { fetchSourcePayload } from '../sources/index.ts';
import { assembleProvider, type PayloadReader, readPayloads } from './assemble.ts';
import { finishSyncLog, lastSuccessAt, withSyncLog, type ModelCounts, type TriggeredBy } from '../store/sync_log.ts';

export interface SyncRequest {
  provider: string;
  dry_run: boolean;
  force: boolean;
  triggered_by: TriggeredBy;
  job_id: string | null;
  attempt: number | null;
}

export type SyncResult =
  | { status: 'skipped'; reason: string }
  | { status: 'success' | 'rejected'; sync_log_id: number; dry_run: boolean; reason?: string; counts: SyncCounts; changes: PriceDiff['changes'] };

export interface SyncCounts {
  fetched: number;
  added: number;
  updated: number;
  unchanged: number;
  removed: number;
  skipped: number;
}

export interface SyncDeps {
  pool: Pool;
  config: Config;
  logger: Logger;
  signal?: AbortSignal;
  /** Replaces the upstream fetch of a source's payload (the CLI's dry runs against files, benchmarks). */
  readPayload?: PayloadReader;
}

const MAX_LOGGED_CHANGES = 5_000;
const MAX_OFFENDERS = 50;

/** Throws on failure (after logging a failed row) so the job is retried; a guard rejection is an outcome, not a failure. */
export async function syncProvider(deps: SyncDeps, request: SyncRequest): Promise<SyncResult> {
  const { pool, config, logger } = deps;
  const provider = config.providers.find((p) => p.provider === request.provider);
  if (!provider) throw new Error(`provider "${request.provider}" is not in PROVIDERS_IN_USE`);
  const log = logger.child({ provider: provider.provider, source: provider.source });

  if (request.triggered_by === 'scheduler' && !request.force) {
    const last = await lastSuccessAt(pool, 'prices', provider.provider);
    const ageSeconds = last ? (Date.now() - last.getTime()) / 1000 : Infinity;
    if (ageSeconds < config.MODEL_COST_STALENESS_SECONDS) {
      const reason = `last successful sync ${Math.round(ageSeconds)}s ago, under MODEL_COST_STALENESS_SECONDS (${config.MODEL_COST_STALENESS_SECONDS})`;
      log.info({ lastSuccess: last }, `scheduled sync skipped: ${reason}`);
      return { status: 'skipped', reason };
    }
  }

  const start = {
    kind: 'prices' as const, provider: provider.provider, source: provider.source, triggered_by: request.triggered_by,
    dry_run: request.dry_run, forced: request.force, job_id: request.job_id, attempt: request.attempt,
  };
  return withSyncLog(pool, start, `sync of ${provider.provider}`, log, async (logId) => {
    const payloads = await readPayloads(provider, deps.readPayload ?? ((source) => fetchSourcePayload(source, config, deps.signal)));
    deps.signal?.throwIfAborted();
    const primary = payloads.primary;
    if (primary.unmapped && primary.unmapped.length > 0) {
      // Also in the sync log row (unmapped_fields); every sync of such a source says it, so not a warning.
      log.info({ unmapped: primary.unmapped }, 'the source publishes prices tariff does not map; those prices are not kept');
    }
    const result = await withTransaction(pool, async (client) => {
      await lockProviders(client, [provider.provider]);
      const stored = (await readStoredPrices(client, [provider.provider])).get(provider.provider)!;
      const fetched = assembleProvider(payloads, stored);
      for (const { source, reason } of fetched.unavailable) {
        log.warn({ filler: source, reason }, 'a filling source could not be read; the prices it filled before are kept');
      }
      if (fetched.disagreements.length > 0) {
        // Also in the discrepancy report, which compares every served dimension with every source.
        log.info({ disagreements: fetched.disagreements.length, first: fetched.disagreements[0] },
          'filling sources disagree on some unpriced dimensions; the first source in FILL_ORDER is served');
      }
      const keep = new Set(fetched.skipped.map((s) => s.model_id));
      const diff = diffPrices(stored, fetched.records, provider.source, keep);
      const counts: SyncCounts = {
        fetched: fetched.records.length + fetched.skipped.length,
        added: diff.added, updated: diff.updated, unchanged: diff.unchanged,
        removed: diff.removed.length, skipped: fetched.skipped.length,
      };
      const outcome = { ...modelCounts(counts), errors: fetched.skipped, unmapped_fields: fetched.unmapped ?? [] };
      const rejection = request.force ? undefined : guard(fetched, stored, diff, config);
      if (rejection) {
        await finishSyncLog(client, logId, {
          ...outcome, status: 'rejected', error_message: rejection.reason,
          changes: { offending: rejection.offending, changes: diff.changes.slice(0, MAX_LOGGED_CHANGES) },
        });
        return { status: 'rejected' as const, reason: rejection.reason, counts, changes: diff.changes };
      }
      if (request.dry_run) {
        await finishSyncLog(client, logId, { ...outcome, status: 'success', changes: diff.changes.slice(0, MAX_LOGGED_CHANGES) });
        return { status: 'success' as const, counts, changes: diff.changes };
      }
      await writeDiffs(client, [{ provider: provider.provider, source: provider.source, diff, seen: fetched.records }], {
        syncLogId: logId,
        onChanges: enqueuePriceChanges,
        changedBy: request.triggered_by === 'scheduler' ? 'scheduler' : `api_sync:${provider.provider}`,
      });
      await finishSyncLog(client, logId, { ...outcome, status: 'success' });
      await client.query('select mark_provider_synced($1::text)', [provider.provider]);
      return { status: 'success' as const, counts, changes: diff.changes };
    });
    const summary = { syncLogId: logId, dryRun: request.dry_run, ...result.counts };
    if (result.status === 'rejected') log.warn({ ...summary, reason: result.reason }, 'sync rejected by a guard; prices unchanged');
    else log.info(summary, request.dry_run ? 'dry-run sync computed' : 'sync applied');
    return { ...result, sync_log_id: logId, dry_run: request.dry_run };
  });
}

interface Rejection { reason: string; offending: unknown[] }

/** The checks that keep bad upstream data from replacing good prices. */
export function guard(fetched: SourceResult, stored: ReadonlyMap<string, StoredPrice>, diff: PriceDiff, config: Config): Rejection | undefined {
  if (fetched.records.length === 0) {
    return { reason: 'upstream returned no models', offending: [] };
  }
  const priced = [...stored.values()].filter((p) => p.removed_at === null && p.state === 'priced');
  const removedPriced = diff.removed.filter((id) => stored.get(id)?.state === 'priced');
  // A model still listed but without its price (a payload that lost its cost fields) loses
  // a good price just as a removal does, so it counts towards the same limit.
  const unpriced = diff.changes
    .filter((c) => c.change === 'updated' && c.old_price?.state === 'priced' && c.new_price?.state !== 'priced')
    .map((c) => ({ model_id: c.model_id, change: `${c.old_price?.state} → ${c.new_price?.state}` }));
  const lost = removedPriced.length + unpriced.length;
  if (priced.length > 0 && lost / priced.length > config.GUARD_MAX_REMOVED_FRACTION) {
    const of = `of ${priced.length} priced models`;
    const what = unpriced.length === 0 ? `remove ${removedPriced.length} ${of}`
      : removedPriced.length === 0 ? `leave ${unpriced.length} ${of} without a price`
      : `remove ${removedPriced.length} and leave ${unpriced.length} without a price, ${of}`;
    return {
      reason: `would ${what} (more than ${config.GUARD_MAX_REMOVED_FRACTION * 100}%)`,
      offending: [...removedPriced.map((model_id) => ({ model_id, change: 'removed' })), ...unpriced].slice(0, MAX_OFFENDERS),
    };
  }
  const limit = toDecimal(config.GUARD_MAX_PRICE_RATIO);
  const jumps = priceMoves(diff.changes).filter((m) => movedByAtLeast(m, limit));
  const first = jumps[0];
  if (first) {
    return {
      reason: `${jumps.length} price(s) moved by ×${config.GUARD_MAX_PRICE_RATIO} or more, e.g. ${first.model_id} ${first.field} ${first.old} → ${first.new}`,
      offending: jumps.slice(0, MAX_OFFENDERS).map((j) => ({ ...j, factor: Number(j.factor.toPrecision(6)) })),
    };
  }
  return undefined;
}

/**
 * A move of exactly ×limit counts. Decided on exact decimals: the float quotient
 * of a ×10 move lands either side of 10 (0.3 / 0.03 is 10, 0.29 / 0.029 is
 * 9.999999999999998), which would let some ×10 moves through.
 */
function movedByAtLeast(move: PriceMove, limit: Decimal): boolean {
  const before = parseDecimal(move.old);
  const after = parseDecimal(move.new);
  const [low, high] = compare(before, after) <= 0 ? [before, after] : [after, before];
  return compare(high, multiply(low, limit)) >= 0;
}

function modelCounts(counts: SyncCounts): ModelCounts {
  return {
    models_fetched: counts.fetched, models_added: counts.added, models_updated: counts.updated,
    models_unchanged: counts.unchanged, models_removed: counts.removed, models_skipped: counts.skipped,
  };
}
