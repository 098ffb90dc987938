// The gateway as its own process (distributed mode): wiring from env, nothing else.
import { Redis } from 'ioredis';
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
import { createQueryHttpClient, type QueryHttpClient } from '@trendmill/query';
import { embedderInfoOverHttp } from './admin/system-status.js';
import { checkGatewayConfig, gatewayConfig } from './config.js';
import { createGatewayService, type GatewayService } from './service.js';
import { parseSecretKey } from './subscriptions/webhooks/secret-box.js';

const config = exitOnConfigError(() => checkGatewayConfig(loadConfig(gatewayConfig)));
const logger = createLogger(config.SERVICE_NAME, config.LOG_LEVEL);
await startTracing({
  serviceName: config.SERVICE_NAME,
  ...(config.OTEL_EXPORTER_OTLP_ENDPOINT ? { endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT } : {}),
});
const registry = processRegistry(config.SERVICE_NAME);

let health: HealthServer | undefined;
let service: GatewayService | undefined;
let query: QueryHttpClient | undefined;
let closeAll: Array<() => Promise<void>> = [];

await runService({
  name: config.SERVICE_NAME,
  logger,
  start: async () => {
    const db = await openDatabase({
      url: config.DATABASE_URL,
      schema: config.GATEWAY_DB_SCHEMA,
      onPoolError: (error) => logger.warn('database pool error', { error: String(error) }),
    });
    const broker = await createBroker(config.BROKER_URL, {
      service: config.SERVICE_NAME,
      onEvent: (event, detail) => logger.warn(`broker ${event}`, detail ? { detail } : {}),
    });
    const redis = config.REDIS_URL
      ? new Redis(config.REDIS_URL, { maxRetriesPerRequest: 2, enableOfflineQueue: false })
      : undefined;
    redis?.on('error', (error) => logger.warn('redis error', { error: String(error) }));
    query = createQueryHttpClient(config.QUERY_URL, {
      ...(config.QUERY_API_KEY ? { apiKey: config.QUERY_API_KEY } : {}),
    });
    closeAll = [
      () => broker.close(),
      () => db.close(),
      async () => {
        redis?.disconnect();
      },
    ];
    service = createGatewayService(
      {
        query,
        collector: {
          url: config.COLLECTOR_URL,
          ...(config.COLLECTOR_API_KEY ? { apiKey: config.COLLECTOR_API_KEY } : {}),
        },
        broker,
        db,
        logger,
        redis,
        embedderInfo: config.EMBEDDER_URL
          ? embedderInfoOverHttp(config.EMBEDDER_URL, config.EMBEDDER_API_KEY)
          : undefined,
        registry,
        brokerMetrics: createMetrics(config.SERVICE_NAME, registry),
      },
      {
        rateLimitPerMinute: config.GATEWAY_RATE_LIMIT_PER_MINUTE,
        authFailuresPerMinute: config.GATEWAY_AUTH_FAILURES_PER_MINUTE,
        corsOrigins: config.GATEWAY_CORS_ORIGINS,
        maxBodyBytes: config.GATEWAY_MAX_BODY_BYTES,
        cacheTtlSeconds: config.GATEWAY_CACHE_TTL_SECONDS,
        bootstrapAdminKey: config.GATEWAY_BOOTSTRAP_ADMIN_KEY,
        trustProxy: config.GATEWAY_TRUST_PROXY,
        webhookAllowlist: config.GATEWAY_WEBHOOK_ALLOWLIST,
        webhookSecretKey: config.GATEWAY_WEBHOOK_SECRET_KEY
          ? parseSecretKey(config.GATEWAY_WEBHOOK_SECRET_KEY)
          : undefined,
      },
    );
    const app = service.app;
    health = await startHealthServer({
      port: config.HTTP_PORT,
      registry,
      checks: {
        broker: () => broker.isReady(),
        database: async () => (await db.sql.query('SELECT 1 AS ok')).length === 1,
        query: () => query?.breakerState !== 'open',
        ...(redis ? { redis: () => redis.status === 'ready' } : {}),
      },
      fallback: (req, res) => {
        app(req, res);
        return true;
      },
    });
    await service.start();
    logger.info(`gateway ready; API, docs, health and metrics on :${health.port}`);
  },
  stop: async () => {
    await health?.close();
    await service?.stop();
    query?.close();
    for (const close of closeAll) await close();
  },
});
