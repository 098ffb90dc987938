import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { MemoryBroker, createLogger, openDatabase } from '../services/platform/src/index.js';
import { TEST_POSTGRES_URL, uniqueSchemaName } from '../services/platform/src/testing/db.js';
import { createInProcessQueryEmbedder, createQueryService } from '../services/query/src/index.js';
import { openEmbeddedVectorStore } from '../services/vectors/src/index.js';
import {
  gaussian,
  normalize,
  randomUnitVector,
  seededRandom,
} from '../services/vectors/src/testing/synthetic.js';
import { machine } from './machine.js';
import { MODEL, WORDS_PER_TOPIC, loadReadModel } from './read-model-loader.js';

/**
 * The query service's read path at scale, called in process (no HTTP): N items in C clusters
 * loaded into the read model on PostgreSQL (bulk SQL, the same rows the projection writes) and
 * into the embedded vector store (384-d synthetic embeddings around one centre per topic), then
 * p50/p95/p99 of cluster list (every sort, first and second page), cluster detail (72 h series,
 * 5 evidence items from the centroid, breakdowns), full-text search (two topic words), semantic
 * search and hybrid search. The query embedder is a function returning a vector near the topic's
 * centre, so semantic figures are the store path, not the model.
 *
 * Args: [--items 100000] [--clusters 1000] [--dim 384] [--samples 300] [--seed 11]
 */

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      items: { type: 'string', default: '100000' },
      clusters: { type: 'string', default: '1000' },
      dim: { type: 'string', default: '384' },
      samples: { type: 'string', default: '300' },
      seed: { type: 'string', default: '11' },
    },
  });
  const n = Number(values.items);
  const clusterCount = Number(values.clusters);
  const dim = Number(values.dim);
  const samples = Number(values.samples);
  const random = seededRandom(Number(values.seed));
  const log = (line: Record<string, unknown>) =>
    console.log(JSON.stringify({ bench: 'query-store', ...line }));
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;

  const schema = uniqueSchemaName('benchquery');
  const db = await openDatabase({ url: TEST_POSTGRES_URL, schema });
  const dir = await mkdtemp(join(tmpdir(), 'trendmill-bench-query-'));
  const vectors = await openEmbeddedVectorStore({ dir });
  const centres = Array.from({ length: clusterCount }, () => randomUnitVector(dim, random));
  const topicWords = centres.map((_, c) =>
    Array.from({ length: WORDS_PER_TOPIC }, (_, w) => `topic${c}w${w}`),
  );
  const near = (c: number) => {
    const centre = centres[c]!;
    const sigma = 0.75 / Math.sqrt(dim);
    const v = new Float32Array(dim);
    for (let i = 0; i < dim; i++) v[i] = centre[i]! + sigma * gaussian(random);
    return normalize(v);
  };
  const service = createQueryService({
    db,
    broker: new MemoryBroker(`bench-${schema}`),
    logger: createLogger('bench', 'error'),
    vectors,
    embedder: createInProcessQueryEmbedder(async (text) => {
      const topic = /topic(\d+)w/.exec(text);
      return { model: MODEL, vector: near(topic ? Number(topic[1]) : 0) };
    }),
  });

  try {
    await service.start();
    const loaded = await loadReadModel({ db, vectors, n, clusterCount, dim, near, topicWords, pick, random });
    log({
      phase: 'load',
      items: n,
      clusters: clusterCount,
      dim,
      ...loaded,
      machine: machine(),
    });

    const api = service.api;
    const sorts = ['size', 'growth', 'emerging', 'recent'] as const;
    const secondPages = await Promise.all(
      sorts.map(async (sort) => [sort, (await api.listClusters({ sort })).nextCursor!] as const),
    );
    const topicQuery = () => {
      const c = Math.floor(random() * clusterCount);
      return `${pick(topicWords[c]!)} ${pick(topicWords[c]!)}`;
    };
    const operations: Record<string, () => Promise<unknown>> = {
      cluster_list: () => {
        const [sort, cursor] = pick(secondPages);
        return api.listClusters(random() < 0.5 ? { sort } : { sort, cursor });
      },
      cluster_detail: () => api.getCluster(`cluster-${Math.floor(random() * clusterCount)}`),
      item_list: () => api.listItems({ source: `source-${Math.floor(random() * 50)}` }),
      fulltext_search: () => api.search({ q: topicQuery(), mode: 'fulltext' }),
      semantic_search: () => api.search({ q: topicQuery(), mode: 'semantic' }),
      hybrid_search: () => api.search({ q: topicQuery(), mode: 'hybrid' }),
    };
    for (const [name, call] of Object.entries(operations)) {
      for (let i = 0; i < 20; i++) await call();
      const times: number[] = [];
      for (let i = 0; i < samples; i++) {
        const started = performance.now();
        await call();
        times.push(performance.now() - started);
      }
      times.sort((a, b) => a - b);
      const q = (p: number) =>
        Number(times[Math.min(times.length - 1, Math.floor(p * times.length))]!.toFixed(2));
      log({ operation: name, samples, p50_ms: q(0.5), p95_ms: q(0.95), p99_ms: q(0.99), max_ms: q(1) });
    }
  } finally {
    await service.stop();
    await vectors.close();
    await db.sql.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await db.close();
    await rm(dir, { recursive: true, force: true });
  }
}
