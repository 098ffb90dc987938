// The normalizer as its own process (distributed mode): wiring from env, nothing else.
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
import { normalizerConfig } from './config.js';
import { createNormalizerService, type NormalizerService } from './service.js';

const config = exitOnConfigError(() => loadConfig(normalizerConfig));
const logger = createLogger(config.SERVICE_NAME, config.LOG_LEVEL);
await startTracing({
  serviceName: config.SERVICE_NAME,
  ...(config.OTEL_EXPORTER_OTLP_ENDPOINT ? { endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT } : {}),
});
const registry = processRegistry(config.SERVICE_NAME);

let health: HealthServer | undefined;
let service: NormalizerService | undefined;
let closeAll: Array<() => Promise<void>> = [];
// Ready only once the service has subscribed: before that its queue may not be bound yet, and an
// event published on the strength of an early 200 would find no queue.
let started = false;

await runService({
  name: config.SERVICE_NAME,
  logger,
  start: async () => {
    const db = await openDatabase({ url: config.DATABASE_URL, schema: config.NORMALIZER_DB_SCHEMA });
    const broker = await createBroker(config.BROKER_URL, {
      service: config.SERVICE_NAME,
      onEvent: (event, detail) => logger.warn(`broker ${event}`, detail ? { detail } : {}),
    });
    closeAll = [() => broker.close(), () => db.close()];
    health = await startHealthServer({
      port: config.HTTP_PORT,
      registry,
      checks: {
        subscribed: () => started,
        broker: () => broker.isReady(),
        database: async () => (await db.sql.query('SELECT 1 AS ok')).length === 1,
      },
    });
    service = createNormalizerService(
      { db, broker, logger, metrics: createMetrics(config.SERVICE_NAME, registry) },
      {
        nearDuplicateThreshold: config.NORMALIZER_NEAR_DUPLICATE_THRESHOLD,
        prefetch: config.NORMALIZER_PREFETCH,
        batch: { maxBatch: config.NORMALIZER_BATCH_SIZE, maxWaitMs: config.NORMALIZER_BATCH_WAIT_MS },
      },
    );
    await service.start();
    started = true;
    logger.info(`normalizer ready; health and metrics on :${health.port}`);
  },
  stop: async () => {
    await service?.stop();
    await health?.close();
    for (const close of closeAll) await close();
  },
});
