import { edgeLess, type SpanningTree } from './edges.js';
import { UnionFind } from './union-find.js';

/**
 * The single-linkage dendrogram in SciPy's layout: row i merges nodes `left[i]` and `right[i]` at
 * `distance[i]` into node n + i holding `size[i]` points; nodes 0..n−1 are the points, the root is
 * 2n − 2. Rows come in merge order (non-decreasing distance).
 */
export interface SingleLinkage {
  readonly n: number;
  readonly left: Int32Array;
  readonly right: Int32Array;
  readonly distance: Float64Array;
  readonly size: Int32Array;
}

/**
 * Kruskal over the spanning tree's edges in `edgeLess` order; `left` is the side of the edge's lower
 * endpoint. Needs a spanning tree (n − 1 edges joining all n points).
 */
export function singleLinkage(tree: SpanningTree, n: number): SingleLinkage {
  const m = tree.weight.length;
  if (n > 0 && m !== n - 1) {
    throw new Error(`single linkage needs a spanning tree: ${m} edges for ${n} points`);
  }
  const order = Array.from({ length: m }, (_, e) => e).sort((x, y) =>
    edgeLess(tree.weight[x]!, tree.a[x]!, tree.b[x]!, tree.weight[y]!, tree.a[y]!, tree.b[y]!) ? -1 : 1,
  );
  const left = new Int32Array(m);
  const right = new Int32Array(m);
  const distance = new Float64Array(m);
  const size = new Int32Array(m);
  const sets = new UnionFind(n);
  const nodeOf = new Int32Array(n);
  for (let i = 0; i < n; i++) nodeOf[i] = i;
  order.forEach((e, row) => {
    const ra = sets.find(tree.a[e]!);
    const rb = sets.find(tree.b[e]!);
    if (ra === rb) throw new Error('single linkage needs a spanning tree: the edges contain a cycle');
    left[row] = nodeOf[ra]!;
    right[row] = nodeOf[rb]!;
    distance[row] = tree.weight[e]!;
    sets.union(ra, rb);
    size[row] = sets.setSize(ra);
    nodeOf[sets.find(ra)] = n + row;
  });
  return { n, left, right, distance, size };
}
