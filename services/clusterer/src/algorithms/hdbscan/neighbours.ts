import { createRequire } from 'node:module';
import type * as Usearch from 'usearch';
import type { BatchMatches } from 'usearch';
import { distance, rowCount, type VectorMatrix } from './vectors.js';

/*
 * usearch's CommonJS build, on purpose: its ES module build locates the native addon through a
 * global `__dirname` whenever one exists, and `node -e` defines one ('.'), which sends the lookup
 * into endless recursion. The CommonJS build uses its own module-scoped `__dirname`.
 */
const { Index, MetricKind, ScalarKind, exactSearch } = createRequire(import.meta.url)(
  'usearch',
) as typeof Usearch;

/**
 * Up to `k` nearest other points of every point, closest first (ties by index), with exact
 * distances: point i's neighbours are `indices[i*k .. i*k + counts[i])`.
 */
export interface NeighbourLists {
  readonly k: number;
  readonly indices: Int32Array;
  readonly distances: Float64Array;
  readonly counts: Int32Array;
}

export interface HnswSettings {
  connectivity: number;
  expansionAdd: number;
  expansionSearch: number;
  /** How usearch stores vectors: f16 halves memory and was ~1.5× faster at equal recall (bench/hdbscan.ts). */
  quantization: 'f32' | 'f16';
}

/**
 * Exact k nearest neighbours by brute force: usearch's native exhaustive scan (SIMD, float32)
 * ranks every point against every other, O(n²·dim), and the best k + `RERANK_MARGIN` candidates
 * of each point are re-measured with `distance` and re-ranked, so the distances are exactly what a
 * float64 scan gives (float32 rounding cannot move a point by `RERANK_MARGIN` ranks unless that
 * many lie within ~1e-7 of each other; among exact duplicates, which copies are listed may differ,
 * their distances do not). O(n·k) memory.
 */
export function bruteForceNeighbours(matrix: VectorMatrix, k: number): NeighbourLists {
  const n = rowCount(matrix);
  const slots = Math.max(0, Math.min(k, n - 1));
  const lists = emptyLists(n, slots);
  if (slots === 0) return lists;
  const wanted = Math.min(n, slots + 1 + RERANK_MARGIN);
  collect(lists, matrix, nativeExactSearch(matrix.data, matrix.dim, wanted), wanted);
  return lists;
}

/**
 * usearch's exhaustive scan of every row against every row (squared L2, float32, all cores):
 * `wanted` candidates per row, row-major in the result. Needs at least two rows (usearch answers a
 * single query in another shape) and `data` starting at byte 0.
 */
export function nativeExactSearch(data: Float32Array, dim: number, wanted: number): BatchMatches {
  return exactSearch(data, data, dim, wanted, MetricKind.L2sq, 0) as BatchMatches;
}

/** Extra candidates per point re-ranked by `bruteForceNeighbours`. */
export const RERANK_MARGIN = 8;

/**
 * Approximate k nearest neighbours from a usearch HNSW graph (squared L2, which ranks like our
 * distance), O(n log n)-ish. The graph is built and searched on one thread: a multi-threaded build
 * depends on thread timing (not reproducible) and was no faster on 2 cores, and usearch aborts the
 * process when a search asks for more threads than the build used. usearch's distances only rank
 * the candidates: each returned pair is re-measured with `distance`, so a neighbour found here
 * carries the same distance as on the exact path.
 */
export function hnswNeighbours(matrix: VectorMatrix, k: number, settings: HnswSettings): NeighbourLists {
  const n = rowCount(matrix);
  const slots = Math.max(0, Math.min(k, n - 1));
  const lists = emptyLists(n, slots);
  if (slots === 0) return lists;
  const { data, dim } = matrix;
  const index = new Index({
    dimensions: dim,
    metric: MetricKind.L2sq,
    quantization: settings.quantization === 'f16' ? ScalarKind.F16 : ScalarKind.F32,
    connectivity: settings.connectivity,
    expansion_add: settings.expansionAdd,
    expansion_search: Math.max(settings.expansionSearch, slots + 1),
    multi: false,
  });
  const keys = new BigUint64Array(n);
  for (let i = 0; i < n; i++) keys[i] = BigInt(i);
  index.add(keys, data, 1);
  // Ask for one more than wanted: the point itself is usually (not always, with duplicates) among them.
  const wanted = Math.min(slots + 1, n);
  // n ≥ 2 here, so usearch answers with one row per query.
  collect(lists, matrix, index.search(data, wanted, 1) as BatchMatches, wanted);
  return lists;
}

/** Re-measures usearch's candidates (skipping the point itself) into the sorted lists. */
function collect(lists: NeighbourLists, matrix: VectorMatrix, found: BatchMatches, wanted: number): void {
  const { data, dim } = matrix;
  const n = lists.counts.length;
  for (let i = 0; i < n; i++) {
    const got = Number(found.counts[i]);
    for (let r = 0; r < got; r++) {
      const j = Number(found.keys[i * wanted + r]);
      if (j === i || j < 0 || j >= n) continue;
      offer(lists, i, j, distance(data, dim, i, j));
    }
  }
}

/**
 * Core distance of every point: the distance to its `minSamples`-th nearest neighbour counting the
 * point itself (Campello et al. 2013; scikit-learn's HDBSCAN), i.e. to its (minSamples − 1)-th
 * nearest other point. minSamples = 1 gives 0 everywhere (plain single linkage). A point with
 * fewer neighbours than that (n ≤ minSamples) takes its farthest one.
 */
export function coreDistances(lists: NeighbourLists, minSamples: number): Float64Array {
  const n = lists.counts.length;
  const core = new Float64Array(n);
  if (minSamples <= 1) return core;
  for (let i = 0; i < n; i++) {
    const count = lists.counts[i]!;
    if (count === 0) continue;
    core[i] = lists.distances[i * lists.k + Math.min(minSamples - 2, count - 1)]!;
  }
  return core;
}

function emptyLists(n: number, k: number): NeighbourLists {
  return {
    k,
    indices: new Int32Array(n * k).fill(-1),
    distances: new Float64Array(n * k).fill(Number.POSITIVE_INFINITY),
    counts: new Int32Array(n),
  };
}

/** Inserts j into i's sorted list if it ranks among the k closest (by distance, then index). */
function offer(lists: NeighbourLists, i: number, j: number, d: number): void {
  const { k, indices, distances, counts } = lists;
  const base = i * k;
  let count = counts[i]!;
  if (count === k) {
    const last = base + k - 1;
    if (d > distances[last]! || (d === distances[last]! && j > indices[last]!)) return;
    count--;
  } else {
    counts[i] = count + 1;
  }
  let slot = base + count;
  while (slot > base) {
    const prev = slot - 1;
    const pd = distances[prev]!;
    if (pd < d || (pd === d && indices[prev]! < j)) break;
    distances[slot] = pd;
    indices[slot] = indices[prev]!;
    slot = prev;
  }
  distances[slot] = d;
  indices[slot] = j;
}
