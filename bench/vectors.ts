import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  DEFAULT_HNSW,
  openEmbeddedVectorStore,
  type VectorFilter,
  type VectorPoint,
} from '../services/vectors/src/index.js';
import { ClusteredSphere } from '../services/vectors/src/testing/synthetic.js';
import { machine } from './machine.js';

/**
 * The embedded vector store at scale: N synthetic embeddings (unit vectors around 1,000 topic
 * centres on the sphere, items at cosine ~0.8 from their centre; seeded) upserted in batches of 256
 * through the store (log + HNSW, as in the service), then 500 held-out queries from the same
 * distribution searched twice through the same store: HNSW (default) and `exact: true` (brute
 * force). recall@10 is HNSW's top 10 against the exact top 10. Also: close (snapshot + saved graph)
 * and reopen (load) times, and recall after the reopen.
 *
 * Args: [--n 100000] [--dim 384] [--queries 500] [--clusters 1000] [--seed 7]
 *       [--spread 0.75] (noise length around a centre: 0.75 → cosine ~0.8 to it, 1.0 → ~0.7)
 *       [--connectivity M] [--expansion-add E] [--expansion-search E] [--threads T]
 */
const BATCH = 256;
const K = 10;
const TARGET_RECALL = 0.95;

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      n: { type: 'string', default: '100000' },
      dim: { type: 'string', default: '384' },
      queries: { type: 'string', default: '500' },
      clusters: { type: 'string', default: '1000' },
      spread: { type: 'string', default: '0.75' },
      seed: { type: 'string', default: '7' },
      connectivity: { type: 'string', default: String(DEFAULT_HNSW.connectivity) },
      'expansion-add': { type: 'string', default: String(DEFAULT_HNSW.expansionAdd) },
      'expansion-search': { type: 'string', default: String(DEFAULT_HNSW.expansionSearch) },
      threads: { type: 'string' },
    },
  });
  const n = Number(values.n);
  const dim = Number(values.dim);
  const queryCount = Number(values.queries);
  const hnsw = {
    connectivity: Number(values.connectivity),
    expansionAdd: Number(values['expansion-add']),
    expansionSearch: Number(values['expansion-search']),
  };
  const spread = Number(values.spread);
  const sphere = new ClusteredSphere({
    dim,
    clusters: Number(values.clusters),
    spread,
    seed: Number(values.seed),
  });
  const dir = await mkdtemp(join(tmpdir(), 'trendmill-bench-vectors-'));
  const options = { dir, hnsw, ...(values.threads ? { threads: Number(values.threads) } : {}) };
  const log = (line: Record<string, unknown>) => console.log(JSON.stringify({ bench: 'vectors', ...line }));

  try {
    let store = await openEmbeddedVectorStore(options);
    let collection = await store.collection('bench', dim);

    // Build: only the upserts are timed, not the generation of the data.
    let buildMs = 0;
    for (let done = 0; done < n; done += BATCH) {
      const batch: VectorPoint[] = [];
      for (let i = done; i < Math.min(n, done + BATCH); i++) {
        const { vector, cluster } = sphere.sample();
        batch.push({ id: `item-${i}`, vector, payload: { cluster, bucket: i % 10 } });
      }
      const started = performance.now();
      await collection.upsert(batch);
      buildMs += performance.now() - started;
      if ((done / BATCH) % 100 === 99)
        log({ phase: 'build-progress', points: done + batch.length, seconds: round(buildMs / 1000, 2) });
    }
    const buildSeconds = buildMs / 1000;
    log({
      phase: 'build',
      n,
      dim,
      hnsw,
      batch: BATCH,
      seconds: round(buildSeconds, 2),
      points_per_second: Math.round(n / buildSeconds),
    });

    const queries = Array.from({ length: queryCount }, () => sphere.sample().vector);
    // Warm-up (page in the graph and the matrix), not measured.
    for (const q of queries.slice(0, 20)) {
      await collection.search(q, { k: K });
      await collection.search(q, { k: K, exact: true });
    }

    const exactMs: number[] = [];
    const truth: Array<Set<string>> = [];
    for (const q of queries) {
      const started = performance.now();
      const hits = await collection.search(q, { k: K, exact: true });
      exactMs.push(performance.now() - started);
      truth.push(new Set(hits.map((h) => h.id)));
    }
    log({
      phase: 'exact',
      queries: queryCount,
      k: K,
      p50_ms: round(percentile(exactMs, 50), 3),
      p95_ms: round(percentile(exactMs, 95), 3),
    });

    const measureHnsw = async () => {
      const ms: number[] = [];
      let found = 0;
      for (const [i, q] of queries.entries()) {
        const started = performance.now();
        const hits = await collection.search(q, { k: K });
        ms.push(performance.now() - started);
        found += hits.filter((h) => truth[i]!.has(h.id)).length;
      }
      return { ms, recall: found / (queryCount * K) };
    };
    const approx = await measureHnsw();
    log({
      phase: 'hnsw',
      queries: queryCount,
      k: K,
      recall_at_10: round(approx.recall, 4),
      p50_ms: round(percentile(approx.ms, 50), 3),
      p95_ms: round(percentile(approx.ms, 95), 3),
    });

    // Filtered search: a tenth of the points (10,000 at the default n: scanned exactly) and half
    // of them (post-filtered graph search with oversampling).
    const filtered = [];
    const filterCases: Array<[number, VectorFilter]> = [
      [0.1, { must: [{ key: 'bucket', match: 3 }] }],
      [0.5, { must: [{ key: 'bucket', range: { lt: 5 } }] }],
    ];
    for (const [share, filter] of filterCases) {
      const ms: number[] = [];
      let found = 0;
      for (const q of queries.slice(0, 100)) {
        const exact = new Set((await collection.search(q, { k: K, filter, exact: true })).map((h) => h.id));
        const started = performance.now();
        const hits = await collection.search(q, { k: K, filter });
        ms.push(performance.now() - started);
        found += hits.filter((h) => exact.has(h.id)).length;
      }
      const line = {
        share,
        matching: Math.round(n * share),
        recall_at_10: round(found / (100 * K), 4),
        p50_ms: round(percentile(ms, 50), 3),
        p95_ms: round(percentile(ms, 95), 3),
      };
      filtered.push(line);
      log({ phase: 'filtered', queries: 100, ...line });
    }

    let started = performance.now();
    await store.close();
    const closeSeconds = (performance.now() - started) / 1000;
    started = performance.now();
    store = await openEmbeddedVectorStore(options);
    collection = await store.collection('bench', dim);
    const reopenSeconds = (performance.now() - started) / 1000;
    const reopened = await measureHnsw();
    log({
      phase: 'reopen',
      close_seconds: round(closeSeconds, 2),
      reopen_seconds: round(reopenSeconds, 2),
      recall_at_10_after_reopen: round(reopened.recall, 4),
    });
    await store.close();

    const hnswP50Ms = percentile(approx.ms, 50);
    const exactP50Ms = percentile(exactMs, 50);
    log({
      summary: true,
      n,
      dim,
      spread,
      buildSeconds: round(buildSeconds, 2),
      recallAt10: round(approx.recall, 4),
      hnswP50Ms: round(hnswP50Ms, 3),
      hnswP95Ms: round(percentile(approx.ms, 95), 3),
      exactP50Ms: round(exactP50Ms, 3),
      exactP95Ms: round(percentile(exactMs, 95), 3),
      speedup: round(exactP50Ms / hnswP50Ms, 1),
      target_recall: TARGET_RECALL,
      target_met: approx.recall >= TARGET_RECALL,
      filtered,
      hnsw,
      machine: machine(),
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
