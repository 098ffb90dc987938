import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  openEmbeddedVectorStore,
  type SearchOptions,
  type VectorCollection,
  type VectorPoint,
} from '../../src/index.js';
import { ClusteredSphere } from '../../src/testing/synthetic.js';

/**
 * HNSW sanity at a size where the index (not the exact scan) answers: recall@10 against the same
 * store's exact search, before and after a reopen (which loads the saved graph), and with a filter
 * that keeps a quarter of the points. bench/vectors.ts measures the same at 100k points.
 */
describe('embedded store HNSW recall on 5,000 clustered vectors', function () {
  this.timeout(120_000);
  const dim = 128;
  const sphere = new ClusteredSphere({ dim, clusters: 100, seed: 42 });
  const points: VectorPoint[] = Array.from({ length: 5000 }, (_, i) => {
    const { vector, cluster } = sphere.sample();
    return { id: `item-${i}`, vector, payload: { cluster, quarter: i % 4 } };
  });
  const queries = Array.from({ length: 100 }, () => sphere.sample().vector);
  let dir: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'trendmill-vectors-recall-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function recall(c: VectorCollection, options: Omit<SearchOptions, 'k'> = {}): Promise<number> {
    let found = 0;
    for (const q of queries) {
      const truth = new Set((await c.search(q, { ...options, k: 10, exact: true })).map((h) => h.id));
      const approx = await c.search(q, { ...options, k: 10 });
      expect(approx).to.have.length(10);
      found += approx.filter((h) => truth.has(h.id)).length;
    }
    return found / (queries.length * 10);
  }

  // Filtered subsets are scanned below 20,000 points by default; 0 makes this one use the graph.
  const options = () => ({ dir, filteredExactThreshold: 0 });

  it('recalls at least 90 % of the exact top 10, also after a reopen and under a filter', async () => {
    const store = await openEmbeddedVectorStore(options());
    const c = await store.collection('recall', dim);
    for (let i = 0; i < points.length; i += 256) await c.upsert(points.slice(i, i + 256));
    const before = await recall(c);
    expect(before).to.be.at.least(0.9);
    const filtered = await recall(c, { filter: { must: [{ key: 'quarter', match: 2 }] } });
    expect(filtered).to.be.at.least(0.9);
    const sample = await c.search(queries[0]!, { k: 10 });
    await store.close();

    const reopened = await openEmbeddedVectorStore(options());
    const again = await reopened.collection('recall', dim);
    expect(await again.count()).to.equal(points.length);
    expect(await again.search(queries[0]!, { k: 10 })).to.deep.equal(sample);
    expect(await recall(again)).to.be.at.least(0.9);
    await reopened.close();
  });
});
