import { expect } from 'chai';
import { kmeans } from './kmeans.js';
import { clusteringScores } from './metrics.js';
import { seededRandom } from './random.js';

function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** `perBlob` points around each of `blobs` random centres in `dim` dimensions. */
function blobs(blobs: number, perBlob: number, dim: number, spread: number, seed: number) {
  const random = seededRandom(seed);
  const centres = Array.from({ length: blobs }, () =>
    Array.from({ length: dim }, () => gaussian(random) * 10),
  );
  const vectors: Float32Array[] = [];
  const labels: number[] = [];
  for (let b = 0; b < blobs; b++)
    for (let i = 0; i < perBlob; i++) {
      vectors.push(Float32Array.from(centres[b]!, (c) => c + gaussian(random) * spread));
      labels.push(b);
    }
  return { vectors, labels };
}

function squaredDistance(a: Float32Array, b: Float32Array): number {
  let total = 0;
  for (let i = 0; i < a.length; i++) total += (a[i]! - b[i]!) ** 2;
  return total;
}

describe('kmeans', () => {
  it('recovers well-separated blobs exactly', () => {
    const { vectors, labels } = blobs(6, 50, 16, 0.5, 1);
    const result = kmeans(vectors, { k: 6, seed: 0 });
    expect(clusteringScores(labels, Array.from(result.assignments))).to.deep.equal({
      acc: 1,
      nmi: 1,
      ari: 1,
    });
  });

  it('is deterministic for a seed', () => {
    const { vectors } = blobs(5, 40, 8, 6, 2); // overlapping blobs: the seed matters
    const first = kmeans(vectors, { k: 5, restarts: 3, seed: 42 });
    const again = kmeans(vectors, { k: 5, restarts: 3, seed: 42 });
    expect(Array.from(again.assignments)).to.deep.equal(Array.from(first.assignments));
    expect(again.inertia).to.equal(first.inertia);
    expect(Array.from(again.centroids)).to.deep.equal(Array.from(first.centroids));
  });

  it('ends at a Lloyd fixed point: every point at its nearest centre, every centre the mean of its points', () => {
    // Uniform noise has no real clusters, so many points sit near boundaries: a wrongly pruned
    // distance (bad triangle-inequality bound) would leave some point at a farther centre.
    const random = seededRandom(9);
    const vectors = Array.from({ length: 800 }, () => Float32Array.from({ length: 12 }, () => random()));
    const k = 9;
    const { assignments, centroids, inertia } = kmeans(vectors, { k, restarts: 2, seed: 4, tolerance: 0 });
    const centre = (c: number) => centroids.subarray(c * 12, (c + 1) * 12);
    let recomputed = 0;
    vectors.forEach((vector, i) => {
      const own = squaredDistance(vector, centre(assignments[i]!));
      for (let c = 0; c < k; c++) expect(own).to.be.at.most(squaredDistance(vector, centre(c)) + 1e-9);
      recomputed += own;
    });
    expect(inertia).to.be.closeTo(recomputed, 1e-6 * recomputed);
    for (let c = 0; c < k; c++) {
      const members = vectors.filter((_, i) => assignments[i] === c);
      expect(members.length).to.be.above(0);
      for (let d = 0; d < 12; d++) {
        const mean = members.reduce((s, v) => s + v[d]!, 0) / members.length;
        expect(centre(c)[d]).to.be.closeTo(mean, 1e-5);
      }
    }
  });

  it('keeps the lowest-inertia run across restarts', () => {
    const { vectors } = blobs(8, 30, 6, 8, 3);
    const one = kmeans(vectors, { k: 8, restarts: 1, seed: 7 });
    const ten = kmeans(vectors, { k: 8, restarts: 10, seed: 7 });
    // The first of the ten runs is the single run (same random stream), so ten can only be better.
    expect(ten.inertia).to.be.at.most(one.inertia);
  });

  it('fills every cluster even when points coincide', () => {
    const a = Float32Array.from([0, 0]);
    const b = Float32Array.from([5, 5]);
    const vectors = [a, a, a, a, a, b, b, b, b, b].map((v) => Float32Array.from(v));
    for (let seed = 0; seed < 10; seed++) {
      const { assignments, inertia } = kmeans(vectors, { k: 3, restarts: 1, seed });
      expect(new Set(assignments).size).to.equal(3);
      expect(inertia).to.equal(0);
    }
  });

  it('supports spherical k-means with unit-length centres', () => {
    const { vectors, labels } = blobs(4, 30, 10, 0.5, 5);
    const unit = vectors.map((v) => {
      const norm = Math.hypot(...v);
      return v.map((x) => x / norm);
    });
    const result = kmeans(unit, { k: 4, seed: 1, spherical: true });
    expect(clusteringScores(labels, Array.from(result.assignments)).acc).to.equal(1);
    for (let c = 0; c < 4; c++)
      expect(Math.hypot(...result.centroids.subarray(c * 10, c * 10 + 10))).to.be.closeTo(1, 1e-5);
  });

  it('refuses impossible settings', () => {
    const vectors = [Float32Array.from([1, 2]), Float32Array.from([3, 4])];
    expect(() => kmeans(vectors, { k: 3 })).to.throw(RangeError, /exceeds/);
    expect(() => kmeans(vectors, { k: 0 })).to.throw(RangeError, /positive integer/);
    expect(() => kmeans(vectors, { k: 1, restarts: 0 })).to.throw(RangeError, /restarts/);
    expect(() => kmeans([Float32Array.from([1, 2]), Float32Array.from([1])], { k: 1 })).to.throw(
      RangeError,
      /dimensions/,
    );
    const single = kmeans(vectors, { k: 2 });
    expect(new Set(single.assignments).size).to.equal(2);
  });
});
