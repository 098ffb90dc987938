import { randomUUID } from 'node:crypto';
import type {
  ClusterEngine,
  ClusterState,
  EngineChange,
  EngineItem,
  EngineSettings,
  EngineSnapshot,
  StoredItem,
} from '../../src/domain/contract.js';
import type { EngineFactory } from '../../src/engine-registry.js';

/**
 * A small, honest engine for the service tests that must not depend on the density clustering's
 * tuning (leadership, outbox, restarts): nearest-centroid assignment, greedy grouping of the pool
 * by the same threshold, retirement after `retireAfterMs` of quiet. It keeps the contract: replays
 * are no-ops, versions rise by one per announced change, state survives a snapshot.
 */
export const fakeEngineFactory: EngineFactory = {
  defaults: (model, overrides = {}) => ({
    model,
    assignThreshold: 0.8,
    minClusterSize: 3,
    minSamples: 2,
    discoveryWindowMs: 24 * 3_600_000,
    discoveryPoolTrigger: 1_000,
    discoveryMaxItems: 20_000,
    mergeThreshold: 0.95,
    retireAfterMs: 7 * 24 * 3_600_000,
    bucketMs: 3_600_000,
    ...overrides,
  }),
  create: (settings, options = {}) => new FakeEngine(settings, options.snapshot, options.newId ?? randomUUID),
};

class FakeEngine implements ClusterEngine {
  private readonly items = new Map<string, StoredItem>();
  private readonly live = new Map<string, ClusterState>();
  /** Items ever pooled, and that count when `discover` last ran. */
  private pooled = 0;
  private pooledLooked = 0;

  constructor(
    readonly settings: EngineSettings,
    snapshot: EngineSnapshot | undefined,
    private readonly newId: () => string,
  ) {
    for (const c of snapshot?.clusters ?? []) this.live.set(c.clusterId, { ...c });
    for (const i of snapshot?.items ?? []) this.items.set(i.itemId, { ...i });
    this.pooled = this.poolSize();
  }

  add(item: EngineItem, now: number) {
    if (this.items.has(item.itemId)) return { changes: [], discoveryDue: false };
    const best = this.nearest(item.vector);
    if (best && best.similarity >= this.settings.assignThreshold) {
      this.items.set(item.itemId, { ...item, clusterId: best.cluster.clusterId });
      const cluster = this.grow(best.cluster, [item], now);
      const changes: EngineChange[] = [
        {
          kind: 'item-clustered',
          itemId: item.itemId,
          clusterId: cluster.clusterId,
          method: 'assigned',
          similarity: best.similarity,
        },
        { kind: 'cluster-updated', cluster, addedItemIds: [item.itemId] },
      ];
      return { changes, discoveryDue: false };
    }
    this.items.set(item.itemId, { ...item, clusterId: null });
    this.pooled++;
    return {
      changes: [
        { kind: 'item-clustered' as const, itemId: item.itemId, clusterId: null, method: 'pooled' as const },
      ],
      discoveryDue: this.poolSize() >= this.settings.discoveryPoolTrigger,
    };
  }

  /** One `add` after another (this fake announces a cluster per item; the real engine once per call). */
  addMany(items: readonly EngineItem[], now: number) {
    const changes: EngineChange[] = [];
    let discoveryDue = false;
    for (const item of items) {
      const result = this.add(item, now);
      changes.push(...result.changes);
      discoveryDue ||= result.discoveryDue;
    }
    return { changes, discoveryDue };
  }

  discover(now: number): EngineChange[] {
    this.pooledLooked = this.pooled;
    const changes: EngineChange[] = [];
    const pool = [...this.items.values()].filter((i) => i.clusterId === null);
    const taken = new Set<string>();
    for (const seed of pool) {
      if (taken.has(seed.itemId)) continue;
      const group = pool.filter(
        (i) => !taken.has(i.itemId) && dot(i.vector, seed.vector) >= this.settings.assignThreshold,
      );
      if (group.length < this.settings.minClusterSize) continue;
      for (const i of group) taken.add(i.itemId);
      const created: ClusterState = {
        clusterId: this.newId(),
        model: this.settings.model,
        version: 0,
        status: 'emerging',
        size: 0,
        centroid: new Float32Array(seed.vector.length),
        label: '',
        keywords: [],
        representativeItemIds: [],
        emergingScore: 1,
        velocity: 0,
        createdAt: now,
        updatedAt: now,
        lastItemAt: now,
        internal: { sum: [...new Float32Array(seed.vector.length)] },
      };
      const cluster = this.grow(created, group, now);
      for (const i of group) this.items.get(i.itemId)!.clusterId = cluster.clusterId;
      changes.push({ kind: 'cluster-created', cluster, memberItemIds: group.map((i) => i.itemId) });
      for (const i of group) {
        changes.push({
          kind: 'item-clustered',
          itemId: i.itemId,
          clusterId: cluster.clusterId,
          method: 'discovered',
        });
      }
    }
    return changes;
  }

  maintain(now: number): EngineChange[] {
    const changes: EngineChange[] = [];
    for (const c of [...this.live.values()]) {
      if (now - c.lastItemAt < this.settings.retireAfterMs) continue;
      const retired = { ...c, status: 'retired' as const, version: c.version + 1, updatedAt: now };
      this.live.delete(c.clusterId);
      changes.push({ kind: 'cluster-retired', cluster: retired, reason: 'quiet' });
    }
    return changes;
  }

  clusters(): ClusterState[] {
    return [...this.live.values()];
  }
  poolSize(): number {
    return [...this.items.values()].filter((i) => i.clusterId === null).length;
  }
  pooledSinceDiscovery(): number {
    return this.pooled - this.pooledLooked;
  }
  has(itemId: string): boolean {
    return this.items.has(itemId);
  }

  private grow(cluster: ClusterState, members: EngineItem[], now: number): ClusterState {
    const sum = Float64Array.from((cluster.internal as { sum: number[] }).sum);
    for (const m of members) for (let d = 0; d < sum.length; d++) sum[d]! += m.vector[d]!;
    const norm = Math.hypot(...sum) || 1;
    const next: ClusterState = {
      ...cluster,
      version: cluster.version + 1,
      size: cluster.size + members.length,
      centroid: Float32Array.from(sum, (v) => v / norm),
      label: members[0]!.text.split(/\s+/).slice(0, 4).join(' '),
      keywords: [{ term: members[0]!.text.split(/\s+/)[0] || 'item', weight: 1 }],
      representativeItemIds: [...cluster.representativeItemIds, ...members.map((m) => m.itemId)].slice(0, 5),
      updatedAt: now,
      lastItemAt: now,
      internal: { sum: [...sum] },
    };
    this.live.set(next.clusterId, next);
    return next;
  }

  private nearest(vector: Float32Array) {
    let best: { cluster: ClusterState; similarity: number } | undefined;
    for (const cluster of this.live.values()) {
      const similarity = dot(cluster.centroid, vector);
      if (!best || similarity > best.similarity) best = { cluster, similarity };
    }
    return best;
  }
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
