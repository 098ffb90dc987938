/** One entry of a feed, in the shape the collector hands downstream. Missing fields are null. */
export interface ParsedFeedItem {
  /** guid / id, else the link, else a stable hash of title + published. */
  id: string;
  title: string | null;
  /** Absolute http(s) URL when a base was known; links with other schemes are dropped. */
  link: string | null;
  /** ISO 8601 (UTC) or null. */
  published: string | null;
  author: string | null;
  summary: string | null;
  content: string | null;
}

/** A feed that was read; `error` (and no items) when it could not be read. */
export interface ParsedFeed {
  title: string | null;
  link: string | null;
  items: ParsedFeedItem[];
  error?: string;
}

export interface ParseFeedOptions {
  /** Where the feed was fetched from: the base for relative links. */
  url?: string;
  /** The HTTP Content-Type header, for its charset. */
  contentType?: string;
  /** Bodies larger than this are refused (default DEFAULT_MAX_FEED_BYTES). */
  maxBytes?: number;
}

export function failedFeed(error: string): ParsedFeed {
  return { title: null, link: null, items: [], error };
}

export type FeedFormat = 'rss' | 'rdf' | 'atom' | 'jsonfeed';

/** Where a reader records which format it read (set only when the feed was read). */
export interface FormatSink {
  format?: FeedFormat;
}
