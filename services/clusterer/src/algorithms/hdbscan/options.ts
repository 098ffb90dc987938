import { z } from 'zod';
import { HdbscanError } from './errors.js';

/** Defaults tuned with bench/hdbscan.ts on this project's 2-core machines (20k × 384 in ~5 s). */
export const DEFAULT_HNSW = {
  connectivity: 16,
  expansionAdd: 128,
  expansionSearch: 64,
  quantization: 'f16',
} as const;
export const DEFAULT_KNN_GRAPH = {
  candidates: 3,
  sample: 1024,
  starts: 4,
  maxSteps: 64,
  refineRounds: 2,
  refineMaxClusters: 256,
} as const;
/**
 * Below this many points `auto` builds the exact tree: O(n²·dim) in JavaScript, about 0.3 s at 1,000
 * points of 384 dimensions (1.2 s at 2,000), where the k-NN graph tree takes about 0.1 s and gave
 * the exact clustering on every test set (hdbscan.spec.ts). Exactness is worth that much, not more.
 */
export const EXACT_BELOW = 1000;
/** Below this many points `auto` finds neighbours by (native) brute force; from here on HNSW is faster. */
export const BRUTE_FORCE_BELOW = 2000;

/**
 * Neighbour lists take n × k slots (12 bytes each): minSamples in the thousands would exhaust memory
 * on a large input instead of saying no. Density estimates never need that many.
 */
export const MAX_MIN_SAMPLES = 1000;

const count = (min: number) => z.number().int().min(min);

const optionsSchema = z.strictObject({
  /** Smallest group that counts as a cluster (condensed-tree pruning). */
  minClusterSize: count(2).default(5),
  /**
   * Neighbourhood size for core distances, counting the point itself (scikit-learn's convention;
   * McInnes' hdbscan library counts one more). Larger: more conservative, more noise. Default:
   * minClusterSize.
   */
  minSamples: count(1).max(MAX_MIN_SAMPLES).optional(),
  /** Distance (‖a − b‖ on unit vectors, 0..2) below which clusters are not split further; 0 = off. */
  clusterSelectionEpsilon: z.number().min(0).max(2).default(0),
  clusterSelectionMethod: z.enum(['eom', 'leaf']).default('eom'),
  allowSingleCluster: z.boolean().default(false),
  /** 'exact': Prim over all pairs; 'knn-graph': Kruskal over the k-NN graph plus joins; 'auto' by size. */
  mst: z.enum(['auto', 'exact', 'knn-graph']).default('auto'),
  exactBelow: count(0).default(EXACT_BELOW),
  /** How neighbours (core distances, graph edges) are found; 'auto': brute force for the exact tree or below `bruteForceBelow` points, else HNSW. */
  knn: z.enum(['auto', 'brute-force', 'hnsw']).default('auto'),
  bruteForceBelow: count(0).default(BRUTE_FORCE_BELOW),
  /** Neighbours per point in the k-NN graph (other points). Default: max(2 × minSamples, 10). */
  graphNeighbours: count(1)
    .max(2 * MAX_MIN_SAMPLES)
    .optional(),
  hnsw: z
    .strictObject({
      connectivity: count(2).max(128).default(DEFAULT_HNSW.connectivity),
      expansionAdd: count(1).max(4096).default(DEFAULT_HNSW.expansionAdd),
      expansionSearch: count(1).max(4096).default(DEFAULT_HNSW.expansionSearch),
      quantization: z.enum(['f32', 'f16']).default(DEFAULT_HNSW.quantization),
    })
    .default(DEFAULT_HNSW),
  /** How the k-NN graph tree is completed and repaired (see connect-components.ts, refine-clusters.ts). */
  knnGraph: z
    .strictObject({
      candidates: count(1).max(64).default(DEFAULT_KNN_GRAPH.candidates),
      sample: count(1).default(DEFAULT_KNN_GRAPH.sample),
      starts: count(1).max(64).default(DEFAULT_KNN_GRAPH.starts),
      maxSteps: count(0).default(DEFAULT_KNN_GRAPH.maxSteps),
      refineRounds: count(0).max(16).default(DEFAULT_KNN_GRAPH.refineRounds),
      refineMaxClusters: count(2).default(DEFAULT_KNN_GRAPH.refineMaxClusters),
    })
    .default(DEFAULT_KNN_GRAPH),
});

export type HdbscanOptions = z.input<typeof optionsSchema>;
export type ResolvedHdbscanOptions = z.output<typeof optionsSchema> & {
  minSamples: number;
  graphNeighbours: number;
};

export function resolveHdbscanOptions(options: HdbscanOptions = {}): ResolvedHdbscanOptions {
  const parsed = optionsSchema.safeParse(options);
  if (!parsed.success) {
    const why = parsed.error.issues.map((i) => `${i.path.join('.') || '(options)'}: ${i.message}`).join('; ');
    throw new HdbscanError('invalid_argument', `invalid HDBSCAN options: ${why}`);
  }
  const resolved = parsed.data;
  const minSamples = resolved.minSamples ?? resolved.minClusterSize;
  if (minSamples > MAX_MIN_SAMPLES) {
    throw new HdbscanError(
      'invalid_argument',
      `invalid HDBSCAN options: minSamples defaults to minClusterSize (${minSamples}), above ${MAX_MIN_SAMPLES}; pass a smaller minSamples`,
    );
  }
  const graphNeighbours = Math.max(resolved.graphNeighbours ?? Math.max(2 * minSamples, 10), minSamples - 1);
  return { ...resolved, minSamples, graphNeighbours };
}
