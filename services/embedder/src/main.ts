// The embedder as its own process (distributed mode): wiring from env, nothing else.
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
import type { EmbeddingCache } from './cache/cache.js';
import { MemoryEmbeddingCache } from './cache/memory-cache.js';
import { RedisEmbeddingCache } from './cache/redis-cache.js';
import { embedderConfig } from './config.js';
import { createEmbedderApp } from './http/app.js';
import { createProvider, providerForModel, type ProviderSettings } from './providers/factory.js';
import { EmbedderService } from './service/embedder-service.js';
import { createEmbedderMetrics, observeGuard } from './service/metrics.js';

const config = exitOnConfigError(() => loadConfig(embedderConfig));
const logger = createLogger(config.SERVICE_NAME, config.LOG_LEVEL);
await startTracing({
  serviceName: config.SERVICE_NAME,
  ...(config.OTEL_EXPORTER_OTLP_ENDPOINT ? { endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT } : {}),
});
const registry = processRegistry(config.SERVICE_NAME);

let health: HealthServer | undefined;
let service: EmbedderService | undefined;
let closeAll: Array<() => Promise<void>> = [];

const metrics = createEmbedderMetrics(registry);
const providerSettings: ProviderSettings = {
  onEvent: observeGuard(metrics),
  provider: config.EMBEDDER_PROVIDER,
  hfModel: config.EMBEDDER_HF_MODEL,
  ...(config.EMBEDDER_HF_ENDPOINT_URL ? { hfEndpointUrl: config.EMBEDDER_HF_ENDPOINT_URL } : {}),
  ...(config.HF_TOKEN ? { hfToken: config.HF_TOKEN } : {}),
  ...(config.MODEL_DIR ? { modelDir: config.MODEL_DIR } : {}),
  timeoutMs: config.EMBEDDER_TIMEOUT_MS,
};

await runService({
  name: config.SERVICE_NAME,
  logger,
  start: async () => {
    const provider = await createProvider(providerSettings);
    if ('ready' in provider && typeof provider.ready === 'function') {
      // A remote model's vector length is learned from one probe; if it is down now, the first
      // answer teaches it later (items wait meanwhile).
      await (provider.ready as () => Promise<number>)().catch((err: unknown) =>
        logger.warn('embedding provider not reachable yet; items will wait for it', { error: String(err) }),
      );
    }
    const cacheKind = config.EMBEDDER_CACHE ?? (config.REDIS_URL ? 'redis' : 'memory');
    if (cacheKind === 'redis' && !config.REDIS_URL)
      throw new Error('EMBEDDER_CACHE=redis needs REDIS_URL (redis://host:6379)');
    const cache: EmbeddingCache =
      cacheKind === 'redis'
        ? new RedisEmbeddingCache({ url: config.REDIS_URL!, ttlSeconds: config.EMBEDDER_CACHE_TTL_SECONDS })
        : new MemoryEmbeddingCache({ maxEntries: config.EMBEDDER_CACHE_MAX_ENTRIES });
    const db = await openDatabase({ url: config.DATABASE_URL, schema: config.EMBEDDER_DB_SCHEMA });
    const broker = await createBroker(config.BROKER_URL, {
      service: config.SERVICE_NAME,
      onEvent: (event, detail) => logger.warn(`broker ${event}`, detail ? { detail } : {}),
    });
    closeAll = [() => broker.close(), () => db.close(), () => cache.close(), () => provider.close()];
    service = new EmbedderService(
      {
        db,
        broker,
        provider,
        cache,
        logger,
        metrics,
        brokerMetrics: createMetrics(config.SERVICE_NAME, registry),
        providerFor: (model) => providerForModel(model, providerSettings),
      },
      {
        batchSize: config.EMBEDDER_BATCH_SIZE,
        batchWaitMs: config.EMBEDDER_BATCH_WAIT_MS,
        maxInputChars: config.EMBEDDER_MAX_INPUT_CHARS,
        ...(config.EMBEDDER_PREFETCH ? { prefetch: config.EMBEDDER_PREFETCH } : {}),
      },
    );
    await service.start();
    const app = createEmbedderApp(service, {
      logger,
      ...(config.EMBEDDER_API_KEYS ? { apiKeys: config.EMBEDDER_API_KEYS } : {}),
      maxBodyBytes: config.EMBEDDER_MAX_BODY_BYTES,
    });
    health = await startHealthServer({
      port: config.HTTP_PORT,
      registry,
      checks: {
        broker: () => broker.isReady(),
        database: async () => (await db.sql.query('SELECT 1 AS ok')).length === 1,
      },
      fallback: (req, res) => {
        app(req, res);
        return true;
      },
    });
    logger.info(
      `embedder ready (model ${provider.model}, cache ${cache.kind}); API, health and metrics on :${health.port}`,
    );
  },
  stop: async () => {
    await health?.close();
    await service?.stop();
    for (const close of closeAll) await close();
  },
});
