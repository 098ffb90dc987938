// The clusterer as its own process (distributed mode): wiring from env, nothing else.
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
import { clustererConfig, clustererSettingsFrom } from './config.js';
import { createClustererService, type ClustererService } from './service.js';

const config = exitOnConfigError(() => loadConfig(clustererConfig));
const logger = createLogger(config.SERVICE_NAME, config.LOG_LEVEL);
await startTracing({
  serviceName: config.SERVICE_NAME,
  ...(config.OTEL_EXPORTER_OTLP_ENDPOINT ? { endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT } : {}),
});
const registry = processRegistry(config.SERVICE_NAME);

let health: HealthServer | undefined;
let service: ClustererService | undefined;
let closeAll: Array<() => Promise<void>> = [];
let started = false;

await runService({
  name: config.SERVICE_NAME,
  logger,
  start: async () => {
    const db = await openDatabase({
      url: config.DATABASE_URL,
      schema: config.CLUSTERER_DB_SCHEMA,
      onPoolError: (error) => logger.warn('idle database connection failed', { error: error.message }),
    });
    const broker = await createBroker(config.BROKER_URL, {
      service: config.SERVICE_NAME,
      onEvent: (event, detail) => logger.warn(`broker ${event}`, detail ? { detail } : {}),
    });
    closeAll = [() => broker.close(), () => db.close()];
    service = createClustererService(
      { db, broker, logger, metrics: createMetrics(config.SERVICE_NAME, registry) },
      clustererSettingsFrom(config),
    );
    // A standby is ready too (it is healthy and waiting for the lock); /readyz says which it is.
    health = await startHealthServer({
      port: config.HTTP_PORT,
      registry,
      checks: {
        broker: () => broker.isReady(),
        database: async () => (await db.sql.query('SELECT 1 AS ok')).length === 1,
        clusterer: () => started,
      },
      readyDetails: () => ({ role: service?.role ?? 'standby' }),
    });
    await service.start();
    started = true;
    logger.info(`clusterer started as ${service.role}; health and metrics on :${health.port}`);
  },
  stop: async () => {
    await service?.stop();
    await health?.close();
    for (const close of closeAll) await close();
  },
});
