import { expect } from 'chai';
import { treeWeight, type SpanningTree } from './edges.js';
import { approximateMst } from './mst-approximate.js';
import { exactMst } from './mst-exact.js';
import { bruteForceNeighbours, coreDistances } from './neighbours.js';
import { DEFAULT_KNN_GRAPH } from './options.js';
import { blobAround, gaussianMixture, randomUnitVector, seededRandom } from './testing/synthetic.js';
import { UnionFind } from './union-find.js';
import { distance, packUnitVectors, type VectorMatrix } from './vectors.js';

/** Edges as sorted "a-b:w" strings, for set comparison. */
function edgeSet(tree: SpanningTree): string[] {
  return Array.from(tree.weight, (w, e) => `${tree.a[e]}-${tree.b[e]}:${w}`).sort();
}

/** Kruskal over every pair of the complete mutual-reachability graph: the textbook exact tree. */
function kruskalAllPairs(matrix: VectorMatrix, core: Float64Array): string[] {
  const n = core.length;
  const pairs: Array<[number, number, number]> = [];
  for (let a = 0; a < n; a++) {
    for (let b = a + 1; b < n; b++) {
      pairs.push([a, b, Math.max(core[a]!, core[b]!, distance(matrix.data, matrix.dim, a, b))]);
    }
  }
  pairs.sort((x, y) => x[2] - y[2] || x[0] - y[0] || x[1] - y[1]);
  const sets = new UnionFind(n);
  return pairs
    .filter(([a, b]) => sets.union(a, b))
    .map(([a, b, w]) => `${a}-${b}:${w}`)
    .sort();
}

function isSpanningTree(tree: SpanningTree, n: number): boolean {
  const sets = new UnionFind(n);
  for (let e = 0; e < tree.weight.length; e++) if (!sets.union(tree.a[e]!, tree.b[e]!)) return false;
  return tree.weight.length === n - 1 && sets.count === 1;
}

function prepared(vectors: Float32Array[], k: number, minSamples: number) {
  const matrix = packUnitVectors(vectors);
  const lists = bruteForceNeighbours(matrix, k);
  return { matrix, lists, core: coreDistances(lists, minSamples) };
}

describe('hdbscan minimum spanning trees', () => {
  it('exact Prim finds the tree Kruskal over all pairs finds (ties broken the same way)', () => {
    for (const [seed, minSamples] of [
      [1, 1],
      [2, 4],
      [3, 10],
    ] as const) {
      const random = seededRandom(seed);
      const vectors = Array.from({ length: 120 }, () => randomUnitVector(random, 6));
      const { matrix, core } = prepared(vectors, minSamples, minSamples);
      const tree = exactMst(matrix, core);
      expect(isSpanningTree(tree, 120)).to.equal(true);
      expect(edgeSet(tree)).to.deep.equal(kruskalAllPairs(matrix, core));
    }
  });

  it('exact Prim with many tied weights (duplicates, minSamples-wide plateaus) still matches', () => {
    const random = seededRandom(8);
    const base = Array.from({ length: 10 }, () => randomUnitVector(random, 5));
    const vectors = Array.from({ length: 60 }, (_, i) => base[i % 10]!);
    const { matrix, core } = prepared(vectors, 7, 7);
    expect(edgeSet(exactMst(matrix, core))).to.deep.equal(kruskalAllPairs(matrix, core));
  });

  it('handles 0, 1 and 2 points', () => {
    for (const n of [0, 1, 2]) {
      const { matrix, core, lists } = prepared(
        Array.from({ length: n }, (_, i) => Float32Array.of(i, 1 - i)),
        1,
        1,
      );
      expect(exactMst(matrix, core).weight.length).to.equal(Math.max(0, n - 1));
      expect(approximateMst(matrix, core, lists, 2, DEFAULT_KNN_GRAPH).tree.weight.length).to.equal(
        Math.max(0, n - 1),
      );
    }
  });

  it('the k-NN graph tree is the exact tree when every point lists all others', () => {
    const random = seededRandom(21);
    const vectors = Array.from({ length: 80 }, () => randomUnitVector(random, 8));
    const { matrix, core, lists } = prepared(vectors, 79, 5);
    const { tree, stats } = approximateMst(matrix, core, lists, 5, DEFAULT_KNN_GRAPH);
    expect(stats.graphComponents).to.equal(1);
    expect(edgeSet(tree)).to.deep.equal(edgeSet(exactMst(matrix, core)));
  });

  it('joins k-NN components that share no edge (Borůvka rounds) at about the exact height', () => {
    const random = seededRandom(13);
    const vectors = Array.from({ length: 6 }, () => randomUnitVector(random, 24)).flatMap((center) =>
      blobAround(random, center, 0.15, 40),
    );
    const { matrix, core, lists } = prepared(vectors, 8, 4);
    const { tree, stats } = approximateMst(matrix, core, lists, 10, {
      ...DEFAULT_KNN_GRAPH,
      refineRounds: 0,
    });
    expect(stats.graphComponents).to.equal(6);
    expect(stats.connectRounds).to.be.at.least(1);
    expect(isSpanningTree(tree, 240)).to.equal(true);
    const exact = treeWeight(exactMst(matrix, core));
    expect(treeWeight(tree)).to.be.within(exact, exact * 1.005);
  });

  it('repairs the edges between clusters that the graph only joins through noise points', () => {
    const { vectors } = gaussianMixture({
      n: 400,
      dim: 16,
      clusters: 5,
      noiseFraction: 0.1,
      spread: [0.3, 0.6],
      seed: 1,
    });
    const { matrix, core, lists } = prepared(vectors, 20, 10);
    const exact = treeWeight(exactMst(matrix, core));
    const plain = approximateMst(matrix, core, lists, 10, { ...DEFAULT_KNN_GRAPH, refineRounds: 0 });
    const refined = approximateMst(matrix, core, lists, 10, DEFAULT_KNN_GRAPH);
    expect(plain.stats.graphComponents).to.equal(1);
    expect(refined.stats.refineEdges).to.be.at.least(1);
    expect(treeWeight(plain.tree)).to.be.above(treeWeight(refined.tree));
    expect(treeWeight(refined.tree)).to.be.within(exact, exact * 1.0001);
    expect(isSpanningTree(refined.tree, 400)).to.equal(true);
  });
});
