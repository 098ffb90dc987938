import { z } from 'zod';
import { isoTimestamp, languageCode, resourceId, sinceBeforeUntil, sinceBeforeUntilIssue } from './common.js';
import { itemSummary } from './items.js';

export const searchMode = z.enum(['semantic', 'fulltext', 'hybrid']);
export type SearchMode = z.infer<typeof searchMode>;

/**
 * `GET /search`. fulltext: Postgres websearch syntax ("quoted phrase", -exclude, or), ranked by
 * ts_rank_cd; semantic: cosine similarity to the embedded query; hybrid (default): reciprocal rank
 * fusion (k = 60) of both lists. The filters apply to every mode.
 */
export const searchQuery = z
  .object({
    q: z.string().trim().min(1).max(500),
    mode: searchMode.default('hybrid'),
    cluster: resourceId.optional(),
    source: resourceId.optional(),
    language: languageCode.optional(),
    since: isoTimestamp.optional(),
    until: isoTimestamp.optional(),
    limit: z.coerce.number().int().min(1).max(100).default(20),
  })
  .refine(sinceBeforeUntil, sinceBeforeUntilIssue);
export type SearchQuery = z.input<typeof searchQuery>;
export type SearchParams = z.output<typeof searchQuery>;

export const searchHit = z.object({
  item: itemSummary,
  /** fulltext: ts_rank_cd; semantic: cosine similarity; hybrid: the fused RRF score. */
  score: z.number(),
  /** 1-based rank of the item in each list it appeared in (null: absent from that list). */
  ranks: z.object({
    fulltext: z.number().int().min(1).nullable(),
    semantic: z.number().int().min(1).nullable(),
  }),
});
export type SearchHit = z.infer<typeof searchHit>;

export const searchResult = z.object({
  query: z.string(),
  mode: searchMode,
  /** The embedding model the semantic list came from (null for fulltext). */
  model: z.string().nullable(),
  hits: z.array(searchHit),
  /** Set when hybrid search had to answer from full text alone (the embedder was unreachable). */
  degraded: z.string().nullable(),
});
export type SearchResult = z.infer<typeof searchResult>;
