import {
  createMicroBatcher,
  currentContext,
  eventOf,
  injectTraceparent,
  type ReceivedMessage,
} from '@trendmill/platform';
import type { EVENT_TYPES, TrendmillEvent } from '@trendmill/shared-contracts';
import {
  clusterBatch,
  type ClusterBatchDeps,
  type ClusterOutcome,
  type EmbeddedEntry,
} from './cluster-batch.js';
import { unitVectorOf } from './unit-vector.js';

export { CLUSTERER_CONSUMER, type ClusterOutcome } from './cluster-batch.js';

export interface BatchSettings {
  /** Items per transaction at most (default 64). */
  maxBatch?: number;
  /** How long a lone item waits for others before its transaction runs (default 5 ms). */
  maxWaitMs?: number;
}

export interface ClusterEmbeddedDeps extends ClusterBatchDeps {
  batch?: BatchSettings;
  /** A batch transaction failed and its items are retried one at a time. */
  onBatchFailed?: (error: unknown, size: number) => void;
}

export const DEFAULT_CLUSTER_BATCH = { maxBatch: 64, maxWaitMs: 5 };

/**
 * item.embedded → the item joins a cluster or waits in the pool. Deliveries in flight together
 * (up to the subscription's prefetch) are clustered in one transaction (`clusterBatch`); each
 * delivery resolves, and is acked, only once its batch has committed. Should a batch transaction
 * fail, its items run again one per transaction, so a bad item is dead-lettered alone.
 */
export function clusterEmbedded(deps: ClusterEmbeddedDeps) {
  const batcher = createMicroBatcher<EmbeddedEntry, ClusterOutcome>({
    maxBatch: deps.batch?.maxBatch ?? DEFAULT_CLUSTER_BATCH.maxBatch,
    maxWaitMs: deps.batch?.maxWaitMs ?? DEFAULT_CLUSTER_BATCH.maxWaitMs,
    runBatch: (entries) => clusterBatch(deps, entries),
    ...(deps.onBatchFailed ? { onBatchFailed: deps.onBatchFailed } : {}),
  });
  return async (message: ReceivedMessage): Promise<ClusterOutcome> => batcher.submit(entryOf(message));
}

/**
 * Reads a delivery in its own context (its trace and correlation id go into the events its item
 * causes, whichever delivery's turn runs the batch); a vector that can never be clustered is
 * refused here, before it joins a batch.
 */
function entryOf(message: ReceivedMessage): EmbeddedEntry {
  const event = eventOf<TrendmillEvent<typeof EVENT_TYPES.itemEmbedded>>(message)!;
  const data = event.data;
  return {
    eventId: event.id,
    item: {
      itemId: data.itemId,
      model: data.model,
      vector: unitVectorOf(data),
      text: data.title && data.text ? `${data.title}\n\n${data.text}` : data.title || data.text,
      publishedAt: Date.parse(data.publishedAt),
      sourceId: data.sourceId,
      language: data.language,
    },
    correlationid: event.correlationid,
    traceparent: injectTraceparent() ?? currentContext().traceparent,
  };
}
