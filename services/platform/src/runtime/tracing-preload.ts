/**
 * Preload for `node --import <this file> main.js`: hooks ESM loading so instrumentations can patch
 * modules (http) before the service imports them, then starts the SDK. Does nothing unless
 * OTEL_EXPORTER_OTLP_ENDPOINT is set, so the same command line works untraced.
 */
import { register } from 'node:module';
import { startTracing, stopTracing } from './tracing.js';

const endpoint = process.env.OTEL_EXPORTER_OTLP_ENDPOINT;
if (endpoint) {
  register('@opentelemetry/instrumentation/hook.mjs', import.meta.url);
  await startTracing({
    serviceName: process.env.OTEL_SERVICE_NAME || process.env.SERVICE_NAME || 'trendmill',
    endpoint,
  });
  // runService stops tracing on a graceful shutdown; this covers processes that simply end.
  process.once('beforeExit', () => void stopTracing());
}
