// The query service as its own process (distributed mode): wiring from env, nothing else.
import {
  createBroker,
  createLogger,
  createMetrics,
  exitOnConfigError,
  loadConfig,
  openDatabase,
  processRegistry,
  runService,
  startHealthServer,
  startTracing,
  type HealthServer,
} from '@trendmill/platform';
import { openEmbeddedVectorStore, openQdrantVectorStore, type VectorStore } from '@trendmill/vectors';
import { queryConfig } from './config.js';
import { createHttpQueryEmbedder } from './embedding/http-embedder.js';
import type { QueryEmbedder } from './embedding/port.js';
import { createQueryApp } from './http/app.js';
import { createQueryMetrics } from './metrics.js';
import { createQueryService, type QueryService } from './service.js';

const config = exitOnConfigError(() => loadConfig(queryConfig));
const logger = createLogger(config.SERVICE_NAME, config.LOG_LEVEL);
await startTracing({
  serviceName: config.SERVICE_NAME,
  ...(config.OTEL_EXPORTER_OTLP_ENDPOINT ? { endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT } : {}),
});
const registry = processRegistry(config.SERVICE_NAME);

let health: HealthServer | undefined;
let service: QueryService | undefined;
let closeAll: Array<() => Promise<void>> = [];

await runService({
  name: config.SERVICE_NAME,
  logger,
  start: async () => {
    const db = await openDatabase({
      url: config.DATABASE_URL,
      schema: config.QUERY_DB_SCHEMA,
      onPoolError: (error) => logger.warn('idle database connection failed', { error: String(error) }),
    });
    const vectors: VectorStore = config.QDRANT_URL
      ? await openQdrantVectorStore({
          url: config.QDRANT_URL,
          ...(config.QDRANT_API_KEY ? { apiKey: config.QDRANT_API_KEY } : {}),
        })
      : await openEmbeddedVectorStore({
          dir: config.QUERY_VECTOR_DIR,
          onBackgroundError: (error) =>
            logger.warn('vector index compaction failed; will retry', { error: String(error) }),
        });
    const embedder: QueryEmbedder = createHttpQueryEmbedder(config.EMBEDDER_URL, {
      timeoutMs: config.QUERY_EMBED_TIMEOUT_MS,
      ...(config.EMBEDDER_API_KEY ? { apiKey: config.EMBEDDER_API_KEY } : {}),
    });
    const broker = await createBroker(config.BROKER_URL, {
      service: config.SERVICE_NAME,
      onEvent: (event, detail) => logger.warn(`broker ${event}`, detail ? { detail } : {}),
    });
    closeAll = [
      () => broker.close(),
      () => vectors.close(),
      () => db.close(),
      async () => embedder.close?.(),
    ];
    const queryMetrics = createQueryMetrics(registry);
    service = createQueryService(
      {
        db,
        broker,
        logger,
        vectors,
        embedder,
        metrics: createMetrics(config.SERVICE_NAME, registry),
        queryMetrics,
      },
      {
        prefetch: config.QUERY_PREFETCH,
        batch: { maxBatch: config.QUERY_BATCH_SIZE, maxWaitMs: config.QUERY_BATCH_WAIT_MS },
      },
    );
    await service.start();
    const app = createQueryApp(service.api, {
      logger,
      metrics: queryMetrics,
      ...(config.QUERY_API_KEYS ? { apiKeys: config.QUERY_API_KEYS } : {}),
    });
    health = await startHealthServer({
      port: config.HTTP_PORT,
      registry,
      checks: {
        broker: () => broker.isReady(),
        database: async () => (await db.sql.query('SELECT 1 AS ok')).length === 1,
        vectors: async () => Array.isArray(await vectors.listCollections()),
      },
      fallback: (req, res) => {
        app(req, res);
        return true;
      },
    });
    logger.info(`query service ready (vectors: ${vectors.kind}); API, health and metrics on :${health.port}`);
  },
  stop: async () => {
    await health?.close();
    await service?.stop();
    for (const close of closeAll) await close();
  },
});
