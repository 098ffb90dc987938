export { hdbscan, type HdbscanDiagnostics, type HdbscanResult } from './hdbscan.js';
export {
  BRUTE_FORCE_BELOW,
  DEFAULT_KNN_GRAPH,
  DEFAULT_HNSW,
  EXACT_BELOW,
  MAX_MIN_SAMPLES,
  resolveHdbscanOptions,
  type HdbscanOptions,
  type ResolvedHdbscanOptions,
} from './options.js';
export { HdbscanError, type HdbscanErrorCode } from './errors.js';
export {
  distance,
  packUnitVectors,
  UNIT_NORM_TOLERANCE,
  type VectorMatrix,
  type VectorsInput,
} from './vectors.js';
export {
  bruteForceNeighbours,
  coreDistances,
  hnswNeighbours,
  type HnswSettings,
  type NeighbourLists,
} from './neighbours.js';
export { edgeLess, treeWeight, type SpanningTree } from './edges.js';
export { exactMst } from './mst-exact.js';
export { approximateMst, type ApproximateMstStats, type KnnGraphSettings } from './mst-approximate.js';
export type { ConnectSettings } from './connect-components.js';
export { singleLinkage, type SingleLinkage } from './single-linkage.js';
export { condenseTree, DISTANCE_FLOOR, lambdaOf, type CondensedTree } from './condensed-tree.js';
export {
  selectClusters,
  type ClusterSummary,
  type Selection,
  type SelectionOptions,
} from './select-clusters.js';
