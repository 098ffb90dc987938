import { expect } from 'chai';
import { HdbscanError } from './errors.js';
import { hdbscan, type HdbscanResult } from './hdbscan.js';
import type { HdbscanOptions } from './options.js';
import { adjustedRandIndex } from './testing/adjusted-rand-index.js';
import { naiveHdbscan } from './testing/naive-hdbscan.js';
import {
  blobAround,
  gaussianMixture,
  normalize,
  randomUnitVector,
  seededRandom,
} from './testing/synthetic.js';

const noiseShare = (labels: Int32Array) => labels.filter((l) => l < 0).length / labels.length;

/** Same label on all of `points`, and that label used nowhere in `others`. */
function oneClusterOf(labels: Int32Array, points: number[]): number {
  const label = labels[points[0]!]!;
  expect(label).to.be.at.least(0);
  for (const p of points) expect(labels[p]).to.equal(label);
  return label;
}

function expectWellFormed(result: HdbscanResult, n: number): void {
  expect(result.labels).to.have.length(n);
  expect(result.probabilities).to.have.length(n);
  result.labels.forEach((label, p) => {
    const probability = result.probabilities[p]!;
    expect(Number.isFinite(probability)).to.equal(true);
    if (label < 0) expect(probability).to.equal(0);
    else expect(probability).to.be.within(0, 1);
  });
  result.clusters.forEach((cluster, label) => {
    expect(cluster.label).to.equal(label);
    expect(cluster.size).to.equal(result.labels.filter((l) => l === label).length);
    expect(Number.isFinite(cluster.stability)).to.equal(true);
    expect(cluster.persistence).to.be.within(0, 1);
  });
  for (const d of result.coreDistances) expect(Number.isFinite(d)).to.equal(true);
  expect(Number.isFinite(result.diagnostics.mstWeight)).to.equal(true);
}

/** Everything but timings, which vary between runs. */
function comparable(result: HdbscanResult) {
  return {
    labels: Array.from(result.labels),
    probabilities: Array.from(result.probabilities),
    clusters: result.clusters,
    core: Array.from(result.coreDistances),
    weight: result.diagnostics.mstWeight,
  };
}

describe('hdbscan', () => {
  describe('known answers', () => {
    it('recovers well-separated gaussian blobs with little noise, on the exact and the k-NN graph path', () => {
      const mixture = gaussianMixture({
        n: 400,
        dim: 16,
        clusters: 4,
        noiseFraction: 0,
        spread: [0.2, 0.3],
        seed: 3,
      });
      for (const options of [{ mst: 'exact' }, { mst: 'knn-graph', knn: 'hnsw' }] as HdbscanOptions[]) {
        const result = hdbscan(mixture.vectors, { minClusterSize: 10, ...options });
        expectWellFormed(result, 400);
        expect(result.clusters).to.have.length(4);
        expect(noiseShare(result.labels)).to.be.below(0.05);
        const clustered = Array.from(result.labels.keys()).filter((p) => result.labels[p]! >= 0);
        expect(
          adjustedRandIndex(
            clustered.map((p) => result.labels[p]!),
            clustered.map((p) => mixture.labels[p]!),
          ),
        ).to.equal(1);
      }
    });

    it('finds the dense cores inside a sparse blob (excess of mass picks the denser level)', () => {
      const random = seededRandom(17);
      const dim = 32;
      const sparseCenter = randomUnitVector(random, dim);
      const offset = () => Array.from({ length: dim }, () => random() - 0.5);
      const innerA = normalize(Array.from(sparseCenter, (x, k) => x + 0.3 * offset()[k]!));
      const innerB = normalize(Array.from(sparseCenter, (x, k) => x + 0.3 * offset()[k]!));
      const sparse = blobAround(random, sparseCenter, 0.7, 150);
      const denseA = blobAround(random, innerA, 0.08, 60);
      const denseB = blobAround(random, innerB, 0.08, 60);
      const elsewhere = blobAround(random, randomUnitVector(random, dim), 0.2, 60);
      const result = hdbscan([...sparse, ...denseA, ...denseB, ...elsewhere], { minClusterSize: 15 });
      expectWellFormed(result, 330);
      const range = (from: number, count: number) => Array.from({ length: count }, (_, i) => from + i);
      const a = oneClusterOf(result.labels, range(150, 60));
      const b = oneClusterOf(result.labels, range(210, 60));
      const c = oneClusterOf(result.labels, range(270, 60));
      expect(new Set([a, b, c]).size).to.equal(3);
      expect(result.clusters).to.have.length(3);
      expect(noiseShare(result.labels.subarray(0, 150))).to.be.at.least(0.8);
    });

    it('finds no cluster in uniform noise (32 and 384 dimensions)', () => {
      for (const dim of [32, 384]) {
        const random = seededRandom(23);
        const vectors = Array.from({ length: 400 }, () => randomUnitVector(random, dim));
        const result = hdbscan(vectors, { minClusterSize: 15 });
        expectWellFormed(result, 400);
        expect(result.clusters).to.deep.equal([]);
      }
    });

    it('finds at most small, weak clusters in low-dimensional uniform noise (sampling fluctuations)', () => {
      const random = seededRandom(1);
      const vectors = Array.from({ length: 400 }, () => randomUnitVector(random, 8));
      const result = hdbscan(vectors, { minClusterSize: 15 });
      expectWellFormed(result, 400);
      expect(noiseShare(result.labels)).to.be.at.least(0.85);
      for (const cluster of result.clusters) {
        expect(cluster.size).to.be.at.most(30);
        expect(cluster.persistence).to.be.below(0.05);
      }
    });

    it('copes with exact duplicates: copies cluster together, nothing is NaN or infinite', () => {
      const random = seededRandom(29);
      const a = randomUnitVector(random, 24);
      const b = randomUnitVector(random, 24);
      const vectors = [
        ...Array.from({ length: 40 }, () => a),
        ...Array.from({ length: 40 }, () => b),
        ...Array.from({ length: 40 }, () => randomUnitVector(random, 24)),
      ];
      for (const mst of ['exact', 'knn-graph'] as const) {
        const result = hdbscan(vectors, { minClusterSize: 10, mst });
        expectWellFormed(result, 120);
        const first = oneClusterOf(
          result.labels,
          Array.from({ length: 40 }, (_, i) => i),
        );
        const second = oneClusterOf(
          result.labels,
          Array.from({ length: 40 }, (_, i) => 40 + i),
        );
        expect(first).to.not.equal(second);
        expect(result.probabilities[0]).to.equal(1);
      }
    });

    it('copes with every point being the same', () => {
      const v = normalize([1, 2, 3]);
      const vectors = Array.from({ length: 30 }, () => v);
      const result = hdbscan(vectors, { minClusterSize: 5 });
      expectWellFormed(result, 30);
      const single = hdbscan(vectors, { minClusterSize: 5, allowSingleCluster: true });
      expectWellFormed(single, 30);
      expect(Array.from(new Set(single.labels))).to.deep.equal([0]);
    });

    it('calls everything noise when there are fewer points than minClusterSize', () => {
      const random = seededRandom(31);
      const result = hdbscan(
        Array.from({ length: 4 }, () => randomUnitVector(random, 8)),
        { minClusterSize: 5 },
      );
      expect(Array.from(result.labels)).to.deep.equal([-1, -1, -1, -1]);
      expect(result.clusters).to.deep.equal([]);
      expectWellFormed(result, 4);
    });

    it('handles n = 0 and n = 1', () => {
      const empty = hdbscan([], { minClusterSize: 5 });
      expect(empty.labels).to.have.length(0);
      expect(empty.clusters).to.deep.equal([]);
      expect(empty.diagnostics.mst).to.equal('none');
      const one = hdbscan([normalize([0.3, 0.4])]);
      expect(Array.from(one.labels)).to.deep.equal([-1]);
      expect(Array.from(one.probabilities)).to.deep.equal([0]);
    });

    it('two points: noise by default, one cluster when a single cluster is allowed', () => {
      const vectors = [normalize([1, 0]), normalize([0.99, 0.1])];
      expect(Array.from(hdbscan(vectors, { minClusterSize: 2 }).labels)).to.deep.equal([-1, -1]);
      const single = hdbscan(vectors, { minClusterSize: 2, allowSingleCluster: true });
      expect(Array.from(single.labels)).to.deep.equal([0, 0]);
      expect(Array.from(single.probabilities)).to.deep.equal([1, 1]);
    });

    it('splits a chain of points on a circle at its one gap', () => {
      // Two arcs of 10 points, 0.01 rad apart within an arc, 0.5 rad between the arcs.
      const angles = [
        ...Array.from({ length: 10 }, (_, i) => i * 0.01),
        ...Array.from({ length: 10 }, (_, i) => 0.59 + i * 0.01),
      ];
      const vectors = angles.map((t) => Float32Array.of(Math.cos(t), Math.sin(t)));
      const result = hdbscan(vectors, { minClusterSize: 5, minSamples: 2 });
      expect(Array.from(result.labels)).to.deep.equal([...Array(10).fill(0), ...Array(10).fill(1)]);
    });

    it('a chain with steadily growing gaps never splits: points drop off one by one', () => {
      // Gaps 0.010, 0.012, 0.014, … rad: single linkage grows one chain from point 0, so read from the
      // top the chain sheds its last point at every level and never splits into two big parts.
      let angle = 0;
      const vectors = Array.from({ length: 12 }, (_, i) => {
        if (i > 0) angle += 0.01 + 0.002 * (i - 1);
        return Float32Array.of(Math.cos(angle), Math.sin(angle));
      });
      const plain = hdbscan(vectors, { minClusterSize: 3, minSamples: 1 });
      expect(Array.from(plain.labels)).to.deep.equal(Array(12).fill(-1));
      // As the one cluster, the root keeps (scikit-learn's rule) the points leaving at its largest λ:
      // the last three, which fall apart together at the second-smallest gap.
      const single = hdbscan(vectors, { minClusterSize: 3, minSamples: 1, allowSingleCluster: true });
      expect(Array.from(single.labels)).to.deep.equal([0, 0, 0, ...Array(9).fill(-1)]);
    });
  });

  describe('against a naive reference implementation', () => {
    const cases: Array<{
      name: string;
      seed: number;
      n: number;
      dim: number;
      options: Required<Pick<HdbscanOptions, 'minClusterSize'>> & HdbscanOptions;
    }> = [
      { name: 'mixture, defaults', seed: 1, n: 200, dim: 8, options: { minClusterSize: 8 } },
      {
        name: 'mixture, minSamples 3',
        seed: 2,
        n: 220,
        dim: 12,
        options: { minClusterSize: 10, minSamples: 3 },
      },
      {
        name: 'mixture, single linkage',
        seed: 3,
        n: 150,
        dim: 4,
        options: { minClusterSize: 5, minSamples: 1 },
      },
      {
        name: 'mixture, leaf',
        seed: 4,
        n: 200,
        dim: 8,
        options: { minClusterSize: 6, clusterSelectionMethod: 'leaf' },
      },
      {
        name: 'mixture, ε',
        seed: 5,
        n: 200,
        dim: 6,
        options: { minClusterSize: 8, clusterSelectionEpsilon: 0.3 },
      },
      {
        name: 'mixture, single cluster allowed',
        seed: 6,
        n: 180,
        dim: 3,
        options: { minClusterSize: 12, allowSingleCluster: true },
      },
      { name: 'uniform noise', seed: 7, n: 160, dim: 5, options: { minClusterSize: 5 } },
    ];
    for (const { name, seed, n, dim, options } of cases) {
      it(`gives identical labels, strengths, stabilities and tree weight: ${name}`, () => {
        const random = seededRandom(seed);
        const { vectors } =
          name === 'uniform noise'
            ? { vectors: Array.from({ length: n }, () => randomUnitVector(random, dim)) }
            : gaussianMixture({ n, dim, clusters: 4, noiseFraction: 0.15, spread: [0.2, 0.6], seed });
        const result = hdbscan(vectors, { ...options, mst: 'exact' });
        const reference = naiveHdbscan(vectors, {
          minClusterSize: options.minClusterSize,
          minSamples: options.minSamples ?? options.minClusterSize,
          method: options.clusterSelectionMethod ?? 'eom',
          allowSingleCluster: options.allowSingleCluster ?? false,
          epsilon: options.clusterSelectionEpsilon ?? 0,
        });
        expect(Array.from(result.labels)).to.deep.equal(reference.labels);
        result.probabilities.forEach((p, i) => expect(p).to.be.closeTo(reference.probabilities[i]!, 1e-12));
        expect(result.clusters.map((c) => c.stability)).to.have.length(reference.stabilities.length);
        result.clusters.forEach((c, i) =>
          expect(c.stability).to.be.closeTo(reference.stabilities[i]!, 1e-9 * Math.max(1, c.stability)),
        );
        result.coreDistances.forEach((d, i) => expect(d).to.be.closeTo(reference.coreDistances[i]!, 1e-12));
        expect(result.diagnostics.mstWeight).to.be.closeTo(reference.mstWeight, 1e-9);
      });
    }
  });

  describe('the k-NN graph path', () => {
    it('gives the exact clustering on noisy mixtures (tree weight within 0.01 %)', () => {
      for (const seed of [1, 2, 3]) {
        const { vectors } = gaussianMixture({
          n: 600,
          dim: 32,
          clusters: 6,
          noiseFraction: 0.1,
          spread: [0.3, 0.7],
          seed,
        });
        const exact = hdbscan(vectors, { minClusterSize: 10, mst: 'exact' });
        const approximate = hdbscan(vectors, { minClusterSize: 10, mst: 'knn-graph', knn: 'hnsw' });
        expect(approximate.diagnostics.mst).to.equal('knn-graph');
        expect(Array.from(approximate.labels)).to.deep.equal(Array.from(exact.labels));
        expect(approximate.diagnostics.mstWeight).to.be.within(
          exact.diagnostics.mstWeight * 0.9999,
          exact.diagnostics.mstWeight * 1.0001,
        );
      }
    });

    it('is deterministic: same input, same result (HNSW included)', () => {
      const { vectors } = gaussianMixture({
        n: 3000,
        dim: 48,
        clusters: 8,
        noiseFraction: 0.1,
        spread: [0.4, 0.8],
        seed: 77,
      });
      const first = hdbscan(vectors, { minClusterSize: 15 });
      const second = hdbscan(vectors, { minClusterSize: 15 });
      expect(first.diagnostics).to.include({ knn: 'hnsw', mst: 'knn-graph', minSamples: 15, neighbours: 30 });
      expect(comparable(second)).to.deep.equal(comparable(first));
      expect(first.clusters).to.have.length(8);
    });
  });

  describe('bad input', () => {
    const vectors = [normalize([1, 0]), normalize([0, 1])];
    for (const [why, options] of [
      ['minClusterSize below 2', { minClusterSize: 1 }],
      ['a fractional minSamples', { minSamples: 2.5 }],
      ['a negative ε', { clusterSelectionEpsilon: -0.1 }],
      ['an unknown method', { clusterSelectionMethod: 'best' }],
      ['an unknown option', { minClusterSize: 5, colour: 'red' }],
      ['a minSamples that would exhaust memory', { minSamples: 5000 }],
      ['a minClusterSize that makes minSamples exhaust memory', { minClusterSize: 5000 }],
    ] as const) {
      it(`refuses ${why} with invalid_argument`, () => {
        expect(() => hdbscan(vectors, options as unknown as HdbscanOptions))
          .to.throw(HdbscanError)
          .with.property('code', 'invalid_argument');
      });
    }

    it('refuses vectors that are not unit length', () => {
      expect(() => hdbscan([Float32Array.of(1, 1)]))
        .to.throw(HdbscanError)
        .with.property('code', 'invalid_vector');
    });
  });
});
