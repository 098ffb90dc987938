// The public entry point of @trendmill/embedder.
export type { EmbeddingCache } from './cache/cache.js';
export { MemoryEmbeddingCache } from './cache/memory-cache.js';
export { RedisEmbeddingCache } from './cache/redis-cache.js';
export { embedderConfig, type EmbedderConfig } from './config.js';
export { createEmbedderApp, type EmbedderAppOptions } from './http/app.js';
export { createProvider, knownModels, providerForModel, type ProviderSettings } from './providers/factory.js';
export {
  InvalidEmbeddingInputError,
  ProviderUnavailableError,
  normalizeInPlace,
  type EmbeddingProvider,
} from './providers/port.js';
export { embeddingInput } from './service/embed-input.js';
export {
  EMBEDDER_MIGRATIONS_DIR,
  EmbedderService,
  UnknownModelError,
  type EmbedderPorts,
  type EmbedderSettings,
} from './service/embedder-service.js';
export { createEmbedderMetrics, type EmbedderMetrics } from './service/metrics.js';
export type { ReembedJob } from './service/reembed.js';
export {
  LOCAL_MODEL,
  LocalEmbeddingProvider,
  createLocalProvider,
  type LocalProviderOptions,
} from './providers/local/index.js';
export {
  DatasetError,
  clusteringScores,
  datasetName,
  evaluateEmbeddings,
  kmeans,
  readLabelledTexts,
  seededRandom,
  type ClusteringScores,
  type EmbedEvalOptions,
  type EmbedEvalResult,
  type LabelledText,
} from './eval/index.js';
