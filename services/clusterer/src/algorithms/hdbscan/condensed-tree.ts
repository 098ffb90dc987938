import type { SingleLinkage } from './single-linkage.js';

/**
 * Distances below this count as this when turned into λ = 1 / distance. Exact duplicates (at least
 * minSamples copies of a point) merge at mutual reachability 0, and λ = ∞ would turn stabilities into
 * ∞ − ∞ = NaN. For unit vectors 1e-6 is far below any two distinct float32 embeddings of different
 * texts, so only copies are affected: they become "as dense as can be measured", still the densest.
 */
export const DISTANCE_FLOOR = 1e-6;

export function lambdaOf(distance: number): number {
  return 1 / Math.max(distance, DISTANCE_FLOOR);
}

/**
 * The condensed cluster tree (Campello et al. 2013; McInnes & Healy's hdbscan): the single-linkage
 * dendrogram read from the root down, where a split only makes new clusters when both sides keep at
 * least `minClusterSize` points; otherwise the smaller side's points "fall out" of the cluster, which
 * carries on under the same id. Each row says: `child` (a point < n, or a cluster ≥ n) left cluster
 * `parent` at λ = `lambda`, with `childSize` points. Clusters are numbered from n (the root) in
 * breadth-first order, so a parent's id is always below its children's.
 */
export interface CondensedTree {
  readonly n: number;
  /** Clusters are n .. n + clusterCount − 1. */
  readonly clusterCount: number;
  readonly parent: Int32Array;
  readonly child: Int32Array;
  readonly lambda: Float64Array;
  readonly childSize: Int32Array;
}

export function condenseTree(linkage: SingleLinkage, minClusterSize: number): CondensedTree {
  const n = linkage.n;
  if (n < 2) {
    return {
      n,
      clusterCount: 1,
      parent: new Int32Array(0),
      child: new Int32Array(0),
      lambda: new Float64Array(0),
      childSize: new Int32Array(0),
    };
  }
  const { left, right, distance, size } = linkage;
  const countOf = (node: number) => (node < n ? 1 : size[node - n]!);
  const rows = new Rows(2 * n);
  const root = 2 * n - 2;
  const relabel = new Int32Array(2 * n - 1);
  relabel[root] = n;
  let nextLabel = n + 1;
  const queue = new Int32Array(n);
  let head = 0;
  let tail = 0;
  queue[tail++] = root;
  const stack: number[] = [];
  const fallOut = (subtree: number, cluster: number, lambda: number) => {
    stack.push(subtree);
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (node < n) rows.push(cluster, node, lambda, 1);
      else stack.push(right[node - n]!, left[node - n]!);
    }
  };
  while (head < tail) {
    const node = queue[head++]!;
    const row = node - n;
    const l = left[row]!;
    const r = right[row]!;
    const lambda = lambdaOf(distance[row]!);
    const cluster = relabel[node]!;
    const lBig = countOf(l) >= minClusterSize;
    const rBig = countOf(r) >= minClusterSize;
    if (lBig && rBig) {
      for (const side of [l, r]) {
        relabel[side] = nextLabel++;
        rows.push(cluster, relabel[side]!, lambda, countOf(side));
        queue[tail++] = side;
      }
    } else if (lBig) {
      relabel[l] = cluster;
      fallOut(r, cluster, lambda);
      queue[tail++] = l;
    } else if (rBig) {
      relabel[r] = cluster;
      fallOut(l, cluster, lambda);
      queue[tail++] = r;
    } else {
      fallOut(l, cluster, lambda);
      fallOut(r, cluster, lambda);
    }
  }
  return { n, clusterCount: nextLabel - n, ...rows.arrays() };
}

class Rows {
  private readonly parent: Int32Array;
  private readonly child: Int32Array;
  private readonly lambda: Float64Array;
  private readonly childSize: Int32Array;
  private length = 0;

  constructor(capacity: number) {
    this.parent = new Int32Array(capacity);
    this.child = new Int32Array(capacity);
    this.lambda = new Float64Array(capacity);
    this.childSize = new Int32Array(capacity);
  }

  push(parent: number, child: number, lambda: number, childSize: number): void {
    const i = this.length++;
    this.parent[i] = parent;
    this.child[i] = child;
    this.lambda[i] = lambda;
    this.childSize[i] = childSize;
  }

  arrays() {
    const end = this.length;
    return {
      parent: this.parent.slice(0, end),
      child: this.child.slice(0, end),
      lambda: this.lambda.slice(0, end),
      childSize: this.childSize.slice(0, end),
    };
  }
}
