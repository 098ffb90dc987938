import { z } from 'zod';
import type { QueryApi } from '@trendmill/query';
import {
  clusterDetail,
  clusterDetailQuery,
  clusterItemsQuery,
  clusterList,
  clusterListQuery,
  itemDetail,
  itemList,
  itemListQuery,
  queryStats,
  resourceId,
  searchQuery,
  searchResult,
  similarItems,
  similarItemsQuery,
  trendList,
  trendsQuery,
} from '@trendmill/shared-contracts';
import { route, type RouteSpec } from './route-spec.js';

const idParams = z.object({ id: resourceId });

/** The read API, answered by the query service (in-process or over HTTP). */
export function queryRoutes(query: QueryApi): RouteSpec[] {
  return [
    route({
      method: 'get',
      path: '/clusters',
      operationId: 'listClusters',
      summary: 'List topics (clusters), newest or by size, growth or emerging score',
      tag: 'clusters',
      scope: 'read',
      query: clusterListQuery,
      responses: { 200: { description: 'a page of clusters', schema: clusterList } },
      cached: true,
      handle: async ({ query: q, correlationId, signal }) => ({
        body: await query.listClusters(q, { correlationId, signal }),
      }),
    }),
    route({
      method: 'get',
      path: '/clusters/:id',
      operationId: 'getCluster',
      summary: 'One topic: keywords, time series, evidence items, sources and languages',
      tag: 'clusters',
      scope: 'read',
      params: idParams,
      query: clusterDetailQuery,
      responses: { 200: { description: 'the cluster', schema: clusterDetail } },
      cached: true,
      handle: async ({ params, query: q, correlationId, signal }) => ({
        body: await query.getCluster((params as z.infer<typeof idParams>).id, q, { correlationId, signal }),
      }),
    }),
    route({
      method: 'get',
      path: '/clusters/:id/items',
      operationId: 'listClusterItems',
      summary: "A topic's member items, newest first",
      tag: 'clusters',
      scope: 'read',
      params: idParams,
      query: clusterItemsQuery,
      responses: { 200: { description: 'a page of items', schema: itemList } },
      handle: async ({ params, query: q, correlationId, signal }) => ({
        body: await query.listClusterItems((params as z.infer<typeof idParams>).id, q, {
          correlationId,
          signal,
        }),
      }),
    }),
    route({
      method: 'get',
      path: '/items',
      operationId: 'listItems',
      summary: 'Items, newest first, filtered by text, cluster, source, language or time',
      tag: 'items',
      scope: 'read',
      query: itemListQuery,
      responses: { 200: { description: 'a page of items', schema: itemList } },
      handle: async ({ query: q, correlationId, signal }) => ({
        body: await query.listItems(q, { correlationId, signal }),
      }),
    }),
    route({
      method: 'get',
      path: '/items/:id',
      operationId: 'getItem',
      summary: 'One item with its text and clustering outcome',
      tag: 'items',
      scope: 'read',
      params: idParams,
      responses: { 200: { description: 'the item', schema: itemDetail } },
      handle: async ({ params, correlationId, signal }) => ({
        body: await query.getItem((params as z.infer<typeof idParams>).id, { correlationId, signal }),
      }),
    }),
    route({
      method: 'get',
      path: '/items/:id/similar',
      operationId: 'similarItems',
      summary: 'The items nearest to one item in embedding space',
      tag: 'items',
      scope: 'read',
      params: idParams,
      query: similarItemsQuery,
      responses: { 200: { description: 'nearest items', schema: similarItems } },
      handle: async ({ params, query: q, correlationId, signal }) => ({
        body: await query.similarItems((params as z.infer<typeof idParams>).id, q, { correlationId, signal }),
      }),
    }),
    route({
      method: 'get',
      path: '/search',
      operationId: 'search',
      summary: 'Search items: full text, semantic, or both fused (hybrid)',
      tag: 'search',
      scope: 'read',
      query: searchQuery,
      responses: { 200: { description: 'ranked hits', schema: searchResult } },
      handle: async ({ query: q, correlationId, signal }) => ({
        body: await query.search(q as z.input<typeof searchQuery>, { correlationId, signal }),
      }),
    }),
    route({
      method: 'get',
      path: '/trends',
      operationId: 'trends',
      summary: 'Live topics that grew most in a window, against the window before it',
      tag: 'trends',
      scope: 'read',
      query: trendsQuery,
      responses: { 200: { description: 'trending topics', schema: trendList } },
      cached: true,
      handle: async ({ query: q, correlationId, signal }) => ({
        body: await query.trends(q, { correlationId, signal }),
      }),
    }),
    route({
      method: 'get',
      path: '/stats',
      operationId: 'stats',
      summary: 'Size and freshness of the read model',
      tag: 'trends',
      scope: 'read',
      responses: { 200: { description: 'read-model statistics', schema: queryStats } },
      handle: async ({ correlationId, signal }) => ({ body: await query.stats({ correlationId, signal }) }),
    }),
  ];
}
