import { DISTANCE_FLOOR } from '../condensed-tree.js';

/**
 * A deliberately plain HDBSCAN* written straight from the definitions (full distance matrix,
 * Kruskal over all pairs, recursive condensing, the reference library's selection steps as they
 * read), with none of the production code's data structures. Tests compare the real
 * implementation against it on small sets: identical labels, probabilities and tree weight.
 * O(n² log n) time and O(n²) memory: a few hundred points at most.
 */
export interface NaiveOptions {
  minClusterSize: number;
  minSamples: number;
  method?: 'eom' | 'leaf';
  allowSingleCluster?: boolean;
  epsilon?: number;
}

export interface NaiveResult {
  labels: number[];
  probabilities: number[];
  coreDistances: number[];
  mstWeight: number;
  /** Stability of each labelled cluster, by label (labels numbered by smallest point index). */
  stabilities: number[];
}

interface Row {
  parent: number;
  child: number;
  lambda: number;
  size: number;
}

export function naiveHdbscan(vectors: Float32Array[], options: NaiveOptions): NaiveResult {
  const n = vectors.length;
  const method = options.method ?? 'eom';
  const allowSingle = options.allowSingleCluster ?? false;
  const epsilon = options.epsilon ?? 0;
  if (n < 2)
    return {
      labels: vectors.map(() => -1),
      probabilities: vectors.map(() => 0),
      coreDistances: vectors.map(() => 0),
      mstWeight: 0,
      stabilities: [],
    };

  // Distances and core distances (k-th smallest of the row, the point itself included).
  const dist: number[][] = vectors.map((a) =>
    vectors.map((b) => {
      let sum = 0;
      for (let k = 0; k < a.length; k++) sum += (a[k]! - b[k]!) ** 2;
      return Math.sqrt(sum);
    }),
  );
  const core = dist.map((row) => [...row].sort((x, y) => x - y)[Math.min(options.minSamples - 1, n - 1)]!);

  // Kruskal over every pair, ties by (lower, upper) index; merges recorded SciPy-style.
  const pairs: Array<{ i: number; j: number; w: number }> = [];
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) pairs.push({ i, j, w: Math.max(core[i]!, core[j]!, dist[i]![j]!) });
  }
  pairs.sort((x, y) => x.w - y.w || x.i - y.i || x.j - y.j);
  const component = vectors.map((_, i) => i);
  const nodeOfComponent = new Map(component.map((c) => [c, c]));
  const merges: Array<{ left: number; right: number; distance: number; size: number }> = [];
  let mstWeight = 0;
  for (const { i, j, w } of pairs) {
    const ci = component[i]!;
    const cj = component[j]!;
    if (ci === cj) continue;
    mstWeight += w;
    for (let p = 0; p < n; p++) if (component[p] === cj) component[p] = ci;
    const size = component.filter((c) => c === ci).length;
    merges.push({ left: nodeOfComponent.get(ci)!, right: nodeOfComponent.get(cj)!, distance: w, size });
    nodeOfComponent.set(ci, n + merges.length - 1);
  }

  // Condense, breadth first from the root.
  const sizeOf = (node: number) => (node < n ? 1 : merges[node - n]!.size);
  const leavesOf = (node: number): number[] =>
    node < n ? [node] : [...leavesOf(merges[node - n]!.left), ...leavesOf(merges[node - n]!.right)];
  const rows: Row[] = [];
  const label = new Map<number, number>([[2 * n - 2, n]]);
  let next = n + 1;
  const queue = [2 * n - 2];
  while (queue.length > 0) {
    const node = queue.shift()!;
    const { left, right, distance } = merges[node - n]!;
    const lambda = 1 / Math.max(distance, DISTANCE_FLOOR);
    const parent = label.get(node)!;
    const big = (x: number) => sizeOf(x) >= options.minClusterSize;
    if (big(left) && big(right)) {
      for (const side of [left, right]) {
        label.set(side, next++);
        rows.push({ parent, child: label.get(side)!, lambda, size: sizeOf(side) });
        queue.push(side);
      }
    } else {
      for (const side of [left, right]) {
        if (big(side)) {
          label.set(side, parent);
          queue.push(side);
        } else {
          for (const leaf of leavesOf(side)) rows.push({ parent, child: leaf, lambda, size: 1 });
        }
      }
    }
  }

  // Stability per cluster.
  const root = n;
  const clusterIds = Array.from({ length: next - n }, (_, k) => n + k);
  const birth = new Map<number, number>([[root, 0]]);
  for (const row of rows) if (row.child >= n) birth.set(row.child, row.lambda);
  const stability = new Map(clusterIds.map((c) => [c, 0]));
  for (const row of rows)
    stability.set(row.parent, stability.get(row.parent)! + (row.lambda - birth.get(row.parent)!) * row.size);
  const childClusters = (c: number) => rows.filter((r) => r.parent === c && r.child >= n).map((r) => r.child);
  const parentOf = (c: number) => rows.find((r) => r.child === c)?.parent;
  const descendants = (c: number): number[] => childClusters(c).flatMap((k) => [k, ...descendants(k)]);

  // Selection.
  const candidates = clusterIds.filter((c) => allowSingle || c !== root);
  const isCluster = new Map(candidates.map((c) => [c, true]));
  if (method === 'eom') {
    const best = new Map(stability);
    for (const c of [...candidates].sort((a, b) => b - a)) {
      const sum = childClusters(c).reduce((acc, k) => acc + best.get(k)!, 0);
      if (sum > best.get(c)!) {
        isCluster.set(c, false);
        best.set(c, sum);
      } else {
        for (const d of descendants(c)) isCluster.set(d, false);
      }
    }
  } else {
    for (const c of candidates) isCluster.set(c, c !== root && childClusters(c).length === 0);
    if (![...isCluster.values()].some(Boolean) && allowSingle) isCluster.set(root, true);
  }
  let selected = candidates.filter((c) => isCluster.get(c));
  if (epsilon > 0 && !(selected.length === 1 && selected[0] === root) && selected.length > 0) {
    const climb = (c: number): number => {
      const parent = parentOf(c)!;
      if (parent === root) return allowSingle ? root : c;
      return 1 / birth.get(parent)! > epsilon ? parent : climb(parent);
    };
    const picks = new Set(selected.map((c) => (1 / birth.get(c)! < epsilon ? climb(c) : c)));
    // Nested picks collapse to the outermost.
    selected = [...picks].filter((c) => {
      for (let p = parentOf(c); p !== undefined; p = parentOf(p)) if (picks.has(p)) return false;
      return true;
    });
  }
  selected.sort((a, b) => a - b);

  // Labels and membership strengths.
  const maxLambda = (c: number) => Math.max(0, ...rows.filter((r) => r.parent === c).map((r) => r.lambda));
  const labels = vectors.map(() => -1);
  const probabilities = vectors.map(() => 0);
  const order: number[] = []; // labels by smallest point index
  for (let p = 0; p < n; p++) {
    const own = rows.find((r) => r.child === p)!;
    let c: number | undefined = own.parent;
    while (c !== undefined && !selected.includes(c)) c = parentOf(c);
    if (c === undefined) continue;
    if (c === root) {
      const threshold = epsilon > 0 ? 1 / epsilon : maxLambda(root);
      if (own.lambda < threshold) continue;
    }
    if (!order.includes(c)) order.push(c);
    labels[p] = order.indexOf(c);
    const max = maxLambda(c);
    probabilities[p] = max === 0 ? 1 : Math.min(own.lambda, max) / max;
  }
  return {
    labels,
    probabilities,
    coreDistances: core,
    mstWeight,
    stabilities: order.map((c) => stability.get(c)!),
  };
}
