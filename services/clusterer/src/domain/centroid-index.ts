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
  /** The same centroids packed row by row, so the exact scan runs over contiguous memory. */
  private matrix = new Float32Array(0);
  private readonly rowOf = new Map<string, number>();
  private readonly keyOfRow: string[] = [];
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
    let row = this.rowOf.get(key);
    if (row === undefined) {
      row = this.keyOfRow.length;
      if ((row + 1) * this.dim > this.matrix.length) {
        const grown = new Float32Array(Math.max(64, 2 * (row + 1)) * this.dim);
        grown.set(this.matrix);
        this.matrix = grown;
      }
      this.rowOf.set(key, row);
      this.keyOfRow.push(key);
    }
    this.matrix.set(centroid, row * this.dim);
    if (this.graph) this.syncGraph(key, centroid);
    else if (this.centroids.size >= this.exactBelow) this.buildGraph();
  }

  delete(key: string): void {
    if (!this.centroids.delete(key)) return;
    // The last row fills the hole; answers do not depend on row order (ties go by key).
    const row = this.rowOf.get(key)!;
    const last = this.keyOfRow.length - 1;
    if (row !== last) {
      const moved = this.keyOfRow[last]!;
      this.matrix.copyWithin(row * this.dim, last * this.dim, (last + 1) * this.dim);
      this.keyOfRow[row] = moved;
      this.rowOf.set(moved, row);
    }
    this.keyOfRow.pop();
    this.rowOf.delete(key);
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
    if (!this.graph || this.centroids.size < this.exactBelow) return this.scanAll(vector, k, skip);
    const asked = Math.min(this.graph.size(), Math.max(this.candidates, k + 1));
    const found = this.graph.search(vector, asked, 1);
    const keys: string[] = [];
    for (const slot of found.keys) {
      const key = this.keysBySlot.get(slot);
      if (key !== undefined && key !== skip) keys.push(key);
    }
    if (keys.length < k) return this.scanAll(vector, k, skip);
    return this.scan(keys, vector, k);
  }

  /** Exact answer whatever the size: the benchmark's baseline and the tests' reference. */
  nearestExact(vector: Float32Array, k = 1, skip?: string): Nearest[] {
    return this.scanAll(vector, k, skip);
  }

  private scanAll(vector: Float32Array, k: number, skip?: string): Nearest[] {
    const best: Nearest[] = [];
    if (k <= 0) return best;
    const { matrix, dim, keyOfRow } = this;
    for (let row = 0, offset = 0; row < keyOfRow.length; row++, offset += dim) {
      let similarity = 0;
      for (let d = 0; d < dim; d++) similarity += vector[d]! * matrix[offset + d]!;
      if (best.length === k && similarity < best[k - 1]!.similarity) continue;
      const key = keyOfRow[row]!;
      if (key !== skip) offer(best, k, key, similarity);
    }
    return best;
  }

  private scan(keys: readonly string[], vector: Float32Array, k: number): Nearest[] {
    const best: Nearest[] = [];
    const { matrix, dim } = this;
    for (const key of keys) {
      const offset = this.rowOf.get(key)! * dim;
      let similarity = 0;
      for (let d = 0; d < dim; d++) similarity += vector[d]! * matrix[offset + d]!;
      offer(best, k, key, similarity);
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
    for (const key of [...this.centroids.keys()].sort()) this.syncGraph(key, this.centroids.get(key)!, true);
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

/** Inserts into a list of at most k, most similar first, equal similarities by key. */
function offer(best: Nearest[], k: number, key: string, similarity: number): void {
  if (best.length === k) {
    const last = best[k - 1]!;
    if (similarity < last.similarity || (similarity === last.similarity && key > last.key)) return;
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
