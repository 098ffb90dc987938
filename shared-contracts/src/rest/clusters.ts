import { z } from 'zod';
import {
  clusterStatus,
  cursor,
  isoTimestamp,
  keyword,
  languageCode,
  pageLimit,
  resourceId,
  restSourceType,
  sinceBeforeUntil,
  sinceBeforeUntilIssue,
} from './common.js';
import { itemSummary } from './items.js';

export const clusterSummary = z.object({
  id: resourceId,
  label: z.string(),
  keywords: z.array(keyword),
  size: z.number().int().min(0),
  status: clusterStatus,
  /** The version of the last cluster event applied. */
  version: z.number().int().min(1),
  model: z.string(),
  emergingScore: z.number(),
  /** Items per hour gained, as last reported by the clusterer. */
  velocity: z.number(),
  createdAt: isoTimestamp,
  updatedAt: isoTimestamp,
  lastItemAt: isoTimestamp.nullable(),
});
export type ClusterSummary = z.infer<typeof clusterSummary>;

export const clusterList = z.object({
  items: z.array(clusterSummary),
  nextCursor: z.string().nullable(),
});
export type ClusterList = z.infer<typeof clusterList>;

export const timeBucket = z.object({ start: isoTimestamp, count: z.number().int().min(0) });
export type TimeBucket = z.infer<typeof timeBucket>;

export const evidenceItem = z.object({
  item: itemSummary,
  /** Cosine similarity to the cluster's centroid. */
  similarity: z.number(),
});
export type EvidenceItem = z.infer<typeof evidenceItem>;

export const sourceCount = z.object({
  sourceId: resourceId,
  sourceType: restSourceType,
  count: z.number().int().min(0),
});
export type SourceCount = z.infer<typeof sourceCount>;

export const languageCount = z.object({ language: z.string(), count: z.number().int().min(0) });
export type LanguageCount = z.infer<typeof languageCount>;

export const clusterDetail = clusterSummary.extend({
  representativeItemIds: z.array(resourceId),
  /** Set when status is `merged`. */
  mergedInto: resourceId.nullable(),
  retiredAt: isoTimestamp.nullable(),
  retiredReason: z.string().nullable(),
  /** Width of each time-series bucket. */
  bucketSeconds: z.number().int().positive(),
  /** Member items per bucket (by publishedAt), oldest first, empty buckets included. */
  timeSeries: z.array(timeBucket),
  /** Members nearest the centroid of the members' vectors. */
  evidence: z.array(evidenceItem),
  sources: z.array(sourceCount),
  languages: z.array(languageCount),
});
export type ClusterDetail = z.infer<typeof clusterDetail>;

export const clusterSort = z.enum(['size', 'growth', 'emerging', 'recent']);
export type ClusterSort = z.infer<typeof clusterSort>;

/**
 * `GET /clusters`. `status` defaults to the live ones (emerging, active, fading); `since`/`until`
 * keep clusters with an item in that window; `source`/`language` keep clusters with at least one
 * member from that source id / in that language.
 */
export const clusterListQuery = z
  .object({
    sort: clusterSort.default('recent'),
    status: z.enum([...clusterStatus.options, 'live', 'all']).default('live'),
    since: isoTimestamp.optional(),
    until: isoTimestamp.optional(),
    source: resourceId.optional(),
    language: languageCode.optional(),
    limit: pageLimit,
    cursor: cursor.optional(),
  })
  .refine(sinceBeforeUntil, sinceBeforeUntilIssue);
export type ClusterListQuery = z.input<typeof clusterListQuery>;
export type ClusterListParams = z.output<typeof clusterListQuery>;

/** `GET /clusters/:id`: how much time series (hours, ending at the last item) and evidence to return. */
export const clusterDetailQuery = z.object({
  hours: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 90)
    .default(72),
  evidence: z.coerce.number().int().min(0).max(50).default(5),
});
export type ClusterDetailQuery = z.input<typeof clusterDetailQuery>;
export type ClusterDetailParams = z.output<typeof clusterDetailQuery>;
