import { expect } from 'chai';
import { condenseTree } from './condensed-tree.js';
import type { SpanningTree } from './edges.js';
import { selectClusters, type SelectionOptions } from './select-clusters.js';
import { singleLinkage } from './single-linkage.js';

type Edge = [number, number, number];

function select(edges: Edge[], n: number, minClusterSize: number, options: Partial<SelectionOptions> = {}) {
  const tree: SpanningTree = {
    a: Int32Array.from(edges, ([a, b]) => Math.min(a, b)),
    b: Int32Array.from(edges, ([a, b]) => Math.max(a, b)),
    weight: Float64Array.from(edges, ([, , w]) => w),
  };
  return selectClusters(condenseTree(singleLinkage(tree, n), minClusterSize), {
    method: 'eom',
    allowSingleCluster: false,
    epsilon: 0,
    ...options,
  });
}

/** A group of three points starting at `first`, internal edges at `d1`, `d2`. */
const triple = (first: number, d1: number, d2: number): Edge[] => [
  [first, first + 1, d1],
  [first + 1, first + 2, d2],
];

/** {0,1,2} and {3,4,5}, each tight (0.1), joined at `join`. */
const twoTight = (join: number): Edge[] => [...triple(0, 0.1, 0.1), ...triple(3, 0.1, 0.1), [2, 3, join]];

/**
 * A = {0..5} made of A1 = {0,1,2} and A2 = {3,4,5} (tight, 0.05) joined at 0.2; B = {6,7,8} (0.05);
 * A and B joined at 1.0.
 */
const NESTED: Edge[] = [
  ...triple(0, 0.05, 0.05),
  ...triple(3, 0.05, 0.05),
  ...triple(6, 0.05, 0.05),
  [2, 3, 0.2],
  [5, 6, 1.0],
];

describe('hdbscan cluster selection', () => {
  it('picks two well-separated groups, with full membership strength for points at the densest level', () => {
    const result = select(twoTight(1.0), 6, 3);
    expect(Array.from(result.labels)).to.deep.equal([0, 0, 0, 1, 1, 1]);
    expect(Array.from(result.probabilities)).to.deep.equal([1, 1, 1, 1, 1, 1]);
    expect(result.clusters.map((c) => [c.label, c.size])).to.deep.equal([
      [0, 3],
      [1, 3],
    ]);
    // Born at λ = 1, points leave at λ = 10: stability 3 × (10 − 1).
    expect(result.clusters[0]!.stability).to.be.closeTo(27, 1e-9);
    expect(result.clusters[0]!.birthLambda).to.equal(1);
    expect(result.clusters[0]!.maxLambda).to.be.closeTo(10, 1e-12);
    // Persistence: stability / (size × largest λ) = 27 / 30.
    expect(result.clusters[0]!.persistence).to.be.closeTo(0.9, 1e-9);
  });

  it('excess of mass prefers the children when they are denser than their parent', () => {
    const result = select(NESTED, 9, 3);
    expect(Array.from(result.labels)).to.deep.equal([0, 0, 0, 1, 1, 1, 2, 2, 2]);
  });

  it('excess of mass keeps the parent when splitting it gains less than it loses', () => {
    // A1 and A2 only separate just before their points fall apart.
    const edges: Edge[] = [
      ...triple(0, 0.18, 0.18),
      ...triple(3, 0.18, 0.18),
      ...triple(6, 0.05, 0.05),
      [2, 3, 0.2],
      [5, 6, 1.0],
    ];
    const result = select(edges, 9, 3);
    expect(Array.from(result.labels)).to.deep.equal([0, 0, 0, 0, 0, 0, 1, 1, 1]);
    // Leaf selection takes the finest clusters regardless.
    expect(Array.from(select(edges, 9, 3, { method: 'leaf' }).labels)).to.deep.equal([
      0, 0, 0, 1, 1, 1, 2, 2, 2,
    ]);
  });

  it('cluster_selection_epsilon merges clusters born closer than ε into their ancestor', () => {
    const result = select(NESTED, 9, 3, { epsilon: 0.25 });
    expect(Array.from(result.labels)).to.deep.equal([0, 0, 0, 0, 0, 0, 1, 1, 1]);
    // ε below the A1/A2 split changes nothing.
    expect(Array.from(select(NESTED, 9, 3, { epsilon: 0.15 }).labels)).to.deep.equal([
      0, 0, 0, 1, 1, 1, 2, 2, 2,
    ]);
  });

  it('never returns the root unless a single cluster is allowed', () => {
    // The join (0.12) is barely above the groups' own scale (0.1 → λ 10): the root is far more stable.
    const edges = twoTight(0.12);
    expect(Array.from(select(edges, 6, 3).labels)).to.deep.equal([0, 0, 0, 1, 1, 1]);
    const single = select(edges, 6, 3, { allowSingleCluster: true });
    expect(Array.from(single.labels)).to.deep.equal([0, 0, 0, 0, 0, 0]);
    expect(single.clusters).to.have.length(1);
    expect(single.clusters[0]!.birthLambda).to.equal(0);
  });

  it('with ε and a single cluster allowed, everything within ε joins one cluster', () => {
    const result = select(twoTight(1.0), 6, 3, { epsilon: 1.5, allowSingleCluster: true });
    expect(Array.from(result.labels)).to.deep.equal([0, 0, 0, 0, 0, 0]);
  });

  it('a tree that never splits has no cluster, or the root when allowed', () => {
    const chain: Edge[] = [
      [0, 1, 0.1],
      [1, 2, 0.2],
      [2, 3, 0.3],
    ];
    for (const method of ['eom', 'leaf'] as const) {
      expect(Array.from(select(chain, 4, 2, { method }).labels)).to.deep.equal([-1, -1, -1, -1]);
      // The root keeps the points that leave it at its largest λ (scikit-learn's rule): 0 and 1.
      expect(Array.from(select(chain, 4, 2, { method, allowSingleCluster: true }).labels)).to.deep.equal([
        0, 0, -1, -1,
      ]);
    }
  });

  it('a point that leaves a cluster after its birth is a (weak) member, not noise', () => {
    // 4 hangs off {0..3} at 2, after the root split at 3 gave birth to that cluster.
    const edges: Edge[] = [
      [0, 1, 0.25],
      [1, 2, 0.25],
      [2, 3, 0.25],
      [5, 6, 0.25],
      [6, 7, 0.25],
      [7, 8, 0.25],
      [3, 4, 2],
      [4, 5, 3],
    ];
    const result = select(edges, 9, 3);
    expect(Array.from(result.labels)).to.deep.equal([0, 0, 0, 0, 0, 1, 1, 1, 1]);
    expect(result.probabilities[4]).to.be.closeTo(0.5 / 4, 1e-12);
  });

  it('membership strength is λ of the point over the cluster’s largest λ; noise gets 0', () => {
    // Clusters {0..3} and {5..8} split at 2 (λ 0.5); in each, one point leaves at 0.5 (λ 2), the
    // rest at 0.25 (λ 4). Point 4 leaves the root at 3, before any cluster exists: noise.
    const edges: Edge[] = [
      [0, 1, 0.25],
      [1, 2, 0.25],
      [2, 3, 0.5],
      [5, 6, 0.25],
      [6, 7, 0.25],
      [7, 8, 0.5],
      [3, 5, 2],
      [4, 5, 3],
    ];
    const result = select(edges, 9, 3);
    expect(Array.from(result.labels)).to.deep.equal([0, 0, 0, 0, -1, 1, 1, 1, 1]);
    expect(Array.from(result.probabilities)).to.deep.equal([1, 1, 1, 0.5, 0, 1, 1, 1, 0.5]);
  });

  it('labels clusters in order of their smallest point', () => {
    // The group holding point 0 is the right-hand side of the root split here.
    const edges: Edge[] = [
      [0, 4, 0.1],
      [4, 5, 0.1],
      [1, 2, 0.1],
      [2, 3, 0.1],
      [3, 5, 1.0],
    ];
    const result = select(edges, 6, 3);
    expect(result.labels[0]).to.equal(0);
    expect(Array.from(result.labels)).to.deep.equal([0, 1, 1, 1, 0, 0]);
  });

  it('returns nothing for fewer than two points', () => {
    const result = select([], 1, 2);
    expect(Array.from(result.labels)).to.deep.equal([-1]);
    expect(result.clusters).to.deep.equal([]);
  });
});
