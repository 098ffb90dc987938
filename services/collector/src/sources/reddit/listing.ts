import type { SourceItem } from '../source-item.js';

export const REDDIT_WEB_ORIGIN = 'https://www.reddit.com';

export interface RedditMetadata {
  score: number;
  comments: number;
  /** Absolute URL of the discussion on www.reddit.com. */
  permalink: string;
  subreddit: string;
  over18: boolean;
  stickied: boolean;
}

export type RedditItem = SourceItem<RedditMetadata>;

/** The JSON a listing endpoint answers with, as far as it is read here. */
interface RawListing {
  kind: 'Listing';
  data: { after: string | null; children: Array<{ kind: string; data: RawPost }> };
}

interface RawPost {
  id?: unknown;
  title?: unknown;
  selftext?: unknown;
  url?: unknown;
  permalink?: unknown;
  author?: unknown;
  created_utc?: unknown;
  score?: unknown;
  num_comments?: unknown;
  subreddit?: unknown;
  over_18?: unknown;
  stickied?: unknown;
}

export class RedditResponseError extends Error {
  override readonly name = 'RedditResponseError';
}

export interface ParsedListing {
  items: RedditItem[];
  /** The cursor for the next page; null on the last one. */
  after: string | null;
  /** Children that were not posts or lacked an id, title or date. */
  skipped: number;
}

/** Reads a listing (fetched with `raw_json=1`, so text is not HTML-escaped). */
export function parseListing(json: unknown): ParsedListing {
  if (!isListing(json)) throw new RedditResponseError('the response is not a Reddit listing');
  const items: RedditItem[] = [];
  let skipped = 0;
  for (const child of json.data.children) {
    const item = child?.kind === 't3' ? toItem(child.data ?? {}) : null;
    if (item) items.push(item);
    else skipped++;
  }
  const after = typeof json.data.after === 'string' && json.data.after !== '' ? json.data.after : null;
  return { items, after, skipped };
}

function isListing(json: unknown): json is RawListing {
  const listing = json as Partial<RawListing> | null;
  return (
    listing?.kind === 'Listing' && typeof listing.data === 'object' && Array.isArray(listing.data?.children)
  );
}

function toItem(post: RawPost): RedditItem | null {
  const id = text(post.id);
  const title = text(post.title);
  const created = typeof post.created_utc === 'number' ? new Date(post.created_utc * 1000) : null;
  if (!id || !title || !created || Number.isNaN(created.getTime())) return null;
  const permalink = absolutePermalink(post.permalink, id);
  return {
    externalId: id,
    url: httpUrl(post.url) ?? permalink,
    title,
    content: body(post.selftext),
    author: person(post.author),
    publishedAt: created.toISOString(),
    metadata: {
      score: count(post.score),
      comments: count(post.num_comments),
      permalink,
      subreddit: text(post.subreddit) ?? '',
      over18: post.over_18 === true,
      stickied: post.stickied === true,
    },
  };
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

/** Self text, or null for link posts and for removed or deleted bodies. */
function body(value: unknown): string | null {
  const selftext = text(value);
  return selftext === '[removed]' || selftext === '[deleted]' ? null : selftext;
}

function person(value: unknown): string | null {
  const author = text(value);
  return author === '[deleted]' ? null : author;
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

function httpUrl(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  try {
    const url = new URL(value, REDDIT_WEB_ORIGIN);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}

function absolutePermalink(value: unknown, id: string): string {
  const path = typeof value === 'string' && value.startsWith('/') ? value : `/comments/${id}/`;
  return new URL(path, REDDIT_WEB_ORIGIN).href;
}
