import { expect } from 'chai';
import {
  centroidOf,
  closestPair,
  nearestCentroids,
  NATIVE_CENTROID_SCAN_ABOVE,
  type PointGroup,
} from './closest-pair.js';
import { bruteForceNeighbours, coreDistances } from './neighbours.js';
import { DEFAULT_KNN_GRAPH } from './options.js';
import { blobAround, randomUnitVector, seededRandom } from './testing/synthetic.js';
import { distance, packUnitVectors, type VectorMatrix } from './vectors.js';

function group(matrix: VectorMatrix, members: number[]): PointGroup {
  const set = new Set(members);
  return { members, centroid: centroidOf(matrix, members), contains: (p) => set.has(p) };
}

describe('hdbscan closest pair between groups', () => {
  it('finds the facing ends of two arcs, even from a start far from them', () => {
    // A: 0, 0.05, …, 0.5 rad; B: 1.0, 1.05, …, 1.5 rad. The closest pair is (0.5, 1.0).
    const angles = [
      ...Array.from({ length: 11 }, (_, i) => i * 0.05),
      ...Array.from({ length: 11 }, (_, i) => 1 + i * 0.05),
    ];
    const matrix = packUnitVectors(angles.map((t) => Float32Array.of(Math.cos(t), Math.sin(t))));
    const lists = bruteForceNeighbours(matrix, 3);
    const core = coreDistances(lists, 1);
    const A = group(
      matrix,
      Array.from({ length: 11 }, (_, i) => i),
    );
    const B = group(
      matrix,
      Array.from({ length: 11 }, (_, i) => 11 + i),
    );
    // One start per side, drawn from a sample that misses the facing ends: only the descent gets there.
    const edge = closestPair(matrix, core, lists, A, B, { sample: 3, starts: 1, maxSteps: 64 });
    expect([edge.a, edge.b]).to.deep.equal([10, 11]);
    expect(edge.w).to.be.closeTo(2 * Math.sin(0.25), 1e-6);
    // With no descent it stays where the sample put it: heavier.
    expect(closestPair(matrix, core, lists, A, B, { sample: 3, starts: 1, maxSteps: 0 }).w).to.be.above(
      edge.w,
    );
  });

  it('returns the pair of least mutual reachability between two blobs (checked against all pairs)', () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const random = seededRandom(seed);
      const vectors = [
        ...blobAround(random, randomUnitVector(random, 8), 0.4, 60),
        ...blobAround(random, randomUnitVector(random, 8), 0.4, 60),
      ];
      const matrix = packUnitVectors(vectors);
      const lists = bruteForceNeighbours(matrix, 10);
      const core = coreDistances(lists, 5);
      const A = Array.from({ length: 60 }, (_, i) => i);
      const B = Array.from({ length: 60 }, (_, i) => 60 + i);
      const best = A.flatMap((a) =>
        B.map((b) => ({ a, b, w: Math.max(core[a]!, core[b]!, distance(matrix.data, matrix.dim, a, b)) })),
      ).sort((x, y) => x.w - y.w || x.a - y.a || x.b - y.b)[0]!;
      const edge = closestPair(matrix, core, lists, group(matrix, A), group(matrix, B), DEFAULT_KNN_GRAPH);
      // Several pairs often tie at the least weight (one endpoint's core distance): any of them will do.
      expect(edge.w).to.equal(best.w);
      expect(A.includes(edge.a) && B.includes(edge.b)).to.equal(true);
      expect(edge.w).to.equal(
        Math.max(core[edge.a]!, core[edge.b]!, distance(matrix.data, matrix.dim, edge.a, edge.b)),
      );
    }
  });

  it('nearest centroids: the native scan (many groups) agrees with a plain computation', () => {
    const random = seededRandom(12);
    const centroids = Array.from({ length: NATIVE_CENTROID_SCAN_ABOVE + 88 }, () =>
      Float64Array.from(randomUnitVector(random, 16)),
    );
    const expected = (from: number, wanted: number, allowed: (g: number) => boolean) =>
      centroids
        .map((c, g) => ({ g, d: c.reduce((s, x, k) => s + (x - centroids[from]![k]!) ** 2, 0) }))
        .filter((x) => x.g !== from && allowed(x.g))
        .sort((x, y) => x.d - y.d || x.g - y.g)
        .slice(0, wanted)
        .map((x) => x.g);
    const native = nearestCentroids(centroids, 3);
    native.forEach((partners, from) => expect(partners).to.deep.equal(expected(from, 3, () => true)));
    // Candidates the filter rejects are made up by a full scan for that group.
    const odd = nearestCentroids(centroids, 2, (_, other) => other % 2 === 1);
    odd.forEach((partners, from) => expect(partners).to.deep.equal(expected(from, 2, (g) => g % 2 === 1)));
  });
});
