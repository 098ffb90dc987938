// The collector as its own process (distributed mode): wiring from env, nothing else.
import {
  createBroker,
  createLogger,
  exitOnConfigError,
  loadConfig,
  openDatabase,
  processRegistry,
  runService,
  startHealthServer,
  startTracing,
  type HealthServer,
} from '@trendmill/platform';
import { collectorConfig, collectorSettings } from './config.js';
import { createCollectorApp } from './http/app.js';
import { CollectorService } from './service/collector-service.js';
import { createCollectorMetrics } from './service/metrics.js';

const config = exitOnConfigError(() => loadConfig(collectorConfig));
const logger = createLogger(config.SERVICE_NAME, config.LOG_LEVEL);
await startTracing({
  serviceName: config.SERVICE_NAME,
  ...(config.OTEL_EXPORTER_OTLP_ENDPOINT ? { endpoint: config.OTEL_EXPORTER_OTLP_ENDPOINT } : {}),
});
const registry = processRegistry(config.SERVICE_NAME);

let health: HealthServer | undefined;
let service: CollectorService | undefined;
let closeAll: Array<() => Promise<void>> = [];

await runService({
  name: config.SERVICE_NAME,
  logger,
  start: async () => {
    const db = await openDatabase({ url: config.DATABASE_URL, schema: config.COLLECTOR_DB_SCHEMA });
    const broker = await createBroker(config.BROKER_URL, {
      service: config.SERVICE_NAME,
      onEvent: (event, detail) => logger.warn(`broker ${event}`, detail ? { detail } : {}),
    });
    closeAll = [() => broker.close(), () => db.close()];
    service = new CollectorService(
      {
        db,
        publish: (messages) => broker.publish(messages),
        logger,
        metrics: createCollectorMetrics(registry),
      },
      collectorSettings(config),
    );
    await service.start();
    const app = createCollectorApp(service, {
      logger,
      apiKeys: config.COLLECTOR_API_KEYS,
      maxBodyBytes: config.COLLECTOR_MAX_BODY_BYTES,
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
    logger.info(`collector ready; API on :${health.port}/api/v1, health and metrics on the same port`);
  },
  stop: async () => {
    // Stop taking requests, but stop the service before waiting for the ones in flight: a
    // poll-now request ends only when the service aborts its fetch (up to the 120 s fetch timeout).
    const closing = health?.close();
    await service?.stop();
    await closing;
    for (const close of closeAll) await close();
  },
});
