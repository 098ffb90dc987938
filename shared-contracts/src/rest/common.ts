import { z } from 'zod';

// Field shapes shared by the query API's requests and responses. Query-string values arrive as
// strings, so numbers are coerced; every string is bounded so hostile input cannot blow memory.

export const resourceId = z.string().min(1).max(200);
export const isoTimestamp = z.iso.datetime({ offset: true });
export const languageCode = z
  .string()
  .min(2)
  .max(20)
  .regex(/^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{1,8})*$/, 'expected a language code such as en or pt-BR');
export const restSourceType = z.enum([
  'rss',
  'atom',
  'rdf',
  'jsonfeed',
  'reddit',
  'hackernews',
  'push',
  'jsonl',
]);

/** Opaque keyset cursor (base64url); only the service that issued it can read it. */
export const cursor = z
  .string()
  .min(1)
  .max(512)
  .regex(/^[A-Za-z0-9_-]+$/, 'expected the nextCursor of a previous page');

/** `limit` of a list page: 1..100, default 20. */
export const pageLimit = z.coerce.number().int().min(1).max(100).default(20);

export const keyword = z.object({ term: z.string(), weight: z.number() });
export type Keyword = z.infer<typeof keyword>;

/** Statuses a cluster can have in the read model; `merged` and `retired` are terminal. */
export const clusterStatus = z.enum(['emerging', 'active', 'fading', 'retired', 'merged']);
export type ClusterStatus = z.infer<typeof clusterStatus>;

/** The error body of every Trendmill API. */
export const apiErrorResponse = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});
export type ApiErrorResponse = z.infer<typeof apiErrorResponse>;

/** Refuses a window whose end is before its start. */
export function sinceBeforeUntil(value: { since?: string | undefined; until?: string | undefined }): boolean {
  return !value.since || !value.until || Date.parse(value.since) <= Date.parse(value.until);
}
export const sinceBeforeUntilIssue = { message: 'since must not be after until', path: ['until'] };
