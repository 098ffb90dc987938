import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Registry } from 'prom-client';
import { MemoryBroker, createLogger, migrate, openDatabase } from '../services/platform/src/index.js';
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
 * The gateway's overhead over HTTP against the QueryApi called in the same process, on the same
 * read model: N items in C clusters bulk-loaded into the query service's PostgreSQL schema and its
 * embedded vector store (the rows the projection writes; the loader of bench/query-store.ts), then
 * p50/p95/p99 of cluster list, cluster detail, full-text and semantic search, each made directly
 * (api.*) and through the gateway (fetch over loopback with an API key: auth, rate limit,
 * validation, JSON), the gateway once without and once with its response cache.
 *
 * Args: [--items 100000] [--clusters 1000] [--dim 384] [--samples 300] [--seed 11]
 */
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
    const loaded = await loadReadModel({ db, vectors, n, clusterCount, dim, near, topicWords, pick, random });
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
