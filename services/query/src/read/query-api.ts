import {
  clusterDetailQuery,
  clusterItemsQuery,
  clusterListQuery,
  itemListQuery,
  searchQuery,
  similarItemsQuery,
  trendsQuery,
  type ClusterDetail,
  type ClusterStatus,
  type QueryStats,
  type TrendList,
} from '@trendmill/shared-contracts';
import { LRUCache } from 'lru-cache';
import type { QueryApi } from '../api.js';
import { BUCKET_MS, bucketStart, fillBuckets } from '../domain/buckets.js';
import { TREND_WINDOW_MS, trendGrowth, trendScore } from '../domain/trend-score.js';
import { centroid, nearest } from '../domain/vectors-math.js';
import type { QueryEmbedder } from '../embedding/port.js';
import { clusterNotFound, itemNotFound } from '../errors.js';
import type { ReadStore } from '../store/read-store.js';
import { toClusterSummary, toItemSummary } from '../store/rows.js';
import { search } from './search.js';
import { checkId, parseInput } from './validate.js';
import type { VectorAccess } from './vector-access.js';

export interface ReadApiDeps {
  store: ReadStore;
  vectors: VectorAccess;
  embedder: QueryEmbedder;
  clock?: () => Date;
  /** Members whose vectors make a cluster's centroid (newest first; default 1,000). */
  centroidSample?: number;
  /** How long a cluster's evidence items are reused while its state is unchanged (default 30 s; 0 = never). */
  evidenceTtlMs?: number;
}

const STATUSES: ClusterStatus[] = ['emerging', 'active', 'fading', 'retired', 'merged'];

/** The QueryApi over the read model: what the HTTP app serves and the embedded gateway calls. */
export function createReadApi(deps: ReadApiDeps): QueryApi {
  const { store, vectors } = deps;
  const clock = deps.clock ?? (() => new Date());
  const centroidSample = deps.centroidSample ?? 1_000;
  // Evidence needs every sampled member's vector; it changes only as members come and go, so it
  // is kept per cluster state for a short while (a membership change without a new cluster
  // version shows within the TTL).
  const evidenceCache = new LRUCache<string, ClusterDetail['evidence']>({
    max: 2_000,
    ttl: deps.evidenceTtlMs ?? 30_000,
  });

  /** Evidence: the sampled members nearest the centroid of their vectors (cached per cluster state). */
  async function evidence(
    row: { id: string; version: number; size: number; last_item_at: Date; model: string },
    memberIds: string[],
    count: number,
  ): Promise<ClusterDetail['evidence']> {
    if (count === 0 || memberIds.length === 0) return [];
    const key = [row.id, row.version, row.size, row.last_item_at.getTime(), memberIds.length, count].join(
      '\u0000',
    );
    const hit = deps.evidenceTtlMs === 0 ? undefined : evidenceCache.get(key);
    if (hit) return hit;
    const collection = await vectors.collection(row.model);
    if (!collection) return [];
    const points = await collection.retrieve(memberIds);
    const center = centroid(points.map((p) => p.vector));
    if (!center) return [];
    const best = nearest(center, points, count);
    const rows = await store.itemsByIds(best.map((b) => b.point.id));
    const similarity = new Map(best.map((b) => [b.point.id, b.similarity]));
    const fresh = rows.map((r) => ({ item: toItemSummary(r), similarity: similarity.get(r.id)! }));
    if (deps.evidenceTtlMs !== 0) evidenceCache.set(key, fresh);
    return fresh;
  }

  return {
    async listClusters(query) {
      const { rows, nextCursor } = await store.listClusters(parseInput(clusterListQuery, query));
      return { items: rows.map(toClusterSummary), nextCursor };
    },

    async getCluster(id, query) {
      checkId(id, 'cluster');
      const p = parseInput(clusterDetailQuery, query);
      const detail = await store.clusterDetail(id, p.hours, p.evidence > 0 ? centroidSample : 0);
      if (!detail) throw clusterNotFound(id);
      const { row } = detail;
      const toMs = bucketStart(row.last_item_at);
      const fromMs = toMs - (p.hours - 1) * BUCKET_MS;
      return {
        ...toClusterSummary(row),
        representativeItemIds: row.representative_item_ids,
        mergedInto: row.merged_into,
        retiredAt: row.retired_at?.toISOString() ?? null,
        retiredReason: row.retired_reason,
        bucketSeconds: BUCKET_MS / 1000,
        timeSeries: fillBuckets(detail.buckets, fromMs, toMs),
        evidence: await evidence(row, detail.memberIds, p.evidence),
        sources: detail.sources.map((s) => ({
          ...s,
          sourceType: s.sourceType as ClusterDetail['sources'][number]['sourceType'],
        })),
        languages: detail.languages,
      };
    },

    async listClusterItems(id, query) {
      checkId(id, 'cluster');
      const p = parseInput(clusterItemsQuery, query);
      if (!(await store.clusterExists(id))) throw clusterNotFound(id);
      const { rows, nextCursor } = await store.listItems({ cluster: id, limit: p.limit, cursor: p.cursor });
      return { items: rows.map(toItemSummary), nextCursor };
    },

    async listItems(query) {
      const { rows, nextCursor } = await store.listItems(parseInput(itemListQuery, query));
      return { items: rows.map(toItemSummary), nextCursor };
    },

    async getItem(id) {
      checkId(id, 'item');
      const row = await store.item(id);
      if (!row) throw itemNotFound(id);
      const clustered = row.cluster_id !== null && row.assigned_at !== null;
      return {
        ...toItemSummary(row),
        text: row.text,
        model: row.model,
        contentHash: row.content_hash,
        clusterMethod: (row.method as 'assigned' | 'discovered' | 'pooled' | null) ?? null,
        clusterSimilarity: clustered ? row.similarity : null,
        clusteredAt: row.assigned_at?.toISOString() ?? null,
        indexedAt: row.indexed_at.toISOString(),
      };
    },

    search: async (query, options) =>
      search({ store, vectors, embedder: deps.embedder }, parseInput(searchQuery, query), options?.signal),

    async similarItems(id, query) {
      checkId(id, 'item');
      const p = parseInput(similarItemsQuery, query);
      const row = await store.item(id);
      if (!row) throw itemNotFound(id);
      const collection = await vectors.collection(row.model);
      const [self] = collection ? await collection.retrieve([id]) : [];
      if (!collection || !self) return { itemId: id, model: row.model, items: [] };
      const hits = (await collection.search(self.vector, { k: p.k + 1 }))
        .filter((h) => h.id !== id)
        .slice(0, p.k);
      const rows = await store.itemsByIds(hits.map((h) => h.id));
      const score = new Map(hits.map((h) => [h.id, h.score]));
      return {
        itemId: id,
        model: row.model,
        items: rows.map((r) => ({ item: toItemSummary(r), similarity: score.get(r.id)! })),
      };
    },

    async trends(query): Promise<TrendList> {
      const p = parseInput(trendsQuery, query);
      const length = TREND_WINDOW_MS[p.window];
      // Windows are whole hours (the buckets' grain), ending with the current hour.
      const toMs = bucketStart(clock()) + BUCKET_MS;
      const fromMs = toMs - length;
      const [previousFrom, from, to] = [fromMs - length, fromMs, toMs].map((t) =>
        new Date(t).toISOString(),
      ) as [string, string, string];
      const counts =
        p.source !== undefined || p.language !== undefined
          ? await store.windowCountsFiltered(previousFrom, from, to, {
              source: p.source,
              language: p.language,
            })
          : await store.windowCounts(previousFrom, from, to);
      const active = counts.filter((c) => c.window_count > 0);
      const clusters = new Map(
        (await store.clustersByIds(active.map((c) => c.cluster_id))).map((c) => [c.id, c]),
      );
      const items = active
        .flatMap((c) => {
          const cluster = clusters.get(c.cluster_id);
          if (!cluster) return [];
          return [
            {
              cluster: toClusterSummary(cluster),
              windowCount: c.window_count,
              previousCount: c.previous_count,
              growth: trendGrowth(c.window_count, c.previous_count),
              score: trendScore(c.window_count, c.previous_count, cluster.emerging_score),
            },
          ];
        })
        .sort((a, b) => b.score - a.score || (a.cluster.id < b.cluster.id ? -1 : 1))
        .slice(0, p.limit);
      return { window: p.window, from, to, items };
    },

    async stats(): Promise<QueryStats> {
      const [{ counts, byStatus }, collections] = await Promise.all([
        store.stats(),
        vectors.store.listCollections(),
      ]);
      const statusCounts = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<ClusterStatus, number>;
      for (const s of byStatus)
        if (s.status in statusCounts) statusCounts[s.status as ClusterStatus] = s.count;
      return {
        items: counts.items,
        clusteredItems: counts.clustered,
        duplicates: counts.duplicates,
        clusters: { total: byStatus.reduce((n, s) => n + s.count, 0), byStatus: statusCounts },
        sources: counts.sources,
        languages: counts.languages,
        vectors: collections.map((c) => ({ model: c.model, count: c.count })),
        lastEventAt: counts.last_event_at?.toISOString() ?? null,
        versionGaps: counts.gaps,
      };
    },
  };
}
