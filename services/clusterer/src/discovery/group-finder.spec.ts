import { expect } from 'chai';
import { Worker } from 'node:worker_threads';
import { gaussianMixture } from '../algorithms/hdbscan/testing/synthetic.js';
import { DISCOVERY_DIMENSIONS, findGroups } from '../domain/index.js';
import { workerGroupFinder } from './group-finder.js';

describe('workerGroupFinder', function () {
  // The worker thread compiles its modules on start (tsx, from sources).
  this.timeout(30_000);
  const { vectors } = gaussianMixture({
    n: 600,
    dim: 64,
    clusters: 6,
    noiseFraction: 0.2,
    spread: [0.3, 0.5],
    seed: 7,
  });
  const options = { minClusterSize: 10, minSamples: 5, dimensions: DISCOVERY_DIMENSIONS };

  it('finds in a worker thread exactly the groups findGroups finds here, call after call', async () => {
    const fallbacks: unknown[] = [];
    const finder = workerGroupFinder({ onFallback: (error) => fallbacks.push(error) });
    try {
      const expected = findGroups(vectors, options);
      expect(expected.length).to.be.greaterThan(1);
      expect(await finder.find(vectors, options)).to.deep.equal(expected);
      expect(await finder.find(vectors.slice(0, 300), options)).to.deep.equal(
        findGroups(vectors.slice(0, 300), options),
      );
      expect(fallbacks).to.deep.equal([]);
    } finally {
      await finder.close();
    }
  });

  it('leaves the caller’s vectors intact (they are copied, not transferred)', async () => {
    const finder = workerGroupFinder();
    try {
      const copy = vectors.map((v) => Float32Array.from(v));
      await finder.find(vectors, options);
      expect(vectors.every((v, i) => v.length === 64 && v.every((x, k) => x === copy[i]![k]))).to.equal(true);
    } finally {
      await finder.close();
    }
  });

  it('finds the groups in this thread when the worker fails, says so, and starts a new worker next time', async () => {
    const fallbacks: unknown[] = [];
    let started = 0;
    const finder = workerGroupFinder({
      onFallback: (error) => fallbacks.push(error),
      startWorker: () => {
        started++;
        return new Worker('throw new Error("worker exploded")', { eval: true });
      },
    });
    try {
      expect(await finder.find(vectors, options)).to.deep.equal(findGroups(vectors, options));
      expect(String(fallbacks[0])).to.contain('worker exploded');
      await finder.find(vectors.slice(0, 100), options);
      expect(started).to.equal(2);
    } finally {
      await finder.close();
    }
  });
});
