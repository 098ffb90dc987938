/**
 * The shape the normalizer reads, declared structurally: anything with these fields (the
 * `item.collected` event data) fits. Optional fields may be absent or null, as sources leave them.
 */
export interface ItemCollectedLike {
  itemId: string;
  sourceId: string;
  sourceType: string;
  externalId: string;
  url?: string | null;
  /** Plain text or HTML; entities are decoded either way. */
  title: string;
  /** The full body, usually HTML. */
  content?: string | null;
  /** A shorter body (RSS description), used when there is no content. */
  summary?: string | null;
  author?: string | null;
  /** ISO 8601, as the source gave it (possibly wrong). */
  publishedAt?: string | null;
  /** ISO 8601: when the collector fetched it. */
  collectedAt: string;
  /** The source's own language tag (e.g. RSS <language>), a hint only. */
  language?: string | null;
}

/** What normalization adds up to: the fields of `item.normalized` that the domain decides. */
export interface NormalizedFields {
  /** The link as collected (absolute, resolved), undefined when there was none or it was not a URL. */
  url: string | undefined;
  /** Same story, same string: see canonicalUrl(). */
  canonicalUrl: string | undefined;
  /** One line, entities decoded, at most MAX_TITLE_CHARS. */
  title: string;
  /** Clean plain text of the body (title alone when there is no body), at most MAX_TEXT_CHARS. */
  text: string;
  /** ISO 639-1, or 'und' when undetermined. */
  language: string;
  /** ISO 8601 UTC; collectedAt when the source's value was missing or not credible. */
  publishedAt: string;
  /** Why publishedAt is not the source's value, when it is not. */
  publishedAtAdjusted?: PublishedAtAdjustment;
  /** ISO 8601 UTC. */
  collectedAt: string;
  /** sha256 hex of the whitespace-collapsed, lower-cased title + text. */
  contentHash: string;
  /** 64-bit SimHash of title + text, 16 hex characters. */
  simhash: string;
  author: string | undefined;
}

export type PublishedAtAdjustment = 'missing' | 'invalid' | 'future' | 'too-old';

export type NormalizeResult =
  { ok: true; item: NormalizedFields } | { ok: false; reason: NormalizeFailure; detail: string };

export type NormalizeFailure = 'empty' | 'unreadable';
