import CircuitBreaker from 'opossum';
import {
  apiErrorResponse,
  clusterDetail,
  clusterList,
  itemDetail,
  itemList,
  queryStats,
  searchResult,
  similarItems,
  trendList,
  type ClusterDetailQuery,
  type ClusterItemsQuery,
  type ClusterListQuery,
  type ItemListQuery,
  type SearchQuery,
  type SimilarItemsQuery,
  type TrendsQuery,
} from '@trendmill/shared-contracts';
import type { ZodType } from 'zod';
import type { CallOptions, QueryApi } from '../api.js';
import { QueryApiError } from '../errors.js';

export interface QueryHttpClientOptions {
  /** Sent as `Authorization: Bearer KEY` (the service's QUERY_API_KEYS). */
  apiKey?: string;
  /** Time limit of one request (default 5 s); the request is aborted when it passes. */
  timeoutMs?: number;
  /** Breaker: failure share (percent) that opens it (default 50) over at least `volumeThreshold` calls (default 10). */
  errorThresholdPercentage?: number;
  volumeThreshold?: number;
  /** How long the breaker stays open before one trial call (default 5 s). */
  resetTimeoutMs?: number;
  /** Replaceable for tests. */
  fetch?: typeof fetch;
}

export interface QueryHttpClient extends QueryApi {
  /** closed | open | halfOpen, for readiness and metrics. */
  readonly breakerState: 'closed' | 'open' | 'halfOpen';
  close(): void;
}

type Params = Record<string, string | number | undefined>;

/**
 * The QueryApi over the query service's internal HTTP API (distributed mode). Calls go through an
 * opossum breaker: 5xx, timeouts and refused connections count against it; 4xx answers (a missing
 * cluster, a bad parameter) are the caller's business and do not. While open, calls fail at once
 * with 503 query_unavailable instead of piling up behind a dead service.
 */
export function createQueryHttpClient(
  baseUrl: string,
  options: QueryHttpClientOptions = {},
): QueryHttpClient {
  const base = new URL(baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  if (base.protocol !== 'http:' && base.protocol !== 'https:')
    throw new TypeError(`query service URL must be http(s), got ${base.protocol}`);
  const timeoutMs = options.timeoutMs ?? 5_000;
  const doFetch = options.fetch ?? fetch;

  async function request(
    path: string,
    params: Params | undefined,
    call: CallOptions | undefined,
  ): Promise<unknown> {
    const url = new URL(path, base);
    for (const [key, value] of Object.entries(params ?? {}))
      if (value !== undefined) url.searchParams.set(key, String(value));
    const headers: Record<string, string> = { accept: 'application/json' };
    if (options.apiKey) headers.authorization = `Bearer ${options.apiKey}`;
    if (call?.correlationId) headers['x-correlation-id'] = call.correlationId;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = call?.signal ? AbortSignal.any([call.signal, timeout]) : timeout;
    let response: Response;
    try {
      response = await doFetch(url, { headers, signal });
    } catch (err) {
      if (call?.signal?.aborted) throw err;
      const why = timeout.aborted ? `no answer within ${timeoutMs} ms` : String((err as Error).cause ?? err);
      throw new QueryApiError(503, 'query_unavailable', `query service unreachable: ${why}`);
    }
    const body: unknown = await response.json().catch(() => undefined);
    if (response.ok) return body;
    const error = apiErrorResponse.safeParse(body);
    if (error.success)
      throw new QueryApiError(
        response.status,
        error.data.error.code,
        error.data.error.message,
        error.data.error.details,
      );
    throw new QueryApiError(
      response.status >= 500 ? 503 : response.status,
      response.status >= 500 ? 'query_unavailable' : 'bad_request',
      `query service answered ${response.status}`,
    );
  }

  const breaker = new CircuitBreaker(request, {
    timeout: false,
    errorThresholdPercentage: options.errorThresholdPercentage ?? 50,
    volumeThreshold: options.volumeThreshold ?? 10,
    resetTimeout: options.resetTimeoutMs ?? 5_000,
    errorFilter: (err: unknown) => err instanceof QueryApiError && err.status < 500,
  });

  async function get<T>(
    schema: ZodType<T>,
    path: string,
    params: Params | undefined,
    call?: CallOptions,
  ): Promise<T> {
    let body: unknown;
    try {
      body = await breaker.fire(path, params, call);
    } catch (err) {
      if (err instanceof Error && (err as { code?: unknown }).code === 'EOPENBREAKER')
        throw new QueryApiError(
          503,
          'query_unavailable',
          'query service unavailable (circuit open); retry shortly',
        );
      throw err;
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success)
      throw new QueryApiError(
        502,
        'query_unavailable',
        'query service answered in an unexpected shape',
        parsed.error.issues,
      );
    return parsed.data;
  }

  const seg = encodeURIComponent;
  return {
    get breakerState() {
      return breaker.opened ? 'open' : breaker.halfOpen ? 'halfOpen' : 'closed';
    },
    close: () => breaker.shutdown(),
    listClusters: (q?: ClusterListQuery, c?: CallOptions) => get(clusterList, 'clusters', q as Params, c),
    getCluster: (id: string, q?: ClusterDetailQuery, c?: CallOptions) =>
      get(clusterDetail, `clusters/${seg(id)}`, q as Params, c),
    listClusterItems: (id: string, q?: ClusterItemsQuery, c?: CallOptions) =>
      get(itemList, `clusters/${seg(id)}/items`, q as Params, c),
    listItems: (q?: ItemListQuery, c?: CallOptions) => get(itemList, 'items', q as Params, c),
    getItem: (id: string, c?: CallOptions) => get(itemDetail, `items/${seg(id)}`, undefined, c),
    search: (q: SearchQuery, c?: CallOptions) => get(searchResult, 'search', q as Params, c),
    similarItems: (id: string, q?: SimilarItemsQuery, c?: CallOptions) =>
      get(similarItems, `items/${seg(id)}/similar`, q as Params, c),
    trends: (q?: TrendsQuery, c?: CallOptions) => get(trendList, 'trends', q as Params, c),
    stats: (c?: CallOptions) => get(queryStats, 'stats', undefined, c),
  };
}
