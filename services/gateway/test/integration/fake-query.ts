import { QueryApiError, type QueryApi } from '@trendmill/query';
import {
  clusterListQuery,
  type ClusterDetail,
  type ClusterSummary,
  type ItemDetail,
  type ItemSummary,
} from '@trendmill/shared-contracts';

// An in-memory QueryApi for the gateway's own behaviour (auth, validation, cache, errors); the
// real query service is exercised in query-service.test.ts.

const at = '2026-12-01T10:00:00.000Z';

export function clusterFixture(id: string, label = `topic ${id}`): ClusterSummary {
  return {
    id,
    label,
    keywords: [{ term: label, weight: 1 }],
    size: 3,
    status: 'active',
    version: 1,
    model: 'test-model',
    emergingScore: 0.5,
    velocity: 1.5,
    createdAt: at,
    updatedAt: at,
    lastItemAt: at,
  };
}

export function itemFixture(id: string, clusterId: string | null = 'c1'): ItemSummary {
  return {
    id,
    title: `item ${id}`,
    url: `https://example.org/${id}`,
    snippet: `text of ${id}`,
    sourceId: 's1',
    sourceType: 'push',
    language: 'en',
    publishedAt: at,
    clusterId,
    duplicateCount: 0,
  };
}

export class FakeQuery implements QueryApi {
  clusters: ClusterSummary[] = [clusterFixture('c1', 'rust async'), clusterFixture('c2', 'gpu prices')];
  items: ItemSummary[] = [itemFixture('i1'), itemFixture('i2'), itemFixture('i3', null)];
  readonly calls: Array<{ method: string; args: unknown[] }> = [];
  /** Set to make the next calls fail with it. */
  failure: Error | undefined;

  private record(method: string, args: unknown[]): void {
    this.calls.push({ method, args });
    if (this.failure) throw this.failure;
  }

  count(method: string): number {
    return this.calls.filter((c) => c.method === method).length;
  }

  async listClusters(...args: Parameters<QueryApi['listClusters']>) {
    this.record('listClusters', args);
    const query = clusterListQuery.parse(args[0] ?? {});
    return { items: this.clusters.slice(0, query.limit), nextCursor: null };
  }

  async getCluster(id: string, ...rest: unknown[]): Promise<ClusterDetail> {
    this.record('getCluster', [id, ...rest]);
    const summary = this.clusters.find((c) => c.id === id);
    if (!summary) throw new QueryApiError(404, 'cluster_not_found', `no cluster ${JSON.stringify(id)}`);
    return {
      ...summary,
      representativeItemIds: ['i1'],
      mergedInto: null,
      retiredAt: null,
      retiredReason: null,
      bucketSeconds: 3600,
      timeSeries: [{ start: at, count: 2 }],
      evidence: [{ item: itemFixture('i1'), similarity: 0.9 }],
      sources: [{ sourceId: 's1', sourceType: 'push', count: 2 }],
      languages: [{ language: 'en', count: 2 }],
    };
  }

  async listClusterItems(id: string, ...rest: unknown[]) {
    this.record('listClusterItems', [id, ...rest]);
    if (!this.clusters.some((c) => c.id === id))
      throw new QueryApiError(404, 'cluster_not_found', `no cluster ${JSON.stringify(id)}`);
    return { items: this.items.filter((i) => i.clusterId === id), nextCursor: null };
  }

  async listItems(...args: Parameters<QueryApi['listItems']>) {
    this.record('listItems', args);
    return { items: this.items, nextCursor: null };
  }

  async getItem(id: string, ...rest: unknown[]): Promise<ItemDetail> {
    this.record('getItem', [id, ...rest]);
    const item = this.items.find((i) => i.id === id);
    if (!item) throw new QueryApiError(404, 'item_not_found', `no item ${JSON.stringify(id)}`);
    return {
      ...item,
      text: item.snippet,
      model: 'test-model',
      contentHash: 'ab'.repeat(32),
      clusterMethod: item.clusterId ? 'assigned' : 'pooled',
      clusterSimilarity: item.clusterId ? 0.8 : null,
      clusteredAt: item.clusterId ? at : null,
      indexedAt: at,
    };
  }

  async search(...args: Parameters<QueryApi['search']>) {
    this.record('search', args);
    const [query] = args;
    const mode = query.mode ?? 'hybrid';
    return {
      query: query.q,
      mode,
      model: mode === 'fulltext' ? null : 'test-model',
      hits: this.items
        .filter((i) => i.title.includes(query.q.trim()))
        .map((item, n) => ({ item, score: 1 / (n + 1), ranks: { fulltext: n + 1, semantic: null } })),
      degraded: null,
    };
  }

  async similarItems(id: string, ...rest: unknown[]) {
    this.record('similarItems', [id, ...rest]);
    if (!this.items.some((i) => i.id === id))
      throw new QueryApiError(404, 'item_not_found', `no item ${JSON.stringify(id)}`);
    return {
      itemId: id,
      model: 'test-model',
      items: this.items.filter((i) => i.id !== id).map((item) => ({ item, similarity: 0.5 })),
    };
  }

  async trends(...args: Parameters<QueryApi['trends']>) {
    this.record('trends', args);
    return {
      window: args[0]?.window ?? '24h',
      from: '2026-11-30T10:00:00.000Z',
      to: at,
      items: this.clusters.map((cluster) => ({
        cluster,
        windowCount: 3,
        previousCount: 1,
        growth: 2,
        score: 2,
      })),
    };
  }

  async stats(...args: Parameters<QueryApi['stats']>) {
    this.record('stats', args);
    return {
      items: this.items.length,
      clusteredItems: 2,
      duplicates: 0,
      clusters: {
        total: this.clusters.length,
        byStatus: { emerging: 0, active: this.clusters.length, fading: 0, retired: 0, merged: 0 },
      },
      sources: 1,
      languages: 1,
      vectors: [{ model: 'test-model', count: 3 }],
      lastEventAt: at,
      versionGaps: 0,
    };
  }
}
