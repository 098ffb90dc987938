export * from './feeds/index.js';
export * from './fetch/index.js';
export * from './sources/reddit/index.js';
export * from './sources/hackernews/index.js';
export type { SourceItem } from './sources/source-item.js';
export {
  createSourceInput,
  updateSourceInput,
  defineSource,
  InvalidSourceError,
  type CreateSourceInput,
  type UpdateSourceInput,
} from './sources/source-spec.js';
export {
  nextSchedule,
  intervalBounds,
  DEFAULT_SCHEDULE_POLICY,
  type SchedulePolicy,
} from './scheduling/policy.js';
export {
  ingestItem,
  ingestBatch,
  readIngestItem,
  toCandidate,
  MAX_BATCH_ITEMS,
  type IngestItem,
} from './ingest/ingest-item.js';
export {
  CollectorService,
  COLLECTOR_MIGRATIONS_DIR,
  SourceBusyError,
  SourceNotFoundError,
  type CollectorPorts,
  type CollectorSettings,
  type PollSummary,
  type SourceHealth,
} from './service/collector-service.js';
export { createCollectorMetrics, type CollectorMetrics } from './service/metrics.js';
export type { Candidate } from './service/candidate.js';
export { collectorRouter, type CollectorRouterOptions } from './http/router.js';
export { createCollectorApp } from './http/app.js';
export type { ApiErrorBody } from './http/errors.js';
export { collectorConfig, collectorSettings, type CollectorConfig } from './config.js';
