import { expect } from 'chai';
import { DEFAULT_HNSW } from './options.js';
import { bruteForceNeighbours, coreDistances, hnswNeighbours, type NeighbourLists } from './neighbours.js';
import { gaussianMixture, randomUnitVector, seededRandom } from './testing/synthetic.js';
import { distance, packUnitVectors, type VectorMatrix } from './vectors.js';

/** Point i's list as [index, distance] pairs. */
function listOf(lists: NeighbourLists, i: number): Array<[number, number]> {
  return Array.from({ length: lists.counts[i]! }, (_, r) => [
    lists.indices[i * lists.k + r]!,
    lists.distances[i * lists.k + r]!,
  ]);
}

/** The k nearest others of i by a full sort: (distance, index). */
function sortedOthers(matrix: VectorMatrix, i: number, k: number): Array<[number, number]> {
  const n = matrix.data.length / matrix.dim;
  const all: Array<[number, number]> = [];
  for (let j = 0; j < n; j++) if (j !== i) all.push([j, distance(matrix.data, matrix.dim, i, j)]);
  all.sort((x, y) => x[1] - y[1] || x[0] - y[0]);
  return all.slice(0, k);
}

describe('hdbscan neighbours', () => {
  it('brute force lists every point’s k nearest others in (distance, index) order', () => {
    const random = seededRandom(5);
    const matrix = packUnitVectors(Array.from({ length: 150 }, () => randomUnitVector(random, 12)));
    const lists = bruteForceNeighbours(matrix, 7);
    expect(lists.k).to.equal(7);
    for (let i = 0; i < 150; i++) expect(listOf(lists, i)).to.deep.equal(sortedOthers(matrix, i, 7));
  });

  it('HNSW agrees with brute force on clustered data: same core distances, ≥ 99 % of the neighbours', () => {
    const { vectors } = gaussianMixture({
      n: 500,
      dim: 32,
      clusters: 5,
      noiseFraction: 0,
      spread: [0.3, 0.5],
      seed: 9,
    });
    const matrix = packUnitVectors(vectors);
    const exact = bruteForceNeighbours(matrix, 10);
    const approximate = hnswNeighbours(matrix, 10, DEFAULT_HNSW);
    expect(Array.from(coreDistances(approximate, 6))).to.deep.equal(Array.from(coreDistances(exact, 6)));
    // HNSW is approximate: the lists may miss a far neighbour now and then, never return a wrong distance.
    let found = 0;
    for (let i = 0; i < 500; i++) {
      const truth = new Map(listOf(exact, i));
      for (const [j, d] of listOf(approximate, i)) {
        if (truth.has(j)) {
          expect(d).to.equal(truth.get(j));
          found++;
        }
      }
    }
    expect(found / (500 * 10)).to.be.at.least(0.99);
  });

  it('HNSW gives the same lists on every run (single-threaded build)', () => {
    const { vectors } = gaussianMixture({
      n: 800,
      dim: 24,
      clusters: 4,
      noiseFraction: 0.2,
      spread: [0.4, 0.8],
      seed: 2,
    });
    const matrix = packUnitVectors(vectors);
    const first = hnswNeighbours(matrix, 12, DEFAULT_HNSW);
    const second = hnswNeighbours(matrix, 12, DEFAULT_HNSW);
    expect(Array.from(second.indices)).to.deep.equal(Array.from(first.indices));
  });

  it('lists all other points when k ≥ n − 1, on both paths', () => {
    const random = seededRandom(1);
    const matrix = packUnitVectors(Array.from({ length: 6 }, () => randomUnitVector(random, 4)));
    for (const lists of [bruteForceNeighbours(matrix, 50), hnswNeighbours(matrix, 50, DEFAULT_HNSW)]) {
      expect(lists.k).to.equal(5);
      expect(Array.from(lists.counts)).to.deep.equal([5, 5, 5, 5, 5, 5]);
      for (let i = 0; i < 6; i++) expect(listOf(lists, i)).to.deep.equal(sortedOthers(matrix, i, 5));
    }
  });

  it('counts the point itself in minSamples: 1 → 0 (single linkage), 3 → the 2nd nearest other', () => {
    const matrix = packUnitVectors(
      [0, 0.1, 0.3, 0.7].map((angle) => Float32Array.of(Math.cos(angle), Math.sin(angle))),
    );
    const lists = bruteForceNeighbours(matrix, 3);
    expect(Array.from(coreDistances(lists, 1))).to.deep.equal([0, 0, 0, 0]);
    const core = coreDistances(lists, 3);
    // Point 0's others lie at chords of 0.1, 0.3, 0.7 rad; the 2nd nearest is 0.3 rad away.
    expect(core[0]).to.be.closeTo(2 * Math.sin(0.15), 1e-6);
    // Point 3's 2nd nearest other is point 1 (0.6 rad).
    expect(core[3]).to.be.closeTo(2 * Math.sin(0.3), 1e-6);
  });

  it('takes the farthest point as core distance when there are fewer than minSamples points', () => {
    const matrix = packUnitVectors([Float32Array.of(1, 0), Float32Array.of(0, 1), Float32Array.of(-1, 0)]);
    const core = coreDistances(bruteForceNeighbours(matrix, 10), 10);
    expect(core[0]).to.equal(2);
    expect(core[1]).to.be.closeTo(Math.SQRT2, 1e-12);
  });

  it('handles exact duplicates: zero distances, no NaN, on both paths', () => {
    const random = seededRandom(4);
    const copy = randomUnitVector(random, 16);
    const vectors = [
      ...Array.from({ length: 40 }, () => copy),
      ...Array.from({ length: 40 }, () => randomUnitVector(random, 16)),
    ];
    const matrix = packUnitVectors(vectors);
    for (const lists of [bruteForceNeighbours(matrix, 10), hnswNeighbours(matrix, 10, DEFAULT_HNSW)]) {
      const core = coreDistances(lists, 5);
      for (let i = 0; i < 40; i++) expect(core[i]).to.equal(0);
      for (const d of lists.distances) expect(Number.isFinite(d)).to.equal(true);
    }
  });

  it('returns empty lists for zero or one point', () => {
    for (const n of [0, 1]) {
      const matrix = packUnitVectors(Array.from({ length: n }, () => Float32Array.of(1, 0)));
      expect(bruteForceNeighbours(matrix, 5).counts.length).to.equal(n);
      expect(hnswNeighbours(matrix, 5, DEFAULT_HNSW).k).to.equal(0);
    }
  });
});
