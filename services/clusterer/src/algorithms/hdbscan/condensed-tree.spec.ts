import { expect } from 'chai';
import { condenseTree, DISTANCE_FLOOR, lambdaOf } from './condensed-tree.js';
import type { SpanningTree } from './edges.js';
import { singleLinkage } from './single-linkage.js';

function tree(edges: Array<[number, number, number]>): SpanningTree {
  return {
    a: Int32Array.from(edges, ([a, b]) => Math.min(a, b)),
    b: Int32Array.from(edges, ([a, b]) => Math.max(a, b)),
    weight: Float64Array.from(edges, ([, , w]) => w),
  };
}

/** Two groups of three: {0,1,2} (0.1, 0.2) and {3,4,5} (0.1, 0.3), joined at 1.0. */
const TWO_GROUPS: Array<[number, number, number]> = [
  [2, 3, 1.0],
  [0, 1, 0.1],
  [4, 5, 0.3],
  [1, 2, 0.2],
  [3, 4, 0.1],
];

function rows(condensed: ReturnType<typeof condenseTree>) {
  return Array.from(condensed.parent, (parent, r) => [
    parent,
    condensed.child[r]!,
    condensed.lambda[r]!,
    condensed.childSize[r]!,
  ]);
}

describe('hdbscan single linkage and condensed tree', () => {
  it('merges in edge order into SciPy-style rows (left = side of the lower endpoint)', () => {
    const linkage = singleLinkage(tree(TWO_GROUPS), 6);
    expect(Array.from(linkage.left)).to.deep.equal([0, 3, 6, 7, 8]);
    expect(Array.from(linkage.right)).to.deep.equal([1, 4, 2, 5, 9]);
    expect(Array.from(linkage.distance)).to.deep.equal([0.1, 0.1, 0.2, 0.3, 1.0]);
    expect(Array.from(linkage.size)).to.deep.equal([2, 2, 3, 3, 6]);
  });

  it('refuses a forest or a cycle', () => {
    expect(() => singleLinkage(tree([[0, 1, 1]]), 3)).to.throw(/spanning tree/);
    expect(() =>
      singleLinkage(
        tree([
          [0, 1, 1],
          [1, 0, 2],
        ]),
        3,
      ),
    ).to.throw(/cycle/);
  });

  it('condenses: two groups of ≥ minClusterSize become clusters, smaller splits shed points', () => {
    const condensed = condenseTree(singleLinkage(tree(TWO_GROUPS), 6), 3);
    expect(condensed.clusterCount).to.equal(3);
    expect(rows(condensed)).to.deep.equal([
      [6, 7, 1, 3],
      [6, 8, 1, 3],
      [7, 0, 5, 1],
      [7, 1, 5, 1],
      [7, 2, 5, 1],
      [8, 3, 1 / 0.3, 1],
      [8, 4, 1 / 0.3, 1],
      [8, 5, 1 / 0.3, 1],
    ]);
  });

  it('keeps one cluster going when only one side is big enough', () => {
    // A chain 0-1-2-3-4 with growing gaps: points drop off one by one, the root never splits.
    const condensed = condenseTree(
      singleLinkage(
        tree([
          [0, 1, 0.1],
          [1, 2, 0.2],
          [2, 3, 0.4],
          [3, 4, 0.5],
        ]),
        5,
      ),
      2,
    );
    expect(condensed.clusterCount).to.equal(1);
    expect(rows(condensed)).to.deep.equal([
      [5, 4, 2, 1],
      [5, 3, 2.5, 1],
      [5, 2, 5, 1],
      [5, 0, 10, 1],
      [5, 1, 10, 1],
    ]);
  });

  it('turns distance 0 (duplicates) into a large finite λ, never ∞', () => {
    expect(lambdaOf(0)).to.equal(1 / DISTANCE_FLOOR);
    expect(Number.isFinite(lambdaOf(0))).to.equal(true);
    const condensed = condenseTree(
      singleLinkage(
        tree([
          [0, 1, 0],
          [1, 2, 0],
          [2, 3, 0.5],
        ]),
        4,
      ),
      2,
    );
    for (const lambda of condensed.lambda) expect(Number.isFinite(lambda)).to.equal(true);
  });

  it('has no rows for fewer than two points', () => {
    expect(condenseTree(singleLinkage(tree([]), 1), 2).parent.length).to.equal(0);
  });
});
