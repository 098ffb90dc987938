import type { SourceItem } from '../source-item.js';

export const HACKER_NEWS_WEB_ORIGIN = 'https://news.ycombinator.com';

export interface HackerNewsMetadata {
  score: number;
  /** HN's `descendants`: the total comment count. */
  comments: number;
  /** The discussion page. */
  permalink: string;
  type: 'story' | 'poll';
}

export type HackerNewsItem = SourceItem<HackerNewsMetadata>;

/** An item as the official API returns it (`item/<id>.json`); null for an id that does not exist. */
export interface RawHackerNewsItem {
  id: number;
  type?: 'story' | 'job' | 'comment' | 'poll' | 'pollopt';
  by?: string;
  time?: number;
  title?: string;
  url?: string;
  text?: string;
  score?: number;
  descendants?: number;
  deleted?: boolean;
  dead?: boolean;
}

export type SkipReason = 'missing' | 'deleted' | 'dead' | 'not_a_story' | 'incomplete';

/**
 * Maps a story or poll to the source item model; says why not for anything else (jobs and
 * comments are not trend material; deleted and dead items are gone or flagged).
 */
export function toHackerNewsItem(raw: RawHackerNewsItem | null): HackerNewsItem | SkipReason {
  if (raw === null || typeof raw !== 'object') return 'missing';
  if (raw.deleted) return 'deleted';
  if (raw.dead) return 'dead';
  if (raw.type !== 'story' && raw.type !== 'poll') return 'not_a_story';
  const title = raw.title?.trim();
  if (!Number.isSafeInteger(raw.id) || !title || typeof raw.time !== 'number') return 'incomplete';
  const permalink = `${HACKER_NEWS_WEB_ORIGIN}/item?id=${raw.id}`;
  return {
    externalId: String(raw.id),
    url: httpUrl(raw.url) ?? permalink,
    title,
    content: raw.text?.trim() || null,
    author: raw.by?.trim() || null,
    publishedAt: new Date(raw.time * 1000).toISOString(),
    metadata: { score: raw.score ?? 0, comments: raw.descendants ?? 0, permalink, type: raw.type },
  };
}

function httpUrl(value: string | undefined): string | null {
  if (!value) return null;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}
