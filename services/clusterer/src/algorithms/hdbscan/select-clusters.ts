import type { CondensedTree } from './condensed-tree.js';

export interface SelectionOptions {
  /** 'eom': excess of mass, the most stable non-overlapping clusters; 'leaf': the finest clusters. */
  method: 'eom' | 'leaf';
  /** Let the root (everything) be the one cluster; otherwise at least two clusters or none. */
  allowSingleCluster: boolean;
  /** Clusters born at a distance below this are replaced by their ancestor born above it (0 = off). */
  epsilon: number;
}

export interface ClusterSummary {
  label: number;
  /** Points labelled with this cluster. */
  size: number;
  /** Excess of mass: Σ over its points of (λ when the point leaves − λ when the cluster was born). */
  stability: number;
  /** Stability / (size × the largest λ in the tree), in [0, 1], as hdbscan's cluster_persistence_. */
  persistence: number;
  /** λ = 1 / distance at which the cluster split off its parent (0 for the root). */
  birthLambda: number;
  /** Largest λ at which anything leaves the cluster (its densest point): the scale of `probabilities`. */
  maxLambda: number;
  /** Its id in the condensed tree. */
  node: number;
}

export interface Selection {
  /** Cluster label per point, −1 for noise. */
  labels: Int32Array;
  /** Membership strength per point in [0, 1] (0 for noise): λ of the point / max λ of its cluster. */
  probabilities: Float64Array;
  clusters: ClusterSummary[];
}

/**
 * Flat clusters from the condensed tree, following the reference hdbscan / scikit-learn semantics:
 * stabilities, excess-of-mass selection (a cluster is kept when its stability is at least the sum of
 * its children's best, ties to the parent) or leaf selection, the cluster_selection_epsilon merge,
 * labels, and membership strengths. Differences, on purpose: labels are numbered by each cluster's
 * smallest point index (the reference numbers by tree id, which shifts with the tree's shape), a
 * selected cluster left with no point gets no label, scikit-learn's per-cluster max λ reads only
 * the last contiguous run of rows (this takes the true maximum), and leaf selection on a tree that
 * never splits yields the root when a single cluster is allowed (the reference yields nothing).
 * O(rows + clusters).
 */
export function selectClusters(tree: CondensedTree, options: SelectionOptions): Selection {
  const { n, clusterCount } = tree;
  const labels = new Int32Array(n).fill(-1);
  const probabilities = new Float64Array(n);
  if (n < 2) return { labels, probabilities, clusters: [] };

  const facts = treeFacts(tree);
  const chosen = options.method === 'eom' ? excessOfMass(facts, options) : leaves(facts, options);
  let selected = chosen;
  const onlyRoot = chosen.length === 1 && chosen[0] === 0;
  if (options.epsilon > 0 && !onlyRoot && chosen.length > 0) selected = epsilonMerge(facts, chosen, options);

  // Top-down (ids are topological): the selected cluster each cluster lies in, or −1.
  const isSelected = new Uint8Array(clusterCount);
  for (const c of selected) isSelected[c] = 1;
  const owner = new Int32Array(clusterCount).fill(-1);
  for (let c = 0; c < clusterCount; c++) {
    owner[c] = isSelected[c] ? c : c === 0 ? -1 : owner[facts.parentOf[c]!]!;
  }
  // Root as the single cluster: scikit-learn keeps only points that leave it at or above a threshold.
  const rootThreshold = options.epsilon > 0 ? 1 / options.epsilon : facts.maxLambda[0]!;
  // Labels in order of each cluster's smallest point index: stable under changes to the tree's shape.
  const labelOf = new Int32Array(clusterCount).fill(-1);
  const order: number[] = [];
  const sizes: number[] = [];
  for (let p = 0; p < n; p++) {
    const c = owner[facts.pointCluster[p]! - n]!;
    if (c < 0) continue;
    if (c === 0 && facts.pointLambda[p]! < rootThreshold) continue;
    if (labelOf[c]! < 0) {
      labelOf[c] = order.length;
      order.push(c);
      sizes.push(0);
    }
    const label = labelOf[c]!;
    labels[p] = label;
    sizes[label]!++;
    const max = facts.maxLambda[c]!;
    probabilities[p] = max === 0 ? 1 : Math.min(facts.pointLambda[p]!, max) / max;
  }

  let largestLambda = 0;
  for (let r = 0; r < tree.lambda.length; r++) largestLambda = Math.max(largestLambda, tree.lambda[r]!);
  const clusters = order.map((c, label) => {
    const size = sizes[label]!;
    const stability = facts.stability[c]!;
    return {
      label,
      size,
      stability,
      persistence: largestLambda === 0 ? 1 : stability / (size * largestLambda),
      birthLambda: facts.birth[c]!,
      maxLambda: facts.maxLambda[c]!,
      node: n + c,
    };
  });
  return { labels, probabilities, clusters };
}

/** Per-cluster arrays indexed by id − n (0 is the root). */
interface TreeFacts {
  n: number;
  clusterCount: number;
  parentOf: Int32Array;
  birth: Float64Array;
  stability: Float64Array;
  maxLambda: Float64Array;
  children: number[][];
  /** Cluster each point fell out of (a tree id ≥ n), and at which λ. */
  pointCluster: Int32Array;
  pointLambda: Float64Array;
}

function treeFacts(tree: CondensedTree): TreeFacts {
  const { n, clusterCount, parent, child, lambda, childSize } = tree;
  const parentOf = new Int32Array(clusterCount).fill(-1);
  const birth = new Float64Array(clusterCount);
  const stability = new Float64Array(clusterCount);
  const maxLambda = new Float64Array(clusterCount);
  const children: number[][] = Array.from({ length: clusterCount }, () => []);
  const pointCluster = new Int32Array(n).fill(n);
  const pointLambda = new Float64Array(n);
  for (let r = 0; r < parent.length; r++) {
    const p = parent[r]! - n;
    const c = child[r]!;
    if (c >= n) {
      parentOf[c - n] = p;
      birth[c - n] = lambda[r]!;
      children[p]!.push(c - n);
    } else {
      pointCluster[c] = parent[r]!;
      pointLambda[c] = lambda[r]!;
    }
    maxLambda[p] = Math.max(maxLambda[p]!, lambda[r]!);
  }
  for (let r = 0; r < parent.length; r++) {
    const p = parent[r]! - n;
    stability[p]! += (lambda[r]! - birth[p]!) * childSize[r]!;
  }
  return { n, clusterCount, parentOf, birth, stability, maxLambda, children, pointCluster, pointLambda };
}

/** Bottom-up: keep a cluster unless its children together are more stable; the root only if allowed. */
function excessOfMass(facts: TreeFacts, options: SelectionOptions): number[] {
  const { clusterCount, children } = facts;
  const best = Float64Array.from(facts.stability);
  const keep = new Uint8Array(clusterCount);
  const lowest = options.allowSingleCluster ? 0 : 1;
  for (let c = clusterCount - 1; c >= lowest; c--) {
    let sum = 0;
    for (const k of children[c]!) sum += best[k]!;
    if (children[c]!.length > 0 && sum > best[c]!) best[c] = sum;
    else keep[c] = 1;
  }
  return topmostKept(facts, keep, lowest);
}

/** Kept clusters with no kept ancestor, in id order. */
function topmostKept(facts: TreeFacts, keep: Uint8Array, lowest: number): number[] {
  const covered = new Uint8Array(facts.clusterCount);
  const result: number[] = [];
  for (let c = lowest; c < facts.clusterCount; c++) {
    const parent = facts.parentOf[c]!;
    if (parent >= 0 && covered[parent]) covered[c] = 1;
    else if (keep[c]) {
      result.push(c);
      covered[c] = 1;
    }
  }
  return result;
}

function leaves(facts: TreeFacts, options: SelectionOptions): number[] {
  const result: number[] = [];
  for (let c = 1; c < facts.clusterCount; c++) if (facts.children[c]!.length === 0) result.push(c);
  if (result.length === 0 && options.allowSingleCluster) result.push(0);
  return result;
}

/**
 * Each selected cluster born below ε (distance) is replaced by its nearest ancestor born above ε
 * (DBSCAN-like: nothing is split finer than ε); reaching the root gives the root only when a
 * single cluster is allowed, else the child of the root. Nested picks collapse to the outermost.
 */
function epsilonMerge(facts: TreeFacts, chosen: number[], options: SelectionOptions): number[] {
  const bornBelow = (c: number) => 1 / facts.birth[c]! < options.epsilon;
  const keep = new Uint8Array(facts.clusterCount);
  for (const c of chosen) {
    let pick = c;
    if (bornBelow(c)) {
      for (;;) {
        const parent = facts.parentOf[pick]!;
        if (parent === 0) {
          if (options.allowSingleCluster) pick = 0;
          break;
        }
        pick = parent;
        if (1 / facts.birth[parent]! > options.epsilon) break;
      }
    }
    keep[pick] = 1;
  }
  return topmostKept(facts, keep, keep[0] ? 0 : 1);
}
