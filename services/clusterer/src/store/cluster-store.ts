import type {
  ClusterState,
  ClusterStatus,
  EngineChange,
  EngineSettings,
  EngineSnapshot,
  Keyword,
  StoredItem,
} from '../domain/index.js';
import { qualified } from '@trendmill/platform';
import type { Prisma, PrismaClient } from './prisma.js';
import { bytesToVector, vectorToBytes } from './vector-bytes.js';

type Tx = Prisma.TransactionClient;
type Reader = Tx | PrismaClient;
type ClusterRow = Prisma.ClusterGetPayload<object>;

const LIVE: ClusterStatus[] = ['emerging', 'active', 'fading'];

export interface ModelSettingsRecord {
  dim: number;
  settings: EngineSettings;
}

/** The clusterer's tables: what the engine needs back after a restart, and where its changes land. */
export const clusterStore = {
  async modelSettings(db: Reader, model: string): Promise<ModelSettingsRecord | undefined> {
    const row = await db.modelSettings.findUnique({ where: { model } });
    return row ? { dim: row.dim, settings: row.settings as unknown as EngineSettings } : undefined;
  },

  async saveModelSettings(db: Reader, record: ModelSettingsRecord): Promise<void> {
    const settings = record.settings as unknown as Prisma.InputJsonValue;
    await db.modelSettings.upsert({
      where: { model: record.settings.model },
      create: { model: record.settings.model, dim: record.dim, settings },
      update: { settings, updatedAt: new Date() },
    });
  },

  async knownModels(db: Reader): Promise<string[]> {
    return (await db.modelSettings.findMany({ select: { model: true }, orderBy: { model: 'asc' } })).map(
      (r) => r.model,
    );
  },

  /** Stores a new item (not yet in any cluster); false when the model already has it. */
  async insertItem(tx: Tx, item: StoredItem): Promise<boolean> {
    const { count } = await tx.item.createMany({
      data: [
        {
          model: item.model,
          itemId: item.itemId,
          vector: vectorToBytes(item.vector),
          text: item.text,
          publishedAt: new Date(item.publishedAt),
          sourceId: item.sourceId,
          language: item.language,
          clusterId: null,
        },
      ],
      skipDuplicates: true,
    });
    return count === 1;
  },

  /** Stores new items of one batch in one statement; returns the ids that were not stored yet. */
  async insertItems(tx: Tx, items: readonly StoredItem[]): Promise<Set<string>> {
    if (items.length === 0) return new Set();
    const rows = await tx.item.createManyAndReturn({
      data: items.map((item) => ({
        model: item.model,
        itemId: item.itemId,
        vector: vectorToBytes(item.vector),
        text: item.text,
        publishedAt: new Date(item.publishedAt),
        sourceId: item.sourceId,
        language: item.language,
        clusterId: null,
      })),
      skipDuplicates: true,
      select: { itemId: true },
    });
    return new Set(rows.map((r) => r.itemId));
  },

  /**
   * The engine's state for one model: its live clusters, and the items in the pool (published since
   * `poolStart`; older ones the engine let go), published inside the discovery window, or
   * representing a cluster (members of live clusters only; a retired cluster's items are history,
   * not candidates).
   */
  async snapshot(
    db: Reader,
    model: string,
    windowStart: number,
    poolStart = Number.NEGATIVE_INFINITY,
  ): Promise<EngineSnapshot> {
    const clusters = await db.cluster.findMany({
      where: { model, status: { in: LIVE } },
      orderBy: { createdAt: 'asc' },
    });
    const live = clusters.map((c) => c.clusterId);
    const representatives = clusters.flatMap((c) => c.representativeItemIds);
    const items = await db.item.findMany({
      where: {
        model,
        OR: [
          Number.isFinite(poolStart)
            ? { clusterId: null, publishedAt: { gte: new Date(poolStart) } }
            : { clusterId: null },
          { clusterId: { in: live }, publishedAt: { gte: new Date(windowStart) } },
          { clusterId: { in: live }, itemId: { in: representatives } },
        ],
      },
      orderBy: [{ receivedAt: 'asc' }, { itemId: 'asc' }],
    });
    return {
      clusters: clusters.map(toClusterState),
      items: items.map((i) => ({
        itemId: i.itemId,
        model: i.model,
        vector: bytesToVector(i.vector),
        text: i.text,
        publishedAt: i.publishedAt.getTime(),
        sourceId: i.sourceId,
        language: i.language,
        clusterId: i.clusterId,
      })),
    };
  },

  /**
   * Writes what the engine changed: cluster states first (memberships reference them), then the
   * memberships in the order the engine reported them. A cluster changed several times (a batch
   * of items joining it) is written once, in its latest state: each state is the whole row.
   */
  async applyChanges(
    tx: Tx,
    schema: string,
    model: string,
    changes: readonly EngineChange[],
    now: number,
  ): Promise<void> {
    const latest = new Map<string, ClusterState>();
    for (const change of changes) {
      if (change.kind !== 'item-clustered') latest.set(change.cluster.clusterId, change.cluster);
    }
    for (const state of latest.values()) {
      const data = toClusterRow(state);
      await tx.cluster.upsert({ where: { clusterId: data.clusterId }, create: data, update: data });
    }
    const clusteredAt = new Date(now);
    const assign = async (itemIds: readonly string[], clusterId: string | null) => {
      if (itemIds.length === 0) return;
      await tx.item.updateMany({
        where: { model, itemId: { in: [...itemIds] } },
        data: { clusterId, clusteredAt: clusterId === null ? null : clusteredAt },
      });
    };
    if (!changes.some((c) => c.kind === 'cluster-merged')) {
      // Without a merge (which moves members by cluster), each item ends where it was last put:
      // one statement for all of them (it was one per target cluster, most batches several).
      const final = [...finalMemberships(changes)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      if (final.length === 0) return;
      await tx.$executeRawUnsafe(
        `UPDATE ${qualified(schema, 'items')} AS i
            SET cluster_id = v.cluster_id,
                clustered_at = CASE WHEN v.cluster_id IS NULL THEN NULL ELSE $4::timestamptz(3) END
           FROM unnest($2::text[], $3::text[]) AS v(item_id, cluster_id)
          WHERE i.model = $1 AND i.item_id = v.item_id`,
        model,
        final.map(([itemId]) => itemId),
        final.map(([, clusterId]) => clusterId),
        clusteredAt.toISOString(),
      );
      return;
    }
    for (const change of changes) {
      switch (change.kind) {
        case 'item-clustered':
          await assign([change.itemId], change.clusterId);
          break;
        case 'cluster-created':
          await assign(change.memberItemIds, change.cluster.clusterId);
          break;
        case 'cluster-updated':
          await assign(change.addedItemIds, change.cluster.clusterId);
          break;
        case 'cluster-merged':
          // Every stored member moves, also those older than the window the engine still holds.
          await tx.item.updateMany({
            where: { model, clusterId: change.cluster.clusterId },
            data: { clusterId: change.intoClusterId },
          });
          break;
        case 'cluster-retired':
          break;
      }
    }
  },

  async clusterIds(db: Reader, model: string): Promise<string[]> {
    return (await db.cluster.findMany({ where: { model }, select: { clusterId: true } })).map(
      (c) => c.clusterId,
    );
  },
};

/** Where each item named by membership changes ends up, the last change winning. */
function finalMemberships(changes: readonly EngineChange[]): Map<string, string | null> {
  const last = new Map<string, string | null>();
  const put = (itemIds: readonly string[], clusterId: string | null) => {
    for (const itemId of itemIds) last.set(itemId, clusterId);
  };
  for (const change of changes) {
    if (change.kind === 'item-clustered') put([change.itemId], change.clusterId);
    else if (change.kind === 'cluster-created') put(change.memberItemIds, change.cluster.clusterId);
    else if (change.kind === 'cluster-updated') put(change.addedItemIds, change.cluster.clusterId);
  }
  return last;
}

function toClusterRow(state: ClusterState): Prisma.ClusterUncheckedCreateInput {
  return {
    clusterId: state.clusterId,
    model: state.model,
    version: state.version,
    status: state.status,
    size: state.size,
    centroid: vectorToBytes(state.centroid),
    label: state.label,
    keywords: state.keywords as unknown as Prisma.InputJsonValue,
    representativeItemIds: [...state.representativeItemIds],
    emergingScore: finite(state.emergingScore),
    velocity: finite(state.velocity),
    createdAt: new Date(state.createdAt),
    updatedAt: new Date(state.updatedAt),
    lastItemAt: new Date(state.lastItemAt),
    mergedInto: state.mergedInto ?? null,
    // The engine's private state round-trips through JSON by contract; undefined becomes null.
    internal: JSON.parse(JSON.stringify(state.internal ?? null)) as Prisma.InputJsonValue,
  };
}

export function toClusterState(row: ClusterRow): ClusterState {
  return {
    clusterId: row.clusterId,
    model: row.model,
    version: row.version,
    status: row.status as ClusterStatus,
    size: row.size,
    centroid: bytesToVector(row.centroid),
    label: row.label,
    keywords: row.keywords as unknown as Keyword[],
    representativeItemIds: row.representativeItemIds,
    emergingScore: row.emergingScore,
    velocity: row.velocity,
    createdAt: row.createdAt.getTime(),
    updatedAt: row.updatedAt.getTime(),
    lastItemAt: row.lastItemAt.getTime(),
    ...(row.mergedInto ? { mergedInto: row.mergedInto } : {}),
    internal: row.internal,
  };
}

const finite = (n: number) => (Number.isFinite(n) ? n : 0);
