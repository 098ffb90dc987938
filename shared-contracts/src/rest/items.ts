import { z } from 'zod';
import {
  cursor,
  isoTimestamp,
  languageCode,
  pageLimit,
  resourceId,
  restSourceType,
  sinceBeforeUntil,
  sinceBeforeUntilIssue,
} from './common.js';

export const itemSummary = z.object({
  id: resourceId,
  title: z.string(),
  url: z.string().nullable(),
  /** The start of the text (at most 280 characters). */
  snippet: z.string(),
  sourceId: resourceId,
  sourceType: restSourceType,
  language: z.string(),
  publishedAt: isoTimestamp,
  /** null while the item waits for a topic. */
  clusterId: resourceId.nullable(),
  /** Re-posts of this item detected by the normalizer. */
  duplicateCount: z.number().int().min(0),
});
export type ItemSummary = z.infer<typeof itemSummary>;

export const itemDetail = itemSummary.extend({
  text: z.string(),
  model: z.string(),
  contentHash: z.string(),
  clusterMethod: z.enum(['assigned', 'discovered', 'pooled']).nullable(),
  clusterSimilarity: z.number().nullable(),
  clusteredAt: isoTimestamp.nullable(),
  indexedAt: isoTimestamp,
});
export type ItemDetail = z.infer<typeof itemDetail>;

export const itemList = z.object({
  items: z.array(itemSummary),
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: z.string().nullable(),
});
export type ItemList = z.infer<typeof itemList>;

/** `GET /items`: newest first (publishedAt, id); `q` narrows by full-text match. */
export const itemListQuery = z
  .object({
    q: z.string().trim().min(1).max(500).optional(),
    cluster: resourceId.optional(),
    source: resourceId.optional(),
    language: languageCode.optional(),
    since: isoTimestamp.optional(),
    until: isoTimestamp.optional(),
    limit: pageLimit,
    cursor: cursor.optional(),
  })
  .refine(sinceBeforeUntil, sinceBeforeUntilIssue);
export type ItemListQuery = z.input<typeof itemListQuery>;
export type ItemListParams = z.output<typeof itemListQuery>;

/** `GET /clusters/:id/items`: the cluster's members, newest first. */
export const clusterItemsQuery = z.object({ limit: pageLimit, cursor: cursor.optional() });
export type ClusterItemsQuery = z.input<typeof clusterItemsQuery>;
export type ClusterItemsParams = z.output<typeof clusterItemsQuery>;

/** `GET /items/:id/similar`. */
export const similarItemsQuery = z.object({ k: z.coerce.number().int().min(1).max(100).default(10) });
export type SimilarItemsQuery = z.input<typeof similarItemsQuery>;
export type SimilarItemsParams = z.output<typeof similarItemsQuery>;

export const similarItem = z.object({ item: itemSummary, similarity: z.number() });
export type SimilarItem = z.infer<typeof similarItem>;

export const similarItems = z.object({
  itemId: resourceId,
  model: z.string(),
  items: z.array(similarItem),
});
export type SimilarItems = z.infer<typeof similarItems>;
