// The clusterer service: factory, configuration, metrics (the engine's exports sit beside these).
export {
  createClustererService,
  defaultEngineFactory,
  CLUSTERER_MIGRATIONS_DIR,
  type ClustererPorts,
  type ClustererRole,
  type ClustererService,
  type ClustererSettings,
  type CycleReport,
} from './service.js';
export type { EngineFactory } from './engine-registry.js';
export { clustererConfig, clustererSettingsFrom, clustererTunables, type ClustererConfig } from './config.js';
export { createClustererMetrics, type ClustererMetrics } from './metrics.js';
export { leaderLockKey } from './leadership/leader-lock.js';
// The pure engine and the algorithms under it.
export * from './domain/index.js';
export * from './algorithms/hdbscan/index.js';
export * from './algorithms/describe/index.js';
export * from './algorithms/trend/index.js';
