import { createMicroBatcher, eventOf, type ReceivedMessage } from '@trendmill/platform';
import { EVENT_TYPES, decodeVector, type TrendmillEvent } from '@trendmill/shared-contracts';
import {
  projectBatch,
  type ProjectBatchDeps,
  type ProjectionEntry,
  type ProjectionOutcome,
} from './project-batch.js';

export { PROJECTION_CONSUMER, type ProjectionOutcome } from './project-batch.js';

export interface BatchSettings {
  /** Deliveries per transaction at most (default 64). */
  maxBatch?: number;
  /** How long a lone delivery waits for others before its transaction runs (default 5 ms). */
  maxWaitMs?: number;
}

export const DEFAULT_PROJECTION_BATCH = { maxBatch: 64, maxWaitMs: 5 };

export interface ProjectionDeps extends ProjectBatchDeps {
  batch?: BatchSettings;
  /** A batch transaction failed and its deliveries are retried one at a time. */
  onBatchFailed?: (error: unknown, size: number) => void;
}

/**
 * The projection's handlers, one per event type. Deliveries in flight together (up to the
 * subscription's prefetch), whatever their types, are projected in one transaction
 * (`projectBatch`); each resolves, and is acked, once its batch has committed. Should a batch
 * fail, its deliveries run again one per transaction, so a poison event is dead-lettered alone with
 * its own reason. A redelivered event is a no-op (inbox record in the same transaction).
 */
export function projectionHandlers(deps: ProjectionDeps) {
  const batcher = createMicroBatcher<ProjectionEntry, ProjectionOutcome>({
    maxBatch: deps.batch?.maxBatch ?? DEFAULT_PROJECTION_BATCH.maxBatch,
    maxWaitMs: deps.batch?.maxWaitMs ?? DEFAULT_PROJECTION_BATCH.maxWaitMs,
    runBatch: (entries) => projectBatch(deps, entries),
    ...(deps.onBatchFailed ? { onBatchFailed: deps.onBatchFailed } : {}),
  });
  const project = async (entry: ProjectionEntry): Promise<void> => {
    await batcher.submit(entry);
  };
  const plain =
    <T extends Exclude<ProjectionEntry['type'], typeof EVENT_TYPES.itemEmbedded>>(type: T) =>
    (message: ReceivedMessage) =>
      project({ id: message.id, type, data: eventOf<TrendmillEvent<T>>(message)!.data } as ProjectionEntry);

  return {
    /** The vector is decoded here, so one that cannot be never joins a batch. */
    async itemEmbedded(message: ReceivedMessage) {
      const { data } = eventOf<TrendmillEvent<typeof EVENT_TYPES.itemEmbedded>>(message)!;
      const vector = decodeVector(data.vector, data.dim);
      return project({ id: message.id, type: EVENT_TYPES.itemEmbedded, data, vector });
    },
    itemClustered: plain(EVENT_TYPES.itemClustered),
    itemDuplicateDetected: plain(EVENT_TYPES.itemDuplicateDetected),
    clusterCreated: plain(EVENT_TYPES.clusterCreated),
    clusterUpdated: plain(EVENT_TYPES.clusterUpdated),
    clusterMerged: plain(EVENT_TYPES.clusterMerged),
    clusterRetired: plain(EVENT_TYPES.clusterRetired),
  };
}

export type ProjectionHandlers = ReturnType<typeof projectionHandlers>;
