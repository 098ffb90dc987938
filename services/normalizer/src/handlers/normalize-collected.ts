import {
  PermanentFailure,
  createMicroBatcher,
  currentContext,
  eventOf,
  injectTraceparent,
  type ReceivedMessage,
} from '@trendmill/platform';
import type { EVENT_TYPES, TrendmillEvent } from '@trendmill/shared-contracts';
import { normalizeItem, type BatchDedup } from '../domain/index.js';
import {
  batchDedupFor,
  normalizeBatch,
  type CollectedEntry,
  type NormalizeBatchDeps,
  type Outcome,
} from './normalize-batch.js';

export type { Outcome } from './normalize-batch.js';

export interface BatchSettings {
  /** Items per transaction (and per hold of the dedup lock) at most (default 64). */
  maxBatch?: number;
  /** How long a lone item waits for others before its transaction runs (default 5 ms). */
  maxWaitMs?: number;
}

export const DEFAULT_NORMALIZE_BATCH = { maxBatch: 64, maxWaitMs: 5 };

export interface NormalizeHandlerDeps extends NormalizeBatchDeps {
  batch?: BatchSettings;
  /** Called after a commit that wrote outgoing events, so the relay publishes at once. */
  onCommitted: () => void;
  /** A batch transaction failed and its items are retried one at a time. */
  onBatchFailed?: (error: unknown, size: number) => void;
}

/**
 * item.collected → item.normalized, or item.duplicate-detected when the item repeats an earlier
 * one (same canonical URL, same content, or a near-duplicate). Deliveries in flight together are
 * decided in one transaction under one hold of the dedup lock (`normalizeBatch`); each delivery
 * resolves, and is acked, once its batch has committed. Should a batch fail, its items run again
 * one per transaction, so a bad item is dead-lettered alone. An item already decided is acked
 * with no effect.
 */
export function normalizeCollected(deps: NormalizeHandlerDeps) {
  const dedup = batchDedupFor(deps);
  const batcher = createMicroBatcher<CollectedEntry, Outcome>({
    maxBatch: deps.batch?.maxBatch ?? DEFAULT_NORMALIZE_BATCH.maxBatch,
    maxWaitMs: deps.batch?.maxWaitMs ?? DEFAULT_NORMALIZE_BATCH.maxWaitMs,
    runBatch: async (entries) => {
      const results = await normalizeBatch(deps, dedup, entries);
      if (results.some((r) => r.status === 'fulfilled' && r.value !== 'already-processed')) {
        deps.onCommitted();
      }
      return results;
    },
    ...(deps.onBatchFailed ? { onBatchFailed: deps.onBatchFailed } : {}),
  });
  return async (message: ReceivedMessage): Promise<Outcome> => batcher.submit(entryOf(deps, dedup, message));
}

/**
 * Normalizes and fingerprints a delivery in its own context, as it arrives (so this CPU work
 * overlaps the running batch's waits on the database); an item that cannot be normalized never
 * joins a batch.
 */
function entryOf(deps: NormalizeBatchDeps, dedup: BatchDedup, message: ReceivedMessage): CollectedEntry {
  const event = eventOf<TrendmillEvent<typeof EVENT_TYPES.itemCollected>>(message)!;
  const collected = event.data;
  const result = normalizeItem(collected, deps.clock());
  if (!result.ok) {
    throw new PermanentFailure(
      `item ${collected.itemId} cannot be normalized: ${result.reason} (${result.detail})`,
    );
  }
  return {
    collected,
    item: result.item,
    fingerprint: dedup.fingerprint(result.item.title, result.item.text),
    correlationid: event.correlationid,
    traceparent: injectTraceparent() ?? currentContext().traceparent,
  };
}
