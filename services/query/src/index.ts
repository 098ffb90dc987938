// The public entry point of @trendmill/query: the QueryApi contract, its HTTP client, the service
// factory, its HTTP app and the query-embedding adapters.
export type { QueryApi, CallOptions } from './api.js';
export { QueryApiError, type QueryErrorCode } from './errors.js';
export { createQueryHttpClient, type QueryHttpClient, type QueryHttpClientOptions } from './http/client.js';
export { createQueryApp, type QueryAppOptions } from './http/app.js';
export {
  createQueryService,
  QUERY_MIGRATIONS_DIR,
  type QueryPorts,
  type QueryService,
  type QuerySettings,
} from './service.js';
export { queryConfig, type QueryConfig } from './config.js';
export { createQueryMetrics, type QueryMetrics } from './metrics.js';
export {
  EmbedderUnavailableError,
  createInProcessQueryEmbedder,
  type QueryEmbedder,
  type QueryVector,
} from './embedding/port.js';
export { createHttpQueryEmbedder, type HttpQueryEmbedderOptions } from './embedding/http-embedder.js';
export { reciprocalRankFusion, RRF_K } from './domain/rrf.js';
