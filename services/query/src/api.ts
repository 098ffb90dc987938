import type {
  ClusterDetail,
  ClusterDetailQuery,
  ClusterItemsQuery,
  ClusterList,
  ClusterListQuery,
  ItemDetail,
  ItemList,
  ItemListQuery,
  QueryStats,
  SearchQuery,
  SearchResult,
  SimilarItems,
  SimilarItemsQuery,
  TrendList,
  TrendsQuery,
} from '@trendmill/shared-contracts';

/**
 * What the query service answers, one method per operation. The gateway holds one of these: the
 * service's own `api` in the embedded default, `createQueryHttpClient(...)` in distributed mode.
 * Parameters are the REST query schemas' input (defaults optional); implementations validate them
 * again. Failures are `QueryApiError` (status + code, e.g. 404 cluster_not_found).
 */
export interface QueryApi {
  listClusters(query?: ClusterListQuery, options?: CallOptions): Promise<ClusterList>;
  getCluster(id: string, query?: ClusterDetailQuery, options?: CallOptions): Promise<ClusterDetail>;
  listClusterItems(id: string, query?: ClusterItemsQuery, options?: CallOptions): Promise<ItemList>;
  listItems(query?: ItemListQuery, options?: CallOptions): Promise<ItemList>;
  getItem(id: string, options?: CallOptions): Promise<ItemDetail>;
  search(query: SearchQuery, options?: CallOptions): Promise<SearchResult>;
  similarItems(id: string, query?: SimilarItemsQuery, options?: CallOptions): Promise<SimilarItems>;
  trends(query?: TrendsQuery, options?: CallOptions): Promise<TrendList>;
  stats(options?: CallOptions): Promise<QueryStats>;
}

export interface CallOptions {
  /** Aborts the call (e.g. the client went away). */
  signal?: AbortSignal;
  /** Propagated to the query service for its logs (HTTP client: `x-correlation-id`). */
  correlationId?: string;
}
