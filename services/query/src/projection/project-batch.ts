import { claimEvents, withTransaction, type Database, type PermanentFailure } from '@trendmill/platform';
import {
  EVENT_TYPES,
  type ClusterCreated,
  type ClusterMerged,
  type ClusterRetired,
  type ClusterUpdated,
  type ItemClustered,
  type ItemDuplicateDetected,
  type ItemEmbedded,
} from '@trendmill/shared-contracts';
import type { VectorStore } from '@trendmill/vectors';
import { ProjectionStore, type Assignment } from '../store/projection-store.js';
import { upsertVectors } from './upsert-vectors.js';

/** Inbox consumer name: one processed-event record per (projection, event id). */
export const PROJECTION_CONSUMER = 'query-projection';

/**
 * Serialises projection transactions across replicas. Nearly every batch writes the same few rows
 * (a busy cluster, its current hour bucket), so concurrent transactions only queued on those rows
 * and, taking them in different orders, deadlocked (hundreds of deadlocks, a second each, in one
 * run of the 600-item topology test). Held, projection writes never deadlock with each other, and
 * item.embedded / item.clustered of one item always see each other's commit.
 */
const PROJECTION_LOCK_KEY = 7_274_100_402;

export type ProjectionOutcome = 'applied' | 'already-processed';

/** One delivery, read and checked when it was received. */
export type ProjectionEntry = { id: string } & (
  | { type: typeof EVENT_TYPES.itemEmbedded; data: ItemEmbedded; vector: Float32Array }
  | { type: typeof EVENT_TYPES.itemClustered; data: ItemClustered }
  | { type: typeof EVENT_TYPES.itemDuplicateDetected; data: ItemDuplicateDetected }
  | { type: typeof EVENT_TYPES.clusterCreated; data: ClusterCreated }
  | { type: typeof EVENT_TYPES.clusterUpdated; data: ClusterUpdated }
  | { type: typeof EVENT_TYPES.clusterMerged; data: ClusterMerged }
  | { type: typeof EVENT_TYPES.clusterRetired; data: ClusterRetired }
);

type EntryOf<T extends ProjectionEntry['type']> = Extract<ProjectionEntry, { type: T }>;

export interface ProjectBatchDeps {
  db: Database;
  vectors: VectorStore;
  /** Told when a cluster event skipped versions (applied anyway: cluster events carry full state). */
  onVersionGap?: (clusterId: string, version: number) => void;
  onApplied?: (type: string) => void;
}

/**
 * Projects a batch of deliveries in one transaction, with their inbox records: vectors first (an
 * upsert by id is idempotent; were the SQL to fail, the retry writes them again, while the reverse
 * order could leave a row without its vector), then item rows in one statement, duplicates,
 * cluster states one by one in arrival order (each guarded by its version, so a stale one changes
 * nothing; a cluster.updated that a newer one of its cluster follows in the batch is not written),
 * then every membership the batch names (cluster events' and item.clustered) in one statement, and
 * the newest-member times of the clusters they touched in one more. Memberships are ordered by
 * event time, so whichever of item.clustered and the cluster events comes first, the latest
 * assignment wins. An event id already recorded (a redelivery) changes nothing. A vector its collection
 * refuses is rejected alone; any other failure throws, nothing of the batch having committed.
 */
export async function projectBatch(
  deps: ProjectBatchDeps,
  entries: readonly ProjectionEntry[],
): Promise<Array<PromiseSettledResult<ProjectionOutcome>>> {
  const embedded = entries.filter(is(EVENT_TYPES.itemEmbedded));
  const refused = new Map<ProjectionEntry, PermanentFailure>();
  for (const [i, failure] of await upsertVectors(deps.vectors, embedded)) refused.set(embedded[i]!, failure);
  const accepted = entries.filter((e) => !refused.has(e));

  const { db } = deps;
  const gaps: Array<{ clusterId: string; version: number }> = [];
  const applied = await withTransaction(db.sql, async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1::bigint)', [PROJECTION_LOCK_KEY]);
    const fresh = await claimEvents(
      tx,
      db.schema,
      PROJECTION_CONSUMER,
      accepted.map((e) => e.id),
    );
    // An id twice in one batch (a redelivery overtaking its original) is applied once.
    const toApply = new Set(accepted.filter((e) => fresh.delete(e.id)));
    const apply = [...toApply];
    const store = new ProjectionStore(tx, db.schema);
    await store.upsertItems(apply.filter(is(EVENT_TYPES.itemEmbedded)).map(({ data }) => itemRow(data)));
    await store.recordDuplicates(apply.filter(is(EVENT_TYPES.itemDuplicateDetected)).map((e) => e.data));
    // Cluster states one by one in arrival order; of several cluster.updated of one cluster only
    // the newest is written (each carries the whole state, and the older would be overwritten).
    // Every membership the batch names goes in one statement, item.clustered last, as it did
    // event by event: the latest assignment of an item wins, the later one at equal times.
    const writes: BatchWrites = { assignments: [], refresh: new Set(), seen: versionsByCluster(apply) };
    const superseded = supersededUpdates(apply);
    for (const entry of apply) {
      const gap = await applyClusterEvent(store, entry, writes, superseded.has(entry));
      if (gap) gaps.push(gap);
    }
    writes.assignments.push(
      ...apply.filter(is(EVENT_TYPES.itemClustered)).map(({ data }) => ({
        itemId: data.itemId,
        clusterId: data.clusterId,
        at: data.clusteredAt,
        method: data.method,
        ...(data.similarity === undefined ? {} : { similarity: data.similarity }),
      })),
    );
    await store.assignEach(writes.assignments);
    await store.refreshLastItemAt([...writes.refresh]);
    return toApply;
  });

  for (const gap of gaps) deps.onVersionGap?.(gap.clusterId, gap.version);
  for (const entry of applied) deps.onApplied?.(entry.type);
  return entries.map((entry): PromiseSettledResult<ProjectionOutcome> => {
    const failure = refused.get(entry);
    if (failure) return { status: 'rejected', reason: failure };
    return { status: 'fulfilled', value: applied.has(entry) ? 'applied' : 'already-processed' };
  });
}

function is<T extends ProjectionEntry['type']>(type: T) {
  return (entry: ProjectionEntry): entry is EntryOf<T> => entry.type === type;
}

function itemRow(data: ItemEmbedded) {
  return {
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
  };
}

/** What a batch's cluster events leave for the end of its transaction. */
interface BatchWrites {
  assignments: Assignment[];
  /** Clusters whose newest member time is read again once the memberships are written. */
  refresh: Set<string>;
  /** Versions of each cluster that the batch holds. */
  seen: Map<string, number[]>;
}

type ClusterEntry = EntryOf<
  | typeof EVENT_TYPES.clusterCreated
  | typeof EVENT_TYPES.clusterUpdated
  | typeof EVENT_TYPES.clusterMerged
  | typeof EVENT_TYPES.clusterRetired
>;

function isClusterEvent(entry: ProjectionEntry): entry is ClusterEntry {
  return (
    entry.type === EVENT_TYPES.clusterCreated ||
    entry.type === EVENT_TYPES.clusterUpdated ||
    entry.type === EVENT_TYPES.clusterMerged ||
    entry.type === EVENT_TYPES.clusterRetired
  );
}

function versionsByCluster(entries: readonly ProjectionEntry[]): Map<string, number[]> {
  const seen = new Map<string, number[]>();
  for (const entry of entries.filter(isClusterEvent)) {
    const versions = seen.get(entry.data.clusterId) ?? [];
    versions.push(entry.data.version);
    seen.set(entry.data.clusterId, versions);
  }
  return seen;
}

/** The cluster.updated events of a batch that a newer cluster.updated of the same cluster follows. */
function supersededUpdates(entries: readonly ProjectionEntry[]): Set<ProjectionEntry> {
  const newest = new Map<string, EntryOf<typeof EVENT_TYPES.clusterUpdated>>();
  for (const entry of entries.filter(is(EVENT_TYPES.clusterUpdated))) {
    const held = newest.get(entry.data.clusterId);
    if (!held || held.data.version < entry.data.version) newest.set(entry.data.clusterId, entry);
  }
  const kept = new Set<ProjectionEntry>(newest.values());
  return new Set(entries.filter((entry) => entry.type === EVENT_TYPES.clusterUpdated && !kept.has(entry)));
}

/**
 * A cluster event's state (unless `superseded`), its memberships and refresh queued in `writes`;
 * resolves to the version gap it skipped, if any.
 */
async function applyClusterEvent(
  store: ProjectionStore,
  entry: ProjectionEntry,
  writes: BatchWrites,
  superseded: boolean,
): Promise<{ clusterId: string; version: number } | undefined> {
  const gapOf = (result: { gap: boolean }, data: { clusterId: string; version: number }) =>
    result.gap ? { clusterId: data.clusterId, version: data.version } : undefined;
  const seen = (clusterId: string) => writes.seen.get(clusterId) ?? [];
  const assign = (itemIds: readonly string[], clusterId: string, at: string, method: string) => {
    for (const itemId of itemIds) writes.assignments.push({ itemId, clusterId, at, method });
  };
  switch (entry.type) {
    case EVENT_TYPES.clusterCreated: {
      const { data } = entry;
      const result = await store.applyClusterVersion(
        data.clusterId,
        data.version,
        data.createdAt,
        {
          model: data.model,
          label: data.label,
          keywords: data.keywords,
          size: data.size,
          status: 'emerging',
          emergingScore: data.emergingScore,
          representativeItemIds: data.representativeItemIds,
        },
        seen(data.clusterId),
      );
      await store.fillImmutable(data.clusterId, data.model, data.createdAt);
      assign(data.memberItemIds, data.clusterId, data.createdAt, 'discovered');
      writes.refresh.add(data.clusterId);
      return gapOf(result, data);
    }
    case EVENT_TYPES.clusterUpdated: {
      const { data } = entry;
      assign(data.addedItemIds, data.clusterId, data.updatedAt, 'assigned');
      writes.refresh.add(data.clusterId);
      if (superseded) return undefined;
      const result = await store.applyClusterVersion(
        data.clusterId,
        data.version,
        data.updatedAt,
        {
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
        },
        seen(data.clusterId),
      );
      return gapOf(result, data);
    }
    case EVENT_TYPES.clusterMerged: {
      const { data } = entry;
      const result = await store.applyClusterVersion(
        data.clusterId,
        data.version,
        data.mergedAt,
        { status: 'merged', mergedInto: data.intoClusterId },
        seen(data.clusterId),
      );
      assign(data.movedItemIds, data.intoClusterId, data.mergedAt, 'assigned');
      return gapOf(result, data);
    }
    case EVENT_TYPES.clusterRetired: {
      const { data } = entry;
      const result = await store.applyClusterVersion(
        data.clusterId,
        data.version,
        data.retiredAt,
        {
          status: 'retired',
          retiredAt: data.retiredAt,
          retiredReason: data.reason,
          lastItemAt: data.lastItemAt,
        },
        seen(data.clusterId),
      );
      return gapOf(result, data);
    }
    default:
      return undefined;
  }
}
