import { createRequire } from 'node:module';
import type * as Usearch from 'usearch';

// usearch's CommonJS build, for the reason given in algorithms/hdbscan/neighbours.ts.
const { Index, MetricKind, ScalarKind } = createRequire(import.meta.url)('usearch') as typeof Usearch;

export interface Nearest {
  key: string;
  similarity: number;
}

export interface CentroidIndexOptions {
  /** Below this many centroids every query scans them all (exact, and as fast at that size). */
  exactBelow?: number;
  /** Candidates the graph proposes per query, re-scored exactly against the current centroids. */
  candidates?: number;
  /** A centroid is re-inserted into the graph once it drifts below this cosine from the indexed copy. */
  reindexBelow?: number;
}

export const DEFAULT_EXACT_BELOW = 1024;

/**
 * The live clusters' centroids, for "which cluster is nearest this item". Centroids move with
 * every member, so the graph (usearch HNSW, inner product on unit vectors) holds a possibly stale
 * copy of each and only proposes candidates: the answer is always re-scored against the current
 * centroid, and a centroid is re-inserted only after it has drifted, not on every add. Below
 * `exactBelow` centroids (and whenever the graph has fewer candidates than asked) the scan is
 * exact, so small engines are fully deterministic. Ties go to the smaller key.
 */
export class CentroidIndex {
  private readonly centroids = new Map<string, Float32Array>();
  private readonly slots = new Map<string, bigint>();
  private readonly keysBySlot = new Map<bigint, string>();
  private readonly indexed = new Map<string, Float32Array>();
  private graph: Usearch.Index | undefined;
  private nextSlot = 0n;
  private readonly exactBelow: number;
  private readonly candidates: number;
  private readonly reindexBelow: number;

  constructor(
    readonly dim: number,
    options: CentroidIndexOptions = {},
  ) {
    this.exactBelow = options.exactBelow ?? DEFAULT_EXACT_BELOW;
    this.candidates = options.candidates ?? 16;
    this.reindexBelow = options.reindexBelow ?? 0.98;
  }

  get size(): number {
    return this.centroids.size;
  }

  /** Sets (or moves) a centroid; the vector must be unit length and is not copied. */
  set(key: string, centroid: Float32Array): void {
    if (centroid.length !== this.dim)
      throw new RangeError(`centroid of ${key} has ${centroid.length} dimensions, expected ${this.dim}`);
    this.centroids.set(key, centroid);
    if (this.graph) this.syncGraph(key, centroid);
    else if (this.centroids.size >= this.exactBelow) this.buildGraph();
  }

  delete(key: string): void {
    if (!this.centroids.delete(key)) return;
    const slot = this.slots.get(key);
    if (this.graph && slot !== undefined) this.graph.remove(slot);
    if (slot !== undefined) this.keysBySlot.delete(slot);
    this.slots.delete(key);
    this.indexed.delete(key);
  }

  get(key: string): Float32Array | undefined {
    return this.centroids.get(key);
  }

  /** The `k` centroids most similar to the vector, most similar first, optionally skipping one key. */
  nearest(vector: Float32Array, k = 1, skip?: string): Nearest[] {
    const wanted = Math.min(
      k,
      this.centroids.size - (skip !== undefined && this.centroids.has(skip) ? 1 : 0),
    );
    if (wanted <= 0) return [];
    if (!this.graph || this.centroids.size < this.exactBelow)
      return this.scan(this.centroids.keys(), vector, wanted, skip);
    const asked = Math.min(this.graph.size(), Math.max(this.candidates, wanted + 1));
    const found = this.graph.search(vector, asked, 1);
    const keys: string[] = [];
    for (const slot of found.keys) {
      const key = this.keysBySlot.get(slot);
      if (key !== undefined) keys.push(key);
    }
    if (keys.length < wanted) return this.scan(this.centroids.keys(), vector, wanted, skip);
    return this.scan(keys, vector, wanted, skip);
  }

  /** Exact answer whatever the size: the benchmark's baseline and the tests' reference. */
  nearestExact(vector: Float32Array, k = 1, skip?: string): Nearest[] {
    return this.scan(this.centroids.keys(), vector, k, skip);
  }

  private scan(keys: Iterable<string>, vector: Float32Array, k: number, skip?: string): Nearest[] {
    const best: Nearest[] = [];
    for (const key of keys) {
      if (key === skip) continue;
      const centroid = this.centroids.get(key)!;
      let similarity = 0;
      for (let d = 0; d < vector.length; d++) similarity += vector[d]! * centroid[d]!;
      if (best.length === k) {
        const last = best[k - 1]!;
        if (similarity < last.similarity || (similarity === last.similarity && key > last.key)) continue;
        best.pop();
      }
      let at = best.length;
      while (
        at > 0 &&
        (best[at - 1]!.similarity < similarity ||
          (best[at - 1]!.similarity === similarity && best[at - 1]!.key > key))
      )
        at--;
      best.splice(at, 0, { key, similarity });
    }
    return best;
  }

  private buildGraph(): void {
    this.graph = new Index({
      dimensions: this.dim,
      metric: MetricKind.IP,
      quantization: ScalarKind.F32,
      connectivity: 16,
      expansion_add: 128,
      expansion_search: 64,
      multi: false,
    });
    for (const [key, centroid] of [...this.centroids].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      this.syncGraph(key, centroid, true);
  }

  private syncGraph(key: string, centroid: Float32Array, force = false): void {
    const graph = this.graph!;
    const copy = this.indexed.get(key);
    if (!force && copy) {
      let similarity = 0;
      for (let d = 0; d < centroid.length; d++) similarity += centroid[d]! * copy[d]!;
      if (similarity >= this.reindexBelow) return;
    }
    let slot = this.slots.get(key);
    if (slot !== undefined) graph.remove(slot);
    else {
      slot = this.nextSlot++;
      this.slots.set(key, slot);
      this.keysBySlot.set(slot, key);
    }
    const snapshot = Float32Array.from(centroid);
    graph.add(slot, snapshot, 1);
    this.indexed.set(key, snapshot);
  }
}
