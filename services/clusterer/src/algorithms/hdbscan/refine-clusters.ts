import {
  closestPair,
  nearestCentroids,
  type Edge,
  type PairSearchSettings,
  type PointGroup,
} from './closest-pair.js';
import { condenseTree, type CondensedTree } from './condensed-tree.js';
import { EdgeList, treeWeight, type SpanningTree } from './edges.js';
import type { NeighbourLists } from './neighbours.js';
import { singleLinkage } from './single-linkage.js';
import { UnionFind } from './union-find.js';
import { rowCount, type VectorMatrix } from './vectors.js';

export interface RefineSettings extends PairSearchSettings {
  /** Other clusters tried per cluster, nearest centroids first. */
  candidates: number;
  /** At most this many rebuild rounds (each stops early once nothing improves). */
  rounds: number;
  /**
   * Only the largest this many condensed clusters are paired up. A small minClusterSize can make
   * thousands of them, and the large ones are where a wrong merge height changes the selection.
   */
  maxClusters: number;
}

/**
 * Repairs the edges a k-NN graph gets wrong in the places that decide the clustering: between
 * dense regions. Two clusters are often joined in the graph only through a chain of sparse (noise)
 * points, whose core distances are large, while the exact tree joins them by one long edge between
 * their facing borders, which neither end lists among its k nearest. So the k-NN tree merges the two
 * too late (at too large a distance): their birth λ, stabilities and the noise around them shift.
 *
 * Each round condenses the current tree, and for every condensed cluster and its nearest-centroid
 * disjoint clusters (not ancestor or descendant) runs `closestPair` between their points; the edges
 * found join the tree's edges in a Kruskal pass (MST(E ∪ F) = MST(MST(E) ∪ F), so only n − 1 + |F|
 * edges are sorted). The tree can only get lighter; rounds stop when it does not.
 * Cost per round O(n log n + c²·dim + c·L·(S + s² + steps·k)·dim) for the c ≤ `maxClusters` largest
 * condensed clusters.
 */
export function refineAcrossClusters(
  matrix: VectorMatrix,
  core: Float64Array,
  lists: NeighbourLists,
  tree: SpanningTree,
  minClusterSize: number,
  settings: RefineSettings,
): { tree: SpanningTree; rounds: number; edgesAdded: number } {
  const n = rowCount(matrix);
  let current = tree;
  let rounds = 0;
  let edgesAdded = 0;
  while (rounds < settings.rounds && n > 2) {
    const groups = largest(
      clusterGroups(matrix, condenseTree(singleLinkage(current, n), minClusterSize)),
      settings.maxClusters,
    );
    if (groups.length < 2) break;
    const partnersOf = nearestCentroids(
      groups.map((g) => g.centroid),
      settings.candidates,
      (i, j) => disjoint(groups[i]!, groups[j]!),
    );
    const found: Edge[] = [];
    const tried = new Set<number>();
    groups.forEach((A, i) => {
      for (const j of partnersOf[i]!) {
        const key = Math.min(i, j) * groups.length + Math.max(i, j);
        if (tried.has(key)) continue;
        tried.add(key);
        found.push(closestPair(matrix, core, lists, A, groups[j]!, settings));
      }
    });
    const next = kruskal(n, current, found);
    if (!(treeWeight(next.tree) < treeWeight(current))) break;
    current = next.tree;
    edgesAdded += next.added;
    rounds++;
  }
  return { tree: current, rounds, edgesAdded };
}

/** The `count` groups with the most points (ties by position), in their original order. */
function largest(groups: ClusterGroup[], count: number): ClusterGroup[] {
  if (groups.length <= count) return groups;
  const keep = groups
    .map((g, i) => ({ size: g.members.length, i }))
    .sort((x, y) => y.size - x.size || x.i - y.i)
    .slice(0, count)
    .map((x) => x.i)
    .sort((x, y) => x - y);
  return keep.map((i) => groups[i]!);
}

interface ClusterGroup extends PointGroup {
  /** Depth-first interval of the cluster's subtree. */
  lo: number;
  hi: number;
}

/** Neither holds the other (subtree intervals are nested or disjoint). */
function disjoint(x: ClusterGroup, y: ClusterGroup): boolean {
  return y.hi < x.lo || y.lo > x.hi;
}

/**
 * Every non-root cluster of the condensed tree with all its points (its own and its sub-clusters').
 * Points are laid out in depth-first order of the cluster they fell out of, so each cluster's points
 * are one contiguous slice and membership is an interval test.
 */
function clusterGroups(matrix: VectorMatrix, condensed: CondensedTree): ClusterGroup[] {
  const { n, clusterCount, parent, child } = condensed;
  if (clusterCount < 3) return [];
  const children: number[][] = Array.from({ length: clusterCount }, () => []);
  const parentOf = new Int32Array(clusterCount);
  const pointCluster = new Int32Array(n);
  for (let r = 0; r < parent.length; r++) {
    if (child[r]! >= n) {
      children[parent[r]! - n]!.push(child[r]! - n);
      parentOf[child[r]! - n] = parent[r]! - n;
    } else {
      pointCluster[child[r]!] = parent[r]! - n;
    }
  }
  // Depth-first numbering: a cluster's subtree is the interval [enter, leave].
  const enter = new Int32Array(clusterCount);
  const leave = new Int32Array(clusterCount);
  let clock = 0;
  const stack: Array<{ c: number; done: boolean }> = [{ c: 0, done: false }];
  while (stack.length > 0) {
    const top = stack.pop()!;
    if (top.done) {
      leave[top.c] = clock - 1;
      continue;
    }
    enter[top.c] = clock++;
    stack.push({ c: top.c, done: true });
    for (let i = children[top.c]!.length - 1; i >= 0; i--)
      stack.push({ c: children[top.c]![i]!, done: false });
  }
  // Points sorted by the depth-first number of their cluster (counting sort).
  const offset = new Int32Array(clusterCount + 1);
  for (let p = 0; p < n; p++) offset[enter[pointCluster[p]!]! + 1]!++;
  for (let t = 0; t < clusterCount; t++) offset[t + 1]! += offset[t]!;
  const fill = offset.slice(0, clusterCount);
  const ordered = new Int32Array(n);
  for (let p = 0; p < n; p++) ordered[fill[enter[pointCluster[p]!]!]!++] = p;
  // Centroid sums bottom-up (ids are topological: children have larger ids).
  const { data, dim } = matrix;
  const sums = Array.from({ length: clusterCount }, () => new Float64Array(dim));
  for (let p = 0; p < n; p++) {
    const sum = sums[pointCluster[p]!]!;
    for (let k = 0, row = p * dim; k < dim; k++) sum[k]! += data[row + k]!;
  }
  for (let c = clusterCount - 1; c > 0; c--) {
    const up = sums[parentOf[c]!]!;
    const own = sums[c]!;
    for (let k = 0; k < dim; k++) up[k]! += own[k]!;
  }
  const groups: ClusterGroup[] = [];
  for (let c = 1; c < clusterCount; c++) {
    const lo = enter[c]!;
    const hi = leave[c]!;
    const members = ordered.subarray(offset[lo]!, offset[hi + 1]!);
    groups.push({
      members,
      centroid: sums[c]!.map((x) => x / members.length),
      contains: (point: number) => {
        const t = enter[pointCluster[point]!]!;
        return t >= lo && t <= hi;
      },
      lo,
      hi,
    });
  }
  return groups;
}

function kruskal(n: number, tree: SpanningTree, extra: Edge[]): { tree: SpanningTree; added: number } {
  const pool = new EdgeList(tree.weight.length + extra.length);
  for (let e = 0; e < tree.weight.length; e++) pool.push(tree.a[e]!, tree.b[e]!, tree.weight[e]!);
  const firstExtra = pool.length;
  for (const { a, b, w } of extra) pool.push(a, b, w);
  const sets = new UnionFind(n);
  const result = new EdgeList(n - 1);
  let added = 0;
  for (const e of pool.sortedOrder()) {
    if (!sets.union(pool.a[e]!, pool.b[e]!)) continue;
    result.push(pool.a[e]!, pool.b[e]!, pool.weight[e]!);
    if (e >= firstExtra) added++;
  }
  return { tree: result.toTree(), added };
}
