import { isFetchError, parseRetryAfter, type FetchError, type SafeFetcher } from '../../fetch/index.js';
import { parseListing, RedditResponseError, type RedditItem } from './listing.js';
import { parseSubredditName } from './subreddit-name.js';

export type RedditSort = 'new' | 'hot' | 'top';
export type RedditTopPeriod = 'hour' | 'day' | 'week' | 'month' | 'year' | 'all';

export const REDDIT_API_ORIGIN = 'https://www.reddit.com';
export const REDDIT_PAGE_SIZE = 100;
/** When a 429 names no delay. */
export const DEFAULT_RATE_LIMIT_DELAY_MS = 60_000;

export interface RedditClientOptions {
  fetcher: Pick<SafeFetcher, 'fetchUrl'>;
  /** Where the JSON listings are served; tests point it at a local server. */
  baseUrl?: string;
  now?: () => Date;
}

export interface FetchSubredditOptions {
  sort?: RedditSort;
  /** For `top` only; Reddit's default is `day`. */
  period?: RedditTopPeriod;
  /** How many pages of up to 100 posts to read, following `after`. Default 1. */
  maxPages?: number;
  /** Start after this post fullname (a cursor returned earlier). */
  after?: string;
  signal?: AbortSignal;
}

interface Progress {
  /** Posts in listing order, without repeats (listings shift while being paged). */
  items: RedditItem[];
  /** The cursor to continue from; null when the listing ended. */
  after: string | null;
  pages: number;
}

/** What the scheduler needs to know; other failures are thrown (FetchError, RedditResponseError). */
export type SubredditFetchResult =
  | ({ status: 'ok' } & Progress)
  | ({
      status: 'rate_limited';
      /** Do not ask Reddit again before this (ISO 8601). The pages read before the 429 are kept. */
      retryAt: string;
      retryAfterMs: number;
    } & Progress)
  | {
      status: 'unavailable';
      subreddit: string;
      /** Reddit's reason when it gave one (`private`, `banned`, `quarantined`...), else `not_found` / `forbidden`. */
      reason: string;
      httpStatus: number;
    };

export interface RedditClient {
  fetchSubreddit(name: string, options?: FetchSubredditOptions): Promise<SubredditFetchResult>;
}

export function createRedditClient(options: RedditClientOptions): RedditClient {
  const baseUrl = (options.baseUrl ?? REDDIT_API_ORIGIN).replace(/\/+$/, '');
  const now = options.now ?? (() => new Date());

  async function fetchSubreddit(
    input: string,
    request: FetchSubredditOptions = {},
  ): Promise<SubredditFetchResult> {
    const subreddit = parseSubredditName(input);
    const sort = request.sort ?? 'new';
    const maxPages = request.maxPages ?? 1;
    if (!Number.isInteger(maxPages) || maxPages < 1)
      throw new RangeError('maxPages must be a positive integer');
    const progress: Progress = { items: [], after: request.after ?? null, pages: 0 };
    const seen = new Set<string>();

    while (progress.pages < maxPages) {
      const url = new URL(`${baseUrl}/r/${subreddit}/${sort}.json`);
      url.searchParams.set('limit', String(REDDIT_PAGE_SIZE));
      url.searchParams.set('raw_json', '1');
      if (sort === 'top' && request.period) url.searchParams.set('t', request.period);
      if (progress.after) {
        url.searchParams.set('after', progress.after);
        url.searchParams.set('count', String(seen.size));
      }
      let body: Buffer;
      try {
        const response = await options.fetcher.fetchUrl(url, {
          headers: { accept: 'application/json' },
          ...(request.signal ? { signal: request.signal } : {}),
        });
        // A subreddit that does not exist redirects to a search page instead of answering 404.
        if (!new URL(response.url).pathname.toLowerCase().startsWith(`/r/${subreddit.toLowerCase()}/`)) {
          return { status: 'unavailable', subreddit, reason: 'not_found', httpStatus: response.status };
        }
        body = response.body;
      } catch (error) {
        if (!isFetchError(error, 'http_error')) throw error;
        if (error.status === 429) return rateLimited(error, progress, now());
        if (error.status === 403 || error.status === 404) return unavailable(error, subreddit);
        throw error;
      }
      const page = parseListing(parseJson(body));
      progress.pages++;
      for (const item of page.items) {
        if (seen.has(item.externalId)) continue;
        seen.add(item.externalId);
        progress.items.push(item);
      }
      progress.after = page.after;
      if (!page.after || page.items.length === 0) break;
    }
    return { status: 'ok', ...progress };
  }

  return { fetchSubreddit };
}

function rateLimited(error: FetchError, progress: Progress, now: Date): SubredditFetchResult {
  const headers = error.headers ?? {};
  // Reddit also sends X-Ratelimit-Reset: seconds until the window resets.
  const retryAfterMs =
    parseRetryAfter(headers['retry-after'], now) ??
    parseRetryAfter(headers['x-ratelimit-reset']?.split('.')[0], now) ??
    DEFAULT_RATE_LIMIT_DELAY_MS;
  return {
    status: 'rate_limited',
    retryAt: new Date(now.getTime() + retryAfterMs).toISOString(),
    retryAfterMs,
    ...progress,
  };
}

function unavailable(error: FetchError, subreddit: string): SubredditFetchResult {
  let reason: unknown;
  try {
    reason = (JSON.parse(error.body?.toString('utf8') ?? '') as { reason?: unknown }).reason;
  } catch {
    // an HTML error page: no reason given
  }
  return {
    status: 'unavailable',
    subreddit,
    reason:
      typeof reason === 'string' && /^[a-z_]{1,40}$/.test(reason)
        ? reason
        : error.status === 403
          ? 'forbidden'
          : 'not_found',
    httpStatus: error.status ?? 0,
  };
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new RedditResponseError('the response is not JSON (a block page?)');
  }
}
