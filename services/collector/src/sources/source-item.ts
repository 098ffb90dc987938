/**
 * One post as a source client hands it to the collector, before it becomes `item.collected`.
 * Shared by the reddit and hackernews clients.
 */
export interface SourceItem<Metadata extends object = Record<string, unknown>> {
  /** The source's own id for the post, stable across fetches. */
  externalId: string;
  /** Absolute http(s) URL: the linked article, else the discussion page. */
  url: string;
  title: string;
  /** Body text (self post, Ask HN) or null for link posts. */
  content: string | null;
  /** Null when deleted or unknown. */
  author: string | null;
  /** ISO 8601 UTC. */
  publishedAt: string;
  metadata: Metadata;
}
