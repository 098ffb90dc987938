import { condenseTree, type CondensedTree } from './condensed-tree.js';
import { treeWeight } from './edges.js';
import { approximateMst, type ApproximateMstStats } from './mst-approximate.js';
import { exactMst } from './mst-exact.js';
import { bruteForceNeighbours, coreDistances, hnswNeighbours } from './neighbours.js';
import { resolveHdbscanOptions, type HdbscanOptions } from './options.js';
import { selectClusters, type Selection } from './select-clusters.js';
import { singleLinkage } from './single-linkage.js';
import { packUnitVectors, rowCount, type VectorsInput } from './vectors.js';

export interface HdbscanDiagnostics {
  n: number;
  dim: number;
  minSamples: number;
  mst: 'exact' | 'knn-graph' | 'none';
  knn: 'brute-force' | 'hnsw' | 'none';
  /** Neighbours per point that were looked up. */
  neighbours: number;
  /** Total mutual-reachability weight of the spanning tree (for equal core distances, the k-NN graph tree is never lighter than the exact one). */
  mstWeight: number;
  /** Only for the k-NN graph tree. */
  graph?: ApproximateMstStats;
  /** Wall-clock milliseconds per stage; the only part of the result that varies between runs. */
  timings: { knnMs: number; mstMs: number; treeMs: number };
}

export interface HdbscanResult extends Selection {
  /** Distance of each point to its minSamples-th nearest neighbour (itself included). */
  coreDistances: Float64Array;
  condensedTree: CondensedTree;
  diagnostics: HdbscanDiagnostics;
}

/**
 * HDBSCAN* (Campello, Moulavi & Sander 2013; McInnes, Healy & Astels 2017) over unit-normalised
 * embeddings, with distance ‖a − b‖ = sqrt(2 − 2·cos) (see `distance`). Pure: no I/O, and the same
 * input and options give the same labels, probabilities and clusters (every tie is broken by point
 * index; the HNSW graph is built on one thread).
 *
 * Stages: neighbours (brute force for the exact tree and below `bruteForceBelow` points, else
 * usearch HNSW) → core distances → minimum spanning tree of mutual reachability (exact Prim below
 * `exactBelow` points, O(n²·dim); else the k-NN graph approximation of `approximateMst`, about
 * O(n log n · dim)) → single linkage → condensed tree → excess-of-mass (or leaf) selection → labels
 * and membership strengths. Memory O(n·(dim + k)). Throws `HdbscanError` on bad input.
 *
 * Measured with bench/hdbscan.ts (2 cores, 384 dimensions, 10 % noise): 20,000 points in ~5 s,
 * 40,000 in ~11 s, adjusted Rand index ~0.998 against the generating labels.
 */
export function hdbscan(vectors: VectorsInput, options: HdbscanOptions = {}): HdbscanResult {
  const settings = resolveHdbscanOptions(options);
  const matrix = packUnitVectors(vectors);
  const n = rowCount(matrix);
  const { minSamples } = settings;
  const exact = settings.mst === 'exact' || (settings.mst === 'auto' && n < settings.exactBelow);
  const wanted = Math.min(Math.max(0, n - 1), exact ? minSamples - 1 : settings.graphNeighbours);
  const bruteForce =
    settings.knn === 'brute-force' || (settings.knn === 'auto' && (exact || n < settings.bruteForceBelow));

  let clock = performance.now();
  const lap = () => {
    const now = performance.now();
    const ms = now - clock;
    clock = now;
    return ms;
  };
  const lists = bruteForce
    ? bruteForceNeighbours(matrix, wanted)
    : hnswNeighbours(matrix, wanted, settings.hnsw);
  const core = coreDistances(lists, minSamples);
  const knnMs = lap();

  let graph: ApproximateMstStats | undefined;
  let tree;
  if (exact) {
    tree = exactMst(matrix, core);
  } else {
    ({ tree, stats: graph } = approximateMst(
      matrix,
      core,
      lists,
      settings.minClusterSize,
      settings.knnGraph,
    ));
  }
  const mstMs = lap();

  const condensedTree = condenseTree(singleLinkage(tree, n), settings.minClusterSize);
  const selection = selectClusters(condensedTree, {
    method: settings.clusterSelectionMethod,
    allowSingleCluster: settings.allowSingleCluster,
    epsilon: settings.clusterSelectionEpsilon,
  });
  const treeMs = lap();

  return {
    ...selection,
    coreDistances: core,
    condensedTree,
    diagnostics: {
      n,
      dim: matrix.dim,
      minSamples,
      mst: n < 2 ? 'none' : exact ? 'exact' : 'knn-graph',
      knn: wanted === 0 ? 'none' : bruteForce ? 'brute-force' : 'hnsw',
      neighbours: wanted,
      mstWeight: treeWeight(tree),
      ...(graph ? { graph } : {}),
      timings: { knnMs, mstMs, treeMs },
    },
  };
}
