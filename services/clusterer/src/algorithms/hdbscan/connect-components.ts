import {
  centroidOf,
  closestPair,
  nearestCentroids,
  type Edge,
  type PairSearchSettings,
  type PointGroup,
} from './closest-pair.js';
import { edgeLess, type EdgeList } from './edges.js';
import type { NeighbourLists } from './neighbours.js';
import type { UnionFind } from './union-find.js';
import { rowCount, type VectorMatrix } from './vectors.js';

export interface ConnectSettings extends PairSearchSettings {
  /** Other groups tried per group and round, nearest centroids first (the largest is always tried too). */
  candidates: number;
}

/**
 * Joins the components the k-NN graph left apart (Borůvka rounds), so the hierarchy has one root.
 * Each round, every component A proposes its cheapest edge to another component; the proposals are
 * added in edge order through the union-find (no cycles), which at least halves the number of
 * components: at most log2(c) rounds.
 *
 * Finding A's cheapest outgoing edge exactly would scan A against everything else, n² work per round
 * in the worst case, so it is approximated: the partners tried are the components with the nearest
 * centroids plus the largest one, and each pair goes through `closestPair`. Cost per round
 * O(c²·dim + c·L·(S + s² + steps·k)·dim) for c components and L partners: not quadratic in n.
 * An edge found can be heavier than the true cheapest one; that only raises the height at which
 * two groups with no k-NN link between them merge.
 */
export function connectComponents(
  matrix: VectorMatrix,
  core: Float64Array,
  lists: NeighbourLists,
  sets: UnionFind,
  tree: EdgeList,
  settings: ConnectSettings,
): number {
  let rounds = 0;
  while (sets.count > 1) {
    rounds++;
    const groups = componentGroups(matrix, sets);
    let largest = 0;
    groups.forEach((g, i) => {
      if (g.members.length > groups[largest]!.members.length) largest = i;
    });
    const partnersOf = nearestCentroids(
      groups.map((g) => g.centroid),
      settings.candidates,
    );
    const proposals: Edge[] = groups.map((A, i) => {
      const partners = partnersOf[i]!;
      if (largest !== i && !partners.includes(largest)) partners.push(largest);
      let best: Edge | undefined;
      for (const j of partners) {
        const edge = closestPair(matrix, core, lists, A, groups[j]!, settings);
        if (!best || edgeLess(edge.w, edge.a, edge.b, best.w, best.a, best.b)) best = edge;
      }
      return best!;
    });
    proposals.sort((x, y) => x.w - y.w || x.a - y.a || x.b - y.b);
    for (const { a, b, w } of proposals) if (sets.union(a, b)) tree.push(a, b, w);
  }
  return rounds;
}

/** The current components, numbered by smallest member, each with its members in index order. */
function componentGroups(matrix: VectorMatrix, sets: UnionFind): PointGroup[] {
  const n = rowCount(matrix);
  const indexOfRoot = new Map<number, number>();
  const of = new Int32Array(n);
  const members: number[][] = [];
  for (let i = 0; i < n; i++) {
    const root = sets.find(i);
    let index = indexOfRoot.get(root);
    if (index === undefined) {
      index = members.length;
      indexOfRoot.set(root, index);
      members.push([]);
    }
    of[i] = index;
    members[index]!.push(i);
  }
  return members.map((list, index) => ({
    members: list,
    centroid: centroidOf(matrix, list),
    contains: (point: number) => of[point] === index,
  }));
}
