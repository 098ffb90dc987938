import { randomUUID } from 'node:crypto';
import {
  CTfIdfIndex,
  TermCounts,
  clusterLabel,
  keywordTerms,
  profileSimilarity,
} from '../algorithms/describe/index.js';
import { CentroidIndex, type CentroidIndexOptions } from './centroid-index.js';
import {
  meanPairwiseSimilarity,
  newRecord,
  recordFromState,
  snapshotOf,
  sumOfVectors,
  unitOf,
  type ClusterRecord,
} from './cluster-record.js';
import { trendFigures } from './cluster-trend.js';
import type {
  AddResult,
  DiscoveryInput,
  ClusterEngine,
  ClusterState,
  EngineChange,
  EngineItem,
  EngineSettings,
  EngineSnapshot,
  StoredItem,
} from './contract.js';
import { EngineError } from './errors.js';
import { DISCOVERY_DIMENSIONS, findGroups } from './find-groups.js';
import { clusterReach } from './reach.js';
import { passDensity, poolRetentionMs, validateSettings } from './settings.js';

export interface EngineOptions {
  snapshot?: EngineSnapshot;
  newId?: () => string;
  /** Tuning of the nearest-centroid search (tests, benchmarks). */
  centroidIndex?: CentroidIndexOptions;
  /** Passes over fewer candidates than this are small (default SMALL_PASS; tests). */
  smallPass?: number;
}

/** Representative items per cluster. */
export const REPRESENTATIVES = 5;
export const KEYWORDS = 10;
/** Keywords are recomputed on every change while a cluster is this small, then on 10 % growth. */
const DESCRIBE_EVERY_CHANGE_BELOW = 50;
const DESCRIBE_GROWTH = 1.1;
/** A discovered group whose c-TF-IDF profile is this close to a nearby cluster's is that cluster. */
export const PROFILE_MATCH = 0.5;
const UNIT_TOLERANCE = 1e-3;
/** Discovery's leftover noise looks for a cluster whose reach it clears among this many nearest. */
const REACH_CANDIDATES = 5;
/**
 * Distinct terms a cluster keeps counts for. Every announced state carries the counts (restore
 * needs them), so an unbounded vocabulary would make each change of a big cluster cost O(its
 * vocabulary); past 1.5× this many the rarest terms are dropped (keywords come from the top ones).
 */
export const TERM_CAP = 300;
/**
 * How much closer than the background an item must be to join a cluster, and a new group's members
 * to each other, in cosine similarity. The background is how similar two unrelated items of the
 * stream are (see `background`): sentence embeddings share a large common direction, so for the
 * built-in model two posts on unrelated subjects sit at 0.5–0.66 depending on the stream, and a
 * fixed threshold below that lets one broad cluster absorb every later topic.
 */
export const BACKGROUND_MARGIN = 0.02;
/**
 * A discovery pass over fewer candidates than this extends an existing cluster only with the
 * members of a matched group whose NEIGHBOURS nearest candidates are mostly the cluster's members;
 * the rest wait. A small window holds a few items per topic, and density clustering then links
 * neighbouring topics into one group, which a cluster owning part of it took whole: it grew into a
 * catch-all and merged the rest. The sample week (160 posts, nine topics) streamed in 200 orders
 * with a pass every 5–25, 5–45 or 5–105 posts ended with ≤ 2 clusters in 22, 14 and 4 % of
 * orders (volume-scaled minClusterSize; 79 % with the former fixed 10), with this rule in 1, 3 and
 * 0 %. A rule on centroid similarity instead reached 0 %, but kept out items the density links
 * rightly placed (a new topic's later posts sit at 0.61–0.65 to its centroid, no closer than
 * unrelated posts, yet among its members). In big passes groups stay within topics, and a filter
 * there cost NMI (searchsnippets 0.477 → 0.464), so it stops here. Of the labelled sets' passes
 * only tweet's fall below it, and agnews' first, which has no cluster to extend.
 */
export const SMALL_PASS = 1_000;
/** How many nearest candidates decide where a small pass's grouped item belongs (see SMALL_PASS). */
const NEIGHBOURS = 3;
/** Share of the items held by which the pool must grow before discovery is due (see discoveryDue). */
export const DUE_SHARE = 0.05;

interface KnownItem {
  item: EngineItem;
  clusterId: string | null;
}

/** Per call: what happened to each cluster, folded into one announced change per cluster. */
interface Pending {
  created: Set<string>;
  added: Map<string, string[]>;
  touched: Set<string>;
}

export function createClusterEngine(settings: EngineSettings, options: EngineOptions = {}): ClusterEngine {
  return new Engine(settings, options);
}

class Engine implements ClusterEngine {
  readonly settings: EngineSettings;
  private readonly newId: () => string;
  private readonly items = new Map<string, KnownItem>();
  private readonly pool = new Set<string>();
  private readonly live = new Map<string, ClusterRecord>();
  private readonly keywordIndex = new CTfIdfIndex();
  private centroids: CentroidIndex | undefined;
  private dim: number | undefined;
  /** Items ever pooled (by `add` or a restore); only grows. */
  private pooledCount = 0;
  /** `pooledCount` when the last completed discovery pass took its candidates. */
  private pooledCountLooked = 0;
  /** Σ of the vectors of every item held (see `background`). */
  private total: Float64Array | undefined;

  constructor(
    settings: EngineSettings,
    private readonly options: EngineOptions,
  ) {
    validateSettings(settings);
    this.settings = { ...settings };
    this.newId = options.newId ?? randomUUID;
    if (options.snapshot) this.restore(options.snapshot);
  }

  add(item: EngineItem, now: number): AddResult {
    return this.addMany([item], now);
  }

  addMany(items: readonly EngineItem[], now: number): AddResult {
    // Every item is checked before the engine changes: a refused item leaves it as it was.
    const fresh: EngineItem[] = [];
    const seen = new Set<string>();
    for (const item of items) {
      if (this.items.has(item?.itemId) || seen.has(item?.itemId)) continue;
      this.checkItem(item);
      seen.add(item.itemId);
      fresh.push(item);
    }
    const pending = emptyPending();
    const changes: EngineChange[] = [];
    for (const item of fresh) {
      const known: KnownItem = { item, clusterId: null };
      this.hold(known);
      const [nearest] = this.index().nearest(item.vector, 1);
      if (nearest && nearest.similarity >= this.joinThreshold()) {
        this.join(known, nearest.key, pending);
        changes.push({
          kind: 'item-clustered',
          itemId: item.itemId,
          clusterId: nearest.key,
          method: 'assigned',
          similarity: nearest.similarity,
        });
      } else {
        this.pool.add(item.itemId);
        this.pooledCount++;
        changes.push({ kind: 'item-clustered', itemId: item.itemId, clusterId: null, method: 'pooled' });
      }
    }
    changes.push(...this.announce(pending, now));
    return { changes, discoveryDue: this.discoveryDue() };
  }

  discover(now: number): EngineChange[] {
    const input = this.prepareDiscovery(now);
    return this.completeDiscovery(input, findGroups(input.vectors, input.options), now);
  }

  prepareDiscovery(now: number): DiscoveryInput {
    const horizon = now - this.settings.discoveryWindowMs;
    // Nothing pooled: nothing to discover.
    const candidates =
      this.pool.size === 0
        ? []
        : [...this.items.values()]
            .filter((known) => known.clusterId === null || known.item.publishedAt >= horizon)
            .sort(byTimeThenId)
            .slice(-this.settings.discoveryMaxItems);
    const options = { ...passDensity(this.settings, candidates.length), dimensions: DISCOVERY_DIMENSIONS };
    return {
      itemIds: candidates.map((known) => known.item.itemId),
      vectors: candidates.map((known) => known.item.vector),
      options,
      poolMark: this.pooledCount,
    };
  }

  completeDiscovery(
    input: DiscoveryInput,
    groups: readonly (readonly number[])[],
    now: number,
  ): EngineChange[] {
    const tighterThan = this.background() + BACKGROUND_MARGIN;
    const threshold = this.joinThreshold(tighterThan);
    const { minClusterSize } = input.options;
    this.measureReach(threshold, tighterThan, minClusterSize);
    // A small pass's groups may span topics (see SMALL_PASS): its items join a cluster they sit among.
    const small = input.itemIds.length < (this.options.smallPass ?? SMALL_PASS);
    const pending = emptyPending();
    const clustered: EngineChange[] = [];
    // The candidates as the engine holds them now: one released since the input was taken is gone.
    const rowsHeld = input.itemIds.map((itemId) => this.items.get(itemId));
    const candidates = rowsHeld.filter((known): known is KnownItem => known !== undefined);

    for (const rows of groups) {
      const members = rows
        .map((row) => rowsHeld[row])
        .filter((known): known is KnownItem => known !== undefined);
      const pooled = members.filter((known) => known.clusterId === null);
      if (pooled.length === 0) continue;
      const target = this.matchGroup(members, pooled, threshold);
      // A new topic is a group tighter than the stream around it: a group no closer than two
      // unrelated items (what density clustering leaves when it splits off the one dense topic
      // of a sparse window) is not one, and its items wait for a later pass.
      if (target === undefined && (pooled.length < minClusterSize || cohesion(pooled) < tighterThan))
        continue;
      const joining = target !== undefined && small ? linkedTo(target, pooled, candidates) : pooled;
      const clusterId = target ?? this.createCluster(now, pending);
      for (const known of joining) {
        this.join(known, clusterId, pending);
        clustered.push({
          kind: 'item-clustered',
          itemId: known.item.itemId,
          clusterId,
          method: 'discovered',
        });
      }
    }

    // Noise of this pass that now lies within some cluster's own reach joins it (new clusters: the join threshold).
    for (const known of candidates) {
      if (known.clusterId !== null) continue;
      const nearest = this.nearestReaching(known.item.vector, threshold);
      if (!nearest) continue;
      this.join(known, nearest.key, pending);
      clustered.push({
        kind: 'item-clustered',
        itemId: known.item.itemId,
        clusterId: nearest.key,
        method: 'assigned',
        similarity: nearest.similarity,
      });
    }
    // Items pooled while the groups were being found were not looked at: they count towards the next pass.
    this.pooledCountLooked = Math.max(this.pooledCountLooked, input.poolMark);
    return [...clustered, ...this.announce(pending, now)];
  }

  maintain(now: number): EngineChange[] {
    const changes: EngineChange[] = [];
    for (const id of sortedKeys(this.live)) {
      const record = this.live.get(id)!;
      if (now - record.state.lastItemAt < this.settings.retireAfterMs) continue;
      changes.push(this.retire(record, now));
    }
    const pending = emptyPending();
    changes.push(...this.mergeConverged(now, pending));
    for (const id of sortedKeys(this.live)) {
      const record = this.live.get(id)!;
      const figures = trendFigures(record.histogram, now);
      const { state } = record;
      if (
        figures.status !== state.status ||
        figures.velocity !== state.velocity ||
        figures.emergingScore !== state.emergingScore
      )
        pending.touched.add(id);
    }
    changes.push(...this.announce(pending, now));
    this.pruneItems(now);
    return changes;
  }

  clusters(): ClusterState[] {
    return sortedKeys(this.live).map((id) => snapshotOf(this.live.get(id)!));
  }

  poolSize(): number {
    return this.pool.size;
  }

  pooledSinceDiscovery(): number {
    return this.pooledCount - this.pooledCountLooked;
  }

  has(itemId: string): boolean {
    return this.items.has(itemId);
  }

  /** The cluster an item the engine holds belongs to (null: pooled; undefined: unknown). */
  clusterOf(itemId: string): string | null | undefined {
    return this.items.get(itemId)?.clusterId;
  }

  // --- assignment ----------------------------------------------------------------------------

  private join(known: KnownItem, clusterId: string, pending: Pending): void {
    const record = this.live.get(clusterId)!;
    const { item } = known;
    for (let d = 0; d < record.sum.length; d++) record.sum[d]! += item.vector[d]!;
    const terms = keywordTerms(item.text, { language: item.language });
    record.terms.addDocument(terms);
    this.keywordIndex.addDocument(clusterId, terms);
    this.capTerms(record);
    record.histogram.add(item.publishedAt);
    record.members.add(item.itemId);
    record.state.size += 1;
    record.state.lastItemAt = Math.max(record.state.lastItemAt, item.publishedAt);
    record.state.centroid = unitOf(record.sum);
    this.index().set(clusterId, record.state.centroid);
    known.clusterId = clusterId;
    this.pool.delete(item.itemId);
    let added = pending.added.get(clusterId);
    if (!added) pending.added.set(clusterId, (added = []));
    added.push(item.itemId);
  }

  /**
   * Each live cluster's reach (clusterReach, never below `floor`) from its members in memory; with
   * too few of them, none (the join threshold applies).
   */
  private measureReach(threshold: number, floor: number, minClusterSize: number): void {
    for (const record of this.live.values()) {
      const similarities: number[] = [];
      for (const itemId of record.members) {
        const known = this.items.get(itemId);
        if (known) similarities.push(dot(known.item.vector, record.state.centroid));
      }
      record.reach =
        similarities.length < minClusterSize ? undefined : clusterReach(similarities, threshold, floor);
    }
  }

  /** Of the few nearest clusters, the closest whose reach (or the join threshold) the vector clears. */
  private nearestReaching(
    vector: Float32Array,
    threshold: number,
  ): { key: string; similarity: number } | undefined {
    for (const hit of this.index().nearest(vector, REACH_CANDIDATES)) {
      const reach = this.live.get(hit.key)?.reach ?? threshold;
      if (hit.similarity >= reach) return hit;
    }
    return undefined;
  }

  private capTerms(record: ClusterRecord): void {
    if (record.terms.size <= TERM_CAP * 1.5) return;
    const kept = [...record.terms.entries()]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .slice(0, TERM_CAP);
    record.terms = TermCounts.fromJSON({
      documents: record.terms.documents,
      terms: Object.fromEntries(kept),
    });
    this.keywordIndex.setCluster(record.state.clusterId, record.terms);
  }

  private createCluster(now: number, pending: Pending): string {
    const id = this.newId();
    if (this.live.has(id) || id === '') throw new Error(`newId gave an unusable cluster id "${id}"`);
    const record = newRecord(id, this.settings.model, this.dim!, this.settings.bucketMs, now);
    this.live.set(id, record);
    pending.created.add(id);
    return id;
  }

  /**
   * The existing cluster a discovered group is, if any: the cluster most of its already clustered
   * members belong to, else the nearest cluster when its centroid is as close as two converging
   * clusters' (mergeThreshold), or close enough to take the items (assignThreshold) and with a
   * similar c-TF-IDF profile. Keeps ids stable when discovery finds a known topic again.
   */
  private matchGroup(members: KnownItem[], pooled: KnownItem[], threshold: number): string | undefined {
    const owners = new Map<string, number>();
    for (const known of members)
      if (known.clusterId !== null && this.live.has(known.clusterId))
        owners.set(known.clusterId, (owners.get(known.clusterId) ?? 0) + 1);
    const clusteredCount = [...owners.values()].reduce((sum, count) => sum + count, 0);
    const [owner, owned] = [...owners].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0] ?? [];
    if (owner !== undefined && owned! * 2 >= clusteredCount && clusteredCount * 4 >= members.length)
      return owner;

    const [nearest] = this.index().nearest(unitOf(sumOf(pooled)), 1);
    if (!nearest) return undefined;
    if (nearest.similarity >= this.settings.mergeThreshold) return nearest.key;
    if (nearest.similarity < threshold) return undefined;
    const counts = TermCounts.of(
      pooled.map((known) => keywordTerms(known.item.text, { language: known.item.language })),
    );
    const similarity = profileSimilarity(
      this.keywordIndex.profileOf(counts),
      this.keywordIndex.profile(nearest.key),
    );
    return similarity >= PROFILE_MATCH ? nearest.key : undefined;
  }

  // --- lifecycle -----------------------------------------------------------------------------

  private retire(record: ClusterRecord, now: number): EngineChange {
    const id = record.state.clusterId;
    this.dropLive(id);
    record.state.status = 'retired';
    record.state.version += 1;
    record.state.updatedAt = now;
    const quietDays = (now - record.state.lastItemAt) / 86_400_000;
    return {
      kind: 'cluster-retired',
      cluster: snapshotOf(record),
      reason: `no new item for ${quietDays.toFixed(1)} days (retireAfterMs ${this.settings.retireAfterMs})`,
    };
  }

  /**
   * Merges pairs of clusters whose centroids reached mergeThreshold, most similar first, the smaller
   * into the larger (equal sizes: into the older, then the smaller id), until no pair is left.
   */
  private mergeConverged(now: number, pending: Pending): EngineChange[] {
    const changes: EngineChange[] = [];
    for (;;) {
      const pairs: Array<{ a: string; b: string; similarity: number }> = [];
      for (const id of sortedKeys(this.live)) {
        const [nearest] = this.index().nearest(this.live.get(id)!.state.centroid, 1, id);
        if (nearest && nearest.similarity >= this.settings.mergeThreshold && id < nearest.key)
          pairs.push({ a: id, b: nearest.key, similarity: nearest.similarity });
      }
      if (pairs.length === 0) return changes;
      pairs.sort((x, y) => y.similarity - x.similarity || (x.a < y.a ? -1 : x.a > y.a ? 1 : 0));
      const used = new Set<string>();
      for (const { a, b } of pairs) {
        if (used.has(a) || used.has(b)) continue;
        used.add(a).add(b);
        const [into, from] = mergeOrder(this.live.get(a)!, this.live.get(b)!);
        changes.push(this.merge(into, from, now, pending));
      }
    }
  }

  private merge(into: ClusterRecord, from: ClusterRecord, now: number, pending: Pending): EngineChange {
    const intoId = into.state.clusterId;
    const fromId = from.state.clusterId;
    for (let d = 0; d < into.sum.length; d++) into.sum[d]! += from.sum[d]!;
    into.terms.merge(from.terms);
    this.keywordIndex.mergeClusters(intoId, fromId);
    this.capTerms(into);
    into.histogram.merge(from.histogram);
    const moved = [...from.members].sort();
    for (const itemId of moved) {
      into.members.add(itemId);
      this.items.get(itemId)!.clusterId = intoId;
    }
    into.state.size += from.state.size;
    into.state.lastItemAt = Math.max(into.state.lastItemAt, from.state.lastItemAt);
    into.state.createdAt = Math.min(into.state.createdAt, from.state.createdAt);
    into.state.centroid = unitOf(into.sum);
    into.describedSize = 0;
    this.index().set(intoId, into.state.centroid);
    let added = pending.added.get(intoId);
    if (!added) pending.added.set(intoId, (added = []));
    added.push(...moved);
    pending.touched.add(intoId);

    this.index().delete(fromId);
    this.live.delete(fromId);
    pending.added.delete(fromId);
    pending.touched.delete(fromId);
    from.state.status = 'merged';
    from.state.mergedInto = intoId;
    from.state.version += 1;
    from.state.updatedAt = now;
    return { kind: 'cluster-merged', cluster: snapshotOf(from), intoClusterId: intoId, movedItemIds: moved };
  }

  private dropLive(id: string): void {
    this.live.delete(id);
    this.keywordIndex.removeCluster(id);
    this.index().delete(id);
  }

  /** Clustered items older than the discovery window leave memory (the service keeps them). */
  private pruneItems(now: number): void {
    const horizon = now - this.settings.discoveryWindowMs;
    const poolHorizon = now - poolRetentionMs(this.settings);
    for (const [itemId, known] of this.items) {
      if (known.clusterId === null) {
        // Pooled for longer than a topic may stay quiet: it can no longer start a trend, and held
        // forever the pool (and every pass over it) would grow with all the noise ever seen. It
        // stays stored and queryable, unclustered.
        if (known.item.publishedAt < poolHorizon) {
          this.pool.delete(itemId);
          this.release(known);
        }
        continue;
      }
      if (known.item.publishedAt >= horizon) continue;
      const record = this.live.get(known.clusterId);
      if (record?.state.representativeItemIds.includes(itemId)) continue;
      record?.members.delete(itemId);
      this.release(known);
    }
  }

  // --- announcing ----------------------------------------------------------------------------

  /** One change per cluster touched in this call, each with its version bumped exactly once. */
  private announce(pending: Pending, now: number): EngineChange[] {
    const changes: EngineChange[] = [];
    const ids = new Set([...pending.created, ...pending.added.keys(), ...pending.touched]);
    for (const id of [...ids].sort()) {
      const record = this.live.get(id);
      if (!record) continue;
      const added = pending.added.get(id) ?? [];
      this.describe(record, added, pending.created.has(id));
      Object.assign(record.state, trendFigures(record.histogram, now));
      record.state.version += 1;
      record.state.updatedAt = now;
      const cluster = snapshotOf(record);
      changes.push(
        pending.created.has(id)
          ? { kind: 'cluster-created', cluster, memberItemIds: [...record.members].sort() }
          : { kind: 'cluster-updated', cluster, addedItemIds: added },
      );
    }
    return changes;
  }

  private describe(record: ClusterRecord, added: string[], created: boolean): void {
    const id = record.state.clusterId;
    const size = record.state.size;
    if (created || size < DESCRIBE_EVERY_CHANGE_BELOW || size >= record.describedSize * DESCRIBE_GROWTH) {
      const profile = this.keywordIndex.profile(id);
      const terms = this.keywordIndex.keywords(id, { k: KEYWORDS });
      record.state.keywords = terms.map((term) => ({ term, weight: round(profile.get(term) ?? 0) }));
      record.state.label = clusterLabel(terms);
      record.describedSize = size;
    }
    const candidates = new Set([...record.state.representativeItemIds, ...added]);
    if (created || record.describedSize === size) for (const itemId of record.members) candidates.add(itemId);
    const centroid = record.state.centroid;
    record.state.representativeItemIds = [...candidates]
      .filter((itemId) => record.members.has(itemId) && this.items.has(itemId))
      .map((itemId) => ({ itemId, similarity: dot(this.items.get(itemId)!.item.vector, centroid) }))
      .sort((a, b) => b.similarity - a.similarity || (a.itemId < b.itemId ? -1 : 1))
      .slice(0, REPRESENTATIVES)
      .map((entry) => entry.itemId);
  }

  // --- background ----------------------------------------------------------------------------

  private hold(known: KnownItem): void {
    this.items.set(known.item.itemId, known);
    const total = (this.total ??= new Float64Array(known.item.vector.length));
    for (let d = 0; d < total.length; d++) total[d]! += known.item.vector[d]!;
  }

  private release(known: KnownItem): void {
    this.items.delete(known.item.itemId);
    const total = this.total!;
    for (let d = 0; d < total.length; d++) total[d]! -= known.item.vector[d]!;
  }

  /**
   * The similarity of an unrelated item to a cluster's centroid: √(mean pairwise cosine) of the
   * items held, from their running sum (‖Σx‖² = n + Σ_{i≠j} x_i·x_j for unit vectors), so it costs
   * O(dim) and does not depend on how many items there are.
   */
  private background(): number {
    return this.total ? pairwiseRoot(this.total, this.items.size) : 0;
  }

  /** What an item's similarity to a centroid must reach to join it (`floor`: background + margin). */
  private joinThreshold(floor = this.background() + BACKGROUND_MARGIN): number {
    return Math.max(this.settings.assignThreshold, floor);
  }

  // --- input and restore ---------------------------------------------------------------------

  /**
   * Due when the pool grew by discoveryPoolTrigger and by DUE_SHARE of the items held: a pass costs
   * O(items held), so a fixed trigger makes a growing window cost O(n²) in total (100k items in
   * the embedded default spent 78 % of their time in discovery); a share keeps it O(n log n).
   */
  private discoveryDue(): boolean {
    const trigger = Math.max(this.settings.discoveryPoolTrigger, Math.ceil(this.items.size * DUE_SHARE));
    return this.pooledSinceDiscovery() >= trigger;
  }

  private index(): CentroidIndex {
    if (!this.centroids) {
      if (this.dim === undefined) return EMPTY_INDEX;
      this.centroids = new CentroidIndex(this.dim, this.options.centroidIndex);
    }
    return this.centroids;
  }

  private checkItem(item: EngineItem): void {
    const invalid = (why: string) => new EngineError('invalid_item', `item ${String(item?.itemId)}: ${why}`);
    if (!item || typeof item.itemId !== 'string' || item.itemId === '') throw invalid('itemId is required');
    if (item.model !== this.settings.model)
      throw new EngineError(
        'wrong_model',
        `item ${item.itemId} was embedded with ${item.model}; this engine clusters ${this.settings.model}`,
      );
    if (!(item.vector instanceof Float32Array) || item.vector.length === 0)
      throw invalid('vector must be a Float32Array');
    if (this.dim !== undefined && item.vector.length !== this.dim)
      throw invalid(`vector has ${item.vector.length} dimensions, expected ${this.dim}`);
    let norm = 0;
    for (const value of item.vector) norm += value * value;
    if (!Number.isFinite(norm) || Math.abs(Math.sqrt(norm) - 1) > UNIT_TOLERANCE)
      throw invalid(`vector must be finite and unit length (length ${Math.sqrt(norm)})`);
    if (!Number.isFinite(item.publishedAt)) throw invalid('publishedAt must be epoch milliseconds');
    if (typeof item.text !== 'string') throw invalid('text must be a string');
    this.dim ??= item.vector.length;
  }

  private restore(snapshot: EngineSnapshot): void {
    const live = snapshot.clusters.filter(
      (cluster) => cluster.status !== 'retired' && cluster.status !== 'merged',
    );
    const first = live[0]?.centroid ?? snapshot.items[0]?.vector;
    if (first) this.dim = first.length;
    for (const stored of live) {
      if (stored.model !== this.settings.model)
        throw new EngineError(
          'invalid_snapshot',
          `cluster ${stored.clusterId} belongs to model ${stored.model}`,
        );
      const record = recordFromState(stored, this.dim!);
      this.live.set(stored.clusterId, record);
      this.keywordIndex.setCluster(stored.clusterId, record.terms);
      this.index().set(stored.clusterId, record.state.centroid);
    }
    for (const stored of [...snapshot.items].sort(byTimeThenId)) {
      const { clusterId, ...item } = stored as StoredItem;
      const vector = Float32Array.from(item.vector as ArrayLike<number>);
      this.checkItem({ ...item, vector });
      const record = clusterId === null ? undefined : this.live.get(clusterId);
      // Members of clusters no longer live (retired) are history: only the pool and live clusters matter.
      if (clusterId !== null && !record) continue;
      this.hold({ item: { ...item, vector }, clusterId });
      if (record) record.members.add(item.itemId);
      else this.pool.add(item.itemId);
    }
    // A restored pool was not looked at by this engine: the first pass considers it.
    this.pooledCount = this.pool.size;
    this.pooledCountLooked = 0;
  }
}

const EMPTY_INDEX = new CentroidIndex(0);

function emptyPending(): Pending {
  return { created: new Set(), added: new Map(), touched: new Set() };
}

function mergeOrder(a: ClusterRecord, b: ClusterRecord): [ClusterRecord, ClusterRecord] {
  const sa = a.state;
  const sb = b.state;
  const aWins =
    sa.size !== sb.size
      ? sa.size > sb.size
      : sa.createdAt !== sb.createdAt
        ? sa.createdAt < sb.createdAt
        : sa.clusterId < sb.clusterId;
  return aWins ? [a, b] : [b, a];
}

function byTimeThenId(a: { item: EngineItem } | EngineItem, b: { item: EngineItem } | EngineItem): number {
  const x = 'item' in a ? a.item : a;
  const y = 'item' in b ? b.item : b;
  return x.publishedAt - y.publishedAt || (x.itemId < y.itemId ? -1 : x.itemId > y.itemId ? 1 : 0);
}

function sortedKeys(map: Map<string, unknown>): string[] {
  return [...map.keys()].sort();
}

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let d = 0; d < a.length; d++) sum += a[d]! * b[d]!;
  return sum;
}

/** √ of the mean pairwise cosine similarity of `n` unit vectors summing to `sum` (0 below two). */
function pairwiseRoot(sum: Float64Array, n: number): number {
  if (n < 2) return 0;
  return Math.sqrt(Math.max(0, meanPairwiseSimilarity(sum, n)));
}

function sumOf(members: readonly KnownItem[]): Float64Array {
  return sumOfVectors(members.map((known) => known.item.vector));
}

/** How tight a group is, on the background's scale: √(mean pairwise cosine) of its members. */
function cohesion(members: readonly KnownItem[]): number {
  return members.length === 0 ? 0 : pairwiseRoot(sumOf(members), members.length);
}

function round(value: number): number {
  return Number(value.toFixed(6));
}

/**
 * Of `pooled`, the items most of whose NEIGHBOURS nearest candidates of the pass are members of
 * `clusterId`: an item of the cluster's topic sits among its members, an item of another topic the
 * pass linked in sits among its own topic's items. O(pooled × candidates), in small passes only.
 */
function linkedTo(
  clusterId: string,
  pooled: readonly KnownItem[],
  candidates: readonly KnownItem[],
): KnownItem[] {
  return pooled.filter((known) => {
    // A running top NEIGHBOURS, best first (the earlier candidate wins a tie): O(candidates).
    const nearest: Array<{ other: KnownItem; similarity: number }> = [];
    for (const other of candidates) {
      if (other === known) continue;
      const similarity = dot(known.item.vector, other.item.vector);
      if (nearest.length === NEIGHBOURS && similarity <= nearest[NEIGHBOURS - 1]!.similarity) continue;
      let at = nearest.length;
      while (at > 0 && nearest[at - 1]!.similarity < similarity) at--;
      nearest.splice(at, 0, { other, similarity });
      if (nearest.length > NEIGHBOURS) nearest.pop();
    }
    return nearest.filter(({ other }) => other.clusterId === clusterId).length * 2 > nearest.length;
  });
}
