// The service runtime: configuration, context, logs, metrics, traces, health and lifecycle.
export {
  ConfigError,
  LOG_LEVELS,
  baseConfig,
  configFields,
  exitOnConfigError,
  loadConfig,
  type BaseConfig,
  type ExitIo,
  type LogLevel,
} from './config.js';
export { currentContext, isInteractive, runWithContext, type TrendmillContext } from './context.js';
export { REDACTED, isSecretKey, redact, redactDeep } from './redact.js';
export { createLogger, type Logger, type LoggerOptions } from './logger.js';
export {
  countPublishes,
  createMetrics,
  processRegistry,
  type BrokerMetrics,
  type ConsumeOutcome,
} from './metrics.js';
export {
  currentTraceIds,
  injectTraceparent,
  startTracing,
  stopTracing,
  withExtractedContext,
  type ExtractedSpanOptions,
  type TracingOptions,
} from './tracing.js';
export {
  startHealthServer,
  type HealthServer,
  type HealthServerOptions,
  type ReadinessCheck,
} from './health-server.js';
export {
  runService,
  type LifecycleLogger,
  type ProcessHost,
  type RunServiceOptions,
  type RunningService,
} from './lifecycle.js';
export { SLICE_MS, TimeSlice, nextTurn } from './event-loop-slice.js';
export { createMicroBatcher, type MicroBatcher, type MicroBatcherOptions } from './micro-batcher.js';
