import { parseFeedWithFormat, type FeedFormat } from '../feeds/index.js';
import { isFetchError, parseRetryAfter, type SafeFetcher } from '../fetch/index.js';
import type { HackerNewsClient, HackerNewsList } from '../sources/hackernews/index.js';
import type { RedditClient } from '../sources/reddit/index.js';
import type { SourceOptions } from '../sources/source-spec.js';
import type { Candidate } from './candidate.js';

/** What polling a source found; nothing is recorded yet. */
export type PollResult =
  | {
      kind: 'fetched';
      candidates: Candidate[];
      httpStatus?: number;
      etag?: string | null;
      lastModified?: string | null;
      feedFormat?: FeedFormat;
      /** Set when the source answered but asked us to slow down (the items read so far still count). */
      retryAfterSeconds?: number;
      /** Part of the poll failed without failing it (e.g. some Hacker News items could not be read). */
      warning?: string;
    }
  | { kind: 'not_modified'; httpStatus: number }
  | { kind: 'failed'; error: string; httpStatus?: number; retryAfterSeconds?: number };

export interface PollTarget {
  type: string;
  target: string;
  options: SourceOptions;
  etag: string | null;
  lastModified: string | null;
}

export interface Pollers {
  fetcher: Pick<SafeFetcher, 'fetchUrl'>;
  reddit: RedditClient;
  hackerNews: HackerNewsClient;
  now: () => Date;
  signal?: AbortSignal;
}

/** Fetches and reads one source. Never throws for the source's own failures; they are a result. */
export async function pollSource(source: PollTarget, pollers: Pollers): Promise<PollResult> {
  try {
    switch (source.type) {
      case 'feed':
        return await pollFeed(source, pollers);
      case 'reddit':
        return await pollReddit(source, pollers);
      case 'hackernews':
        return await pollHackerNews(source, pollers);
      default:
        return { kind: 'failed', error: `source type ${source.type} is not polled` };
    }
  } catch (err) {
    return failure(err, pollers.now());
  }
}

async function pollFeed(source: PollTarget, { fetcher, signal }: Pollers): Promise<PollResult> {
  const response = await fetcher.fetchUrl(source.target, {
    ...(source.etag ? { etag: source.etag } : {}),
    ...(source.lastModified ? { lastModified: source.lastModified } : {}),
    headers: {
      accept:
        'application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, */*;q=0.5',
    },
    ...(signal ? { signal } : {}),
  });
  if (response.notModified) return { kind: 'not_modified', httpStatus: response.status };
  const { feed, format } = parseFeedWithFormat(response.body, {
    url: response.url,
    ...(response.contentType ? { contentType: response.contentType } : {}),
  });
  if (feed.error !== undefined || !format)
    return {
      kind: 'failed',
      error: `feed unreadable: ${feed.error ?? 'unknown format'}`,
      httpStatus: response.status,
    };
  return {
    kind: 'fetched',
    httpStatus: response.status,
    etag: response.etag ?? null,
    lastModified: response.lastModified ?? null,
    feedFormat: format,
    candidates: feed.items.map((item) => ({
      externalId: item.id,
      title: item.title ?? '',
      url: item.link,
      content: item.content,
      summary: item.summary,
      author: item.author,
      publishedAt: item.published,
    })),
  };
}

async function pollReddit(source: PollTarget, { reddit, signal }: Pollers): Promise<PollResult> {
  const result = await reddit.fetchSubreddit(source.target, {
    sort: source.options.sort ?? 'new',
    ...(source.options.period ? { period: source.options.period } : {}),
    ...(signal ? { signal } : {}),
  });
  if (result.status === 'unavailable')
    return {
      kind: 'failed',
      error: `r/${result.subreddit} is unavailable: ${result.reason}`,
      httpStatus: result.httpStatus,
    };
  const candidates: Candidate[] = result.items.map((item) => ({
    externalId: item.externalId,
    title: item.title,
    url: item.url,
    content: item.content,
    summary: null,
    author: item.author,
    publishedAt: item.publishedAt,
    metadata: flatMetadata(item.metadata),
  }));
  if (result.status === 'rate_limited') {
    if (candidates.length === 0)
      return {
        kind: 'failed',
        error: 'rate limited by Reddit',
        httpStatus: 429,
        retryAfterSeconds: result.retryAfterMs / 1000,
      };
    return {
      kind: 'fetched',
      candidates,
      retryAfterSeconds: result.retryAfterMs / 1000,
      warning: 'rate limited by Reddit',
    };
  }
  return { kind: 'fetched', candidates };
}

async function pollHackerNews(source: PollTarget, { hackerNews, signal }: Pollers): Promise<PollResult> {
  const result = await hackerNews.fetchStories(source.target as HackerNewsList, {
    limit: source.options.limit ?? 100,
    ...(signal ? { signal } : {}),
  });
  const candidates: Candidate[] = result.items.map((item) => ({
    externalId: item.externalId,
    title: item.title,
    url: item.url,
    content: item.content,
    summary: null,
    author: item.author,
    publishedAt: item.publishedAt,
    metadata: flatMetadata(item.metadata),
  }));
  if (result.failed.length > 0 && candidates.length === 0)
    return { kind: 'failed', error: `no story could be read: ${result.failed[0]!.error}` };
  return {
    kind: 'fetched',
    candidates,
    ...(result.failed.length ? { warning: `${result.failed.length} stories could not be read` } : {}),
  };
}

function failure(err: unknown, now: Date): PollResult {
  if (isFetchError(err)) {
    const retryAfterMs =
      err.status === 429 || err.status === 503
        ? parseRetryAfter(err.headers?.['retry-after'], now)
        : undefined;
    return {
      kind: 'failed',
      error: `${err.code}: ${err.message}`,
      ...(err.status !== undefined ? { httpStatus: err.status } : {}),
      ...(retryAfterMs !== undefined ? { retryAfterSeconds: retryAfterMs / 1000 } : {}),
    };
  }
  return { kind: 'failed', error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) };
}

/** Event metadata holds strings, numbers and booleans only. */
function flatMetadata(metadata: object): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(metadata)) {
    if (typeof value === 'string') out[key] = value.slice(0, 2000);
    else if (typeof value === 'number' && Number.isFinite(value)) out[key] = value;
    else if (typeof value === 'boolean') out[key] = value;
  }
  return out;
}
