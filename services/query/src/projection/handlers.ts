import {
  PermanentFailure,
  eventOf,
  runOnce,
  withTransaction,
  type Database,
  type ReceivedMessage,
} from '@trendmill/platform';
import { decodeVector, type EVENT_TYPES, type TrendmillEvent } from '@trendmill/shared-contracts';
import { VectorDimensionError, VectorStoreError, type VectorStore } from '@trendmill/vectors';
import { ProjectionStore } from '../store/projection-store.js';

/** Inbox consumer name: one processed-event record per (projection, event id). */
export const PROJECTION_CONSUMER = 'query-projection';

export interface ProjectionDeps {
  db: Database;
  vectors: VectorStore;
  /** Told when a cluster event skipped versions (applied anyway: cluster events carry full state). */
  onVersionGap?: (clusterId: string, version: number) => void;
  onApplied?: (type: string) => void;
}

type Event<T extends (typeof EVENT_TYPES)[keyof typeof EVENT_TYPES]> = TrendmillEvent<T>;

/**
 * The projection: one function per event type, each committing its rows and its inbox record in
 * one transaction, so a redelivered event is a no-op. Cluster state is versioned: an event whose
 * version is not newer than the stored one is ignored; one that skips versions is applied (every
 * created/updated event carries the full description) and the gap is counted. Memberships are
 * ordered by event time, so whichever of item.clustered and the cluster events arrives first, the
 * latest assignment wins.
 */
export function projectionHandlers(deps: ProjectionDeps) {
  const { db } = deps;
  const once = (message: ReceivedMessage, effect: (store: ProjectionStore) => Promise<void>) =>
    withTransaction(db.sql, (tx) =>
      runOnce(tx, db.schema, PROJECTION_CONSUMER, message.id, () =>
        effect(new ProjectionStore(tx, db.schema)),
      ),
    ).then((applied) => {
      if (applied) deps.onApplied?.(message.type);
    });

  return {
    async itemEmbedded(message: ReceivedMessage) {
      const { data } = eventOf<Event<typeof EVENT_TYPES.itemEmbedded>>(message)!;
      const vector = decodeVector(data.vector, data.dim);
      // The vector goes first: an upsert by id is idempotent, and if the SQL commit fails the
      // redelivery writes it again; the reverse order could leave a row without its vector.
      try {
        const collection = await deps.vectors.collection(data.model, data.dim);
        await collection.upsert([
          {
            id: data.itemId,
            vector,
            payload: {
              sourceId: data.sourceId,
              language: data.language.toLowerCase(),
              publishedAt: Date.parse(data.publishedAt),
            },
          },
        ]);
      } catch (err) {
        const permanent =
          err instanceof VectorDimensionError ||
          (err instanceof VectorStoreError &&
            ['dimension_mismatch', 'invalid_argument', 'model_name_collision'].includes(err.code));
        if (permanent)
          throw new PermanentFailure(`item ${data.itemId}: ${(err as Error).message}`, 'vector_dimension');
        throw err;
      }
      await once(message, (store) =>
        store.upsertItem({
          id: data.itemId,
          sourceId: data.sourceId,
          sourceType: data.sourceType,
          title: data.title,
          text: data.text,
          url: data.url ?? null,
          language: data.language,
          publishedAt: data.publishedAt,
          model: data.model,
          contentHash: data.contentHash,
        }),
      );
    },

    async itemClustered(message: ReceivedMessage) {
      const { data } = eventOf<Event<typeof EVENT_TYPES.itemClustered>>(message)!;
      await once(message, async (store) => {
        await store.assign([data.itemId], data.clusterId, data.clusteredAt, {
          method: data.method,
          ...(data.similarity === undefined ? {} : { similarity: data.similarity }),
        });
      });
    },

    async itemDuplicateDetected(message: ReceivedMessage) {
      const { data } = eventOf<Event<typeof EVENT_TYPES.itemDuplicateDetected>>(message)!;
      await once(message, (store) => store.recordDuplicate(data));
    },

    async clusterCreated(message: ReceivedMessage) {
      const { data } = eventOf<Event<typeof EVENT_TYPES.clusterCreated>>(message)!;
      await once(message, async (store) => {
        const result = await store.applyClusterVersion(data.clusterId, data.version, data.createdAt, {
          model: data.model,
          label: data.label,
          keywords: data.keywords,
          size: data.size,
          status: 'emerging',
          emergingScore: data.emergingScore,
          representativeItemIds: data.representativeItemIds,
        });
        await store.fillImmutable(data.clusterId, data.model, data.createdAt);
        if (result.gap) deps.onVersionGap?.(data.clusterId, data.version);
        await store.assign(data.memberItemIds, data.clusterId, data.createdAt, { method: 'discovered' });
        await store.refreshLastItemAt(data.clusterId);
      });
    },

    async clusterUpdated(message: ReceivedMessage) {
      const { data } = eventOf<Event<typeof EVENT_TYPES.clusterUpdated>>(message)!;
      await once(message, async (store) => {
        const result = await store.applyClusterVersion(data.clusterId, data.version, data.updatedAt, {
          label: data.label,
          keywords: data.keywords,
          size: data.size,
          status: data.status,
          emergingScore: data.emergingScore,
          velocity: data.velocity,
          representativeItemIds: data.representativeItemIds,
          // A newer live state after a retirement means the topic came back.
          retiredAt: null,
          retiredReason: null,
        });
        if (result.gap) deps.onVersionGap?.(data.clusterId, data.version);
        await store.assign(data.addedItemIds, data.clusterId, data.updatedAt, { method: 'assigned' });
        await store.refreshLastItemAt(data.clusterId);
      });
    },

    async clusterMerged(message: ReceivedMessage) {
      const { data } = eventOf<Event<typeof EVENT_TYPES.clusterMerged>>(message)!;
      await once(message, async (store) => {
        const result = await store.applyClusterVersion(data.clusterId, data.version, data.mergedAt, {
          status: 'merged',
          mergedInto: data.intoClusterId,
        });
        if (result.gap) deps.onVersionGap?.(data.clusterId, data.version);
        await store.assign(data.movedItemIds, data.intoClusterId, data.mergedAt, { method: 'assigned' });
      });
    },

    async clusterRetired(message: ReceivedMessage) {
      const { data } = eventOf<Event<typeof EVENT_TYPES.clusterRetired>>(message)!;
      await once(message, async (store) => {
        const result = await store.applyClusterVersion(data.clusterId, data.version, data.retiredAt, {
          status: 'retired',
          retiredAt: data.retiredAt,
          retiredReason: data.reason,
          lastItemAt: data.lastItemAt,
        });
        if (result.gap) deps.onVersionGap?.(data.clusterId, data.version);
      });
    },
  };
}

export type ProjectionHandlers = ReturnType<typeof projectionHandlers>;
