import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Registry } from 'prom-client';
import {
  MemoryBroker,
  createLogger,
  migrate,
  openDatabase,
  qualified,
  type Database,
} from '../services/platform/src/index.js';
import { TEST_POSTGRES_URL, uniqueSchemaName } from '../services/platform/src/testing/db.js';
import {
  createInProcessQueryEmbedder,
  createQueryService,
  type QueryApi,
} from '../services/query/src/index.js';
import {
  createGatewayApp,
  GATEWAY_MIGRATIONS_DIR,
  ApiKeyStore,
  GatewayPrismaClient,
} from '../services/gateway/src/index.js';
import { createPrismaClient } from '../services/platform/src/index.js';
import {
  openEmbeddedVectorStore,
  type VectorPoint,
  type VectorStore,
} from '../services/vectors/src/index.js';
import {
  gaussian,
  normalize,
  randomUnitVector,
  seededRandom,
} from '../services/vectors/src/testing/synthetic.js';
import { machine } from './machine.js';

/**
 * The gateway's overhead over HTTP against the QueryApi called in the same process, on the same
 * read model: N items in C clusters bulk-loaded into the query service's PostgreSQL schema and its
 * embedded vector store (the rows the projection writes; the loader of bench/query-store.ts), then
 * p50/p95/p99 of cluster list, cluster detail, full-text and semantic search, each made directly
 * (api.*) and through the gateway (fetch over loopback with an API key: auth, rate limit,
 * validation, JSON), the gateway once without and once with its response cache.
 *
 * Args: [--items 100000] [--clusters 1000] [--dim 384] [--samples 300] [--seed 11]
 */
const MODEL = 'bench-model';
const WORDS_PER_TOPIC = 6;
const COMMON = Array.from({ length: 400 }, (_, i) => `common${i.toString(36)}`);
const TARGET_P95_MS: Record<string, number> = {
  cluster_list: 20,
  cluster_detail: 20,
  fulltext_search: 50,
  semantic_search: 50,
};

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
  const log = (line: Record<string, unknown>) => console.log(JSON.stringify({ bench: 'api', ...line }));
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;

  const querySchema = uniqueSchemaName('benchapiq');
  const gatewaySchema = uniqueSchemaName('benchapigw');
  const db = await openDatabase({ url: TEST_POSTGRES_URL, schema: querySchema });
  const gatewayDb = await openDatabase({ url: TEST_POSTGRES_URL, schema: gatewaySchema });
  const dir = await mkdtemp(join(tmpdir(), 'trendmill-bench-api-'));
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
  const bus = new MemoryBroker(`bench-${querySchema}`);
  const service = createQueryService({
    db,
    broker: bus,
    logger: createLogger('bench', 'error'),
    vectors,
    embedder: createInProcessQueryEmbedder(async (text) => {
      const topic = /topic(\d+)w/.exec(text);
      return { model: MODEL, vector: near(topic ? Number(topic[1]) : 0) };
    }),
  });
  const servers: Server[] = [];
  const prisma = createPrismaClient(GatewayPrismaClient, gatewayDb);

  try {
    await service.start();
    const loaded = await load({ db, vectors, n, clusterCount, dim, near, topicWords, pick, random });
    log({ phase: 'load', items: n, clusters: clusterCount, dim, ...loaded, machine: machine() });

    await migrate(gatewayDb.sql, { schema: gatewaySchema, dirs: [GATEWAY_MIGRATIONS_DIR] });
    const { key } = await new ApiKeyStore(prisma).create({ name: 'bench', scopes: ['read'] });
    const serve = async (responseCache: boolean) => {
      const app = createGatewayApp({
        query: service.api,
        collector: { url: 'http://127.0.0.1:9' },
        broker: bus,
        db: gatewayDb,
        logger: createLogger('bench-gateway', 'error'),
        registry: new Registry(),
        prisma,
        settings: { rateLimitPerMinute: 10_000_000, responseCache },
      });
      const server = createServer(app);
      servers.push(server);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1`;
    };
    const targets = { gateway: await serve(false), gateway_cached: await serve(true) };

    const api: QueryApi = service.api;
    const topicQuery = () => {
      const c = Math.floor(random() * clusterCount);
      return `${pick(topicWords[c]!)} ${pick(topicWords[c]!)}`;
    };
    const sorts = ['size', 'growth', 'emerging', 'recent'] as const;
    // One operation = parameters drawn once, asked directly and over HTTP with the same values.
    const operations: Record<string, () => { direct: () => Promise<unknown>; path: string }> = {
      cluster_list: () => {
        const sort = pick(sorts);
        return { direct: () => api.listClusters({ sort }), path: `/clusters?sort=${sort}` };
      },
      cluster_detail: () => {
        const id = `cluster-${Math.floor(random() * clusterCount)}`;
        return { direct: () => api.getCluster(id), path: `/clusters/${id}` };
      },
      fulltext_search: () => {
        const q = topicQuery();
        return {
          direct: () => api.search({ q, mode: 'fulltext' }),
          path: `/search?mode=fulltext&q=${encodeURIComponent(q)}`,
        };
      },
      semantic_search: () => {
        const q = topicQuery();
        return {
          direct: () => api.search({ q, mode: 'semantic' }),
          path: `/search?mode=semantic&q=${encodeURIComponent(q)}`,
        };
      },
    };
    const headers = { authorization: `Bearer ${key}` };
    const http = (base: string, path: string) => async () => {
      const response = await fetch(`${base}${path}`, { headers });
      if (response.status !== 200)
        throw new Error(`${path}: HTTP ${response.status} ${await response.text()}`);
      return response.json();
    };
    for (const [name, draw] of Object.entries(operations)) {
      const times: Record<string, number[]> = { direct: [], gateway: [], gateway_cached: [] };
      const order = Object.keys(times);
      for (let i = 0; i < samples + 20; i++) {
        const op = draw();
        const calls: Record<string, () => Promise<unknown>> = {
          direct: op.direct,
          gateway: http(targets.gateway, op.path),
          gateway_cached: http(targets.gateway_cached, op.path),
        };
        // Rotate who goes first so no path always meets a warm Postgres buffer left by another.
        for (let k = 0; k < order.length; k++) {
          const path = order[(i + k) % order.length]!;
          const started = performance.now();
          await calls[path]!();
          if (i >= 20) times[path]!.push(performance.now() - started);
        }
      }
      for (const [path, list] of Object.entries(times)) {
        list.sort((a, b) => a - b);
        const q = (p: number) =>
          Number(list[Math.min(list.length - 1, Math.floor(p * list.length))]!.toFixed(2));
        log({
          operation: name,
          path,
          samples,
          p50_ms: q(0.5),
          p95_ms: q(0.95),
          p99_ms: q(0.99),
          ...(path === 'direct'
            ? {}
            : { target_p95_ms: TARGET_P95_MS[name], meets_target: q(0.95) <= TARGET_P95_MS[name]! }),
        });
      }
    }
  } finally {
    for (const server of servers) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
    await prisma.$disconnect();
    await service.stop();
    await vectors.close();
    await db.sql.query(`DROP SCHEMA IF EXISTS "${querySchema}" CASCADE`);
    await gatewayDb.sql.query(`DROP SCHEMA IF EXISTS "${gatewaySchema}" CASCADE`);
    await db.close();
    await gatewayDb.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** The read model as bench/query-store.ts loads it: bulk SQL rows plus vectors, then ANALYZE. */
async function load(o: {
  db: Database;
  vectors: VectorStore;
  n: number;
  clusterCount: number;
  dim: number;
  near: (c: number) => Float32Array;
  topicWords: string[][];
  pick: <T>(list: readonly T[]) => T;
  random: () => number;
}): Promise<{ load_sql_ms: number; load_vectors_ms: number }> {
  const { db, n, clusterCount, random, pick } = o;
  const t = (table: string) => qualified(db.schema, table);
  const end = Date.parse('2026-03-01T00:00:00Z');
  const span = 14 * 24 * 3_600_000;
  let loadSqlMs = 0;
  let loadVectorMs = 0;
  const collection = await o.vectors.collection(MODEL, o.dim);
  const BATCH = 1000;
  for (let done = 0; done < n; done += BATCH) {
    const rows: Array<[string, string, string, string, string, string | null]> = [];
    const points: VectorPoint[] = [];
    for (let i = done; i < Math.min(n, done + BATCH); i++) {
      const c = Math.floor(random() * clusterCount);
      const words = o.topicWords[c]!;
      const title = `${pick(words)} ${pick(words)} ${pick(COMMON)} ${pick(COMMON)}`;
      const text = Array.from({ length: 40 }, () => (random() < 0.3 ? pick(words) : pick(COMMON))).join(' ');
      const publishedAt = new Date(end - Math.floor(random() ** 2 * span)).toISOString();
      const clustered = random() < 0.9 ? `cluster-${c}` : null;
      rows.push([`item-${i}`, `source-${i % 50}`, title, text, publishedAt, clustered]);
      points.push({
        id: `item-${i}`,
        vector: o.near(c),
        payload: { sourceId: `source-${i % 50}`, language: 'en', publishedAt: Date.parse(publishedAt) },
      });
    }
    let started = performance.now();
    await db.sql.query(
      `INSERT INTO ${t('items')} (id, source_id, source_type, title, text, url, language, published_at, model, content_hash, ts_config, cluster_id)
       SELECT id, src, 'rss', title, text, NULL, 'en', published::timestamptz, '${MODEL}', md5(id) || md5(id), 'english'::regconfig, cluster
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS x(id, src, title, text, published, cluster)`,
      [0, 1, 2, 3, 4, 5].map((k) => rows.map((r) => r[k])),
    );
    await db.sql.query(
      `INSERT INTO ${t('memberships')} (item_id, cluster_id, method, similarity, assigned_at)
       SELECT id, cluster, 'assigned', 0.8, now() FROM unnest($1::text[], $2::text[]) AS x(id, cluster) WHERE cluster IS NOT NULL`,
      [rows.map((r) => r[0]), rows.map((r) => r[5])],
    );
    loadSqlMs += performance.now() - started;
    started = performance.now();
    await collection.upsert(points);
    loadVectorMs += performance.now() - started;
  }
  const started = performance.now();
  await db.sql.query(
    `INSERT INTO ${t('clusters')} (id, version, model, label, keywords, size, status, emerging_score, velocity,
       representative_item_ids, created_at, updated_at, last_item_at)
     SELECT cluster_id, 3, '${MODEL}', 'topic ' || cluster_id, '[]', count(*)::int,
       (ARRAY['emerging', 'active', 'fading'])[1 + (hashtext(cluster_id) & 3) % 3], random() * 10, random() * 5,
       '[]', min(published_at), max(published_at), max(published_at)
     FROM ${t('items')} WHERE cluster_id IS NOT NULL GROUP BY cluster_id`,
  );
  await db.sql.query(
    `INSERT INTO ${t('cluster_buckets')} (cluster_id, bucket_start, count)
     SELECT cluster_id, date_trunc('hour', published_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', count(*)::int
     FROM ${t('items')} WHERE cluster_id IS NOT NULL GROUP BY 1, 2`,
  );
  for (const table of ['items', 'clusters', 'cluster_buckets', 'memberships'])
    await db.sql.query(`ANALYZE ${t(table)}`);
  loadSqlMs += performance.now() - started;
  return { load_sql_ms: Math.round(loadSqlMs), load_vectors_ms: Math.round(loadVectorMs) };
}
