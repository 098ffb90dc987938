import { connectComponents, type ConnectSettings } from './connect-components.js';
import { EdgeList, type SpanningTree } from './edges.js';
import type { NeighbourLists } from './neighbours.js';
import { refineAcrossClusters } from './refine-clusters.js';
import { UnionFind } from './union-find.js';
import { rowCount, type VectorMatrix } from './vectors.js';

export interface ApproximateMstStats {
  /** Distinct k-NN graph edges Kruskal looked at. */
  graphEdges: number;
  /** Connected components of the k-NN graph, before they were joined. */
  graphComponents: number;
  /** Borůvka rounds spent joining them. */
  connectRounds: number;
  /** Rounds of `refineAcrossClusters` that made the tree lighter, and the edges they brought in. */
  refineRounds: number;
  refineEdges: number;
}

export interface KnnGraphSettings extends ConnectSettings {
  /** Upper bound on `refineAcrossClusters` rounds (0 = off). */
  refineRounds: number;
  /** How many of the largest condensed clusters `refineAcrossClusters` pairs up. */
  refineMaxClusters: number;
}

/**
 * An approximate minimum spanning tree of the mutual-reachability graph, the way fast HDBSCAN
 * implementations build it: Kruskal (edges sorted by `edgeLess`, union-find) over the k-NN graph
 * only, weighted by mutual reachability, then the components that graph leaves apart are joined by
 * `connectComponents`, and `refineAcrossClusters` repairs the edges between dense regions that the
 * graph only joins through sparse points. O(n·k·log(n·k)) for the graph part instead of O(n²·dim).
 *
 * The approximation: an edge of the exact tree between two points that are not among each other's
 * k nearest neighbours (or that HNSW missed) is replaced by the cheapest path the k-NN graph offers,
 * which can only weigh more. With k ≥ 2 × minSamples such edges are rare inside dense regions,
 * because mreach there is dominated by core distances that the k-NN lists already span; they sit
 * between sparse regions, where they move merge heights, rarely the clusters selected.
 * When the lists hold every other point (k ≥ n − 1) the result is the exact tree.
 */
export function approximateMst(
  matrix: VectorMatrix,
  core: Float64Array,
  lists: NeighbourLists,
  minClusterSize: number,
  settings: KnnGraphSettings,
): { tree: SpanningTree; stats: ApproximateMstStats } {
  const n = rowCount(matrix);
  const { k, indices, distances, counts } = lists;
  const graph = new EdgeList(n * k);
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < counts[i]!; r++) {
      const j = indices[i * k + r]!;
      // Each undirected edge once: from its lower end, or from the upper end when the lower one does not list it.
      if (j < i && listed(lists, j, i)) continue;
      const d = distances[i * k + r]!;
      graph.push(i, j, Math.max(d, core[i]!, core[j]!));
    }
  }
  const sets = new UnionFind(n);
  const tree = new EdgeList(Math.max(0, n - 1));
  for (const e of graph.sortedOrder()) {
    if (sets.union(graph.a[e]!, graph.b[e]!)) {
      tree.push(graph.a[e]!, graph.b[e]!, graph.weight[e]!);
      if (tree.length === n - 1) break;
    }
  }
  const graphComponents = sets.count;
  const connectRounds = connectComponents(matrix, core, lists, sets, tree, settings);
  const refined = refineAcrossClusters(matrix, core, lists, tree.toTree(), minClusterSize, {
    ...settings,
    rounds: settings.refineRounds,
    maxClusters: settings.refineMaxClusters,
  });
  return {
    tree: refined.tree,
    stats: {
      graphEdges: graph.length,
      graphComponents,
      connectRounds,
      refineRounds: refined.rounds,
      refineEdges: refined.edgesAdded,
    },
  };
}

function listed(lists: NeighbourLists, i: number, j: number): boolean {
  const base = i * lists.k;
  for (let r = 0; r < lists.counts[i]!; r++) if (lists.indices[base + r] === j) return true;
  return false;
}
