// The public entry point of @trendmill/query: the QueryApi contract, its HTTP client and the service.
export type { QueryApi, CallOptions } from './api.js';
export { QueryApiError, type QueryErrorCode } from './errors.js';
export { createQueryHttpClient, type QueryHttpClient, type QueryHttpClientOptions } from './http/client.js';
