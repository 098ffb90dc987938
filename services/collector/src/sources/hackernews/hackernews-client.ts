import type { SafeFetcher } from '../../fetch/index.js';
import { mapWithConcurrency } from './map-with-concurrency.js';
import { toHackerNewsItem, type HackerNewsItem, type RawHackerNewsItem, type SkipReason } from './story.js';

export type HackerNewsList = 'top' | 'new' | 'best';

export const HACKER_NEWS_API_BASE = 'https://hacker-news.firebaseio.com/v0';
export const DEFAULT_HACKER_NEWS_CONCURRENCY = 8;

export interface HackerNewsClientOptions {
  fetcher: Pick<SafeFetcher, 'fetchUrl'>;
  /** Up to and including `/v0`; tests point it at a local server. */
  baseUrl?: string;
  /** Item requests in flight at once. */
  concurrency?: number;
}

export interface FetchStoriesOptions {
  /** How many ids of the list to read (the lists hold up to 500). Default 100. */
  limit?: number;
  signal?: AbortSignal;
}

export interface StoriesResult {
  /** In list order (rank for top / best, recency for new). */
  items: HackerNewsItem[];
  /** Ids that were read but are not stories: deleted, dead, jobs, missing... */
  skipped: Array<{ id: number; reason: SkipReason }>;
  /** Ids whose item request failed; the rest of the batch still counts. */
  failed: Array<{ id: number; error: string }>;
}

export class HackerNewsResponseError extends Error {
  override readonly name = 'HackerNewsResponseError';
}

export interface HackerNewsClient {
  /** Throws when the list itself cannot be read; individual item failures are reported in the result. */
  fetchStories(list: HackerNewsList, options?: FetchStoriesOptions): Promise<StoriesResult>;
}

export function createHackerNewsClient(options: HackerNewsClientOptions): HackerNewsClient {
  const baseUrl = (options.baseUrl ?? HACKER_NEWS_API_BASE).replace(/\/+$/, '');
  const concurrency = options.concurrency ?? DEFAULT_HACKER_NEWS_CONCURRENCY;

  async function getJson(path: string, signal: AbortSignal | undefined): Promise<unknown> {
    const response = await options.fetcher.fetchUrl(`${baseUrl}/${path}`, {
      headers: { accept: 'application/json' },
      ...(signal ? { signal } : {}),
    });
    try {
      return JSON.parse(response.body.toString('utf8'));
    } catch {
      throw new HackerNewsResponseError(`${path}: the response is not JSON`);
    }
  }

  async function fetchStories(
    list: HackerNewsList,
    request: FetchStoriesOptions = {},
  ): Promise<StoriesResult> {
    const limit = request.limit ?? 100;
    const ids = await getJson(`${list}stories.json`, request.signal);
    if (!Array.isArray(ids) || !ids.every((id) => Number.isSafeInteger(id) && id > 0)) {
      throw new HackerNewsResponseError(`${list}stories.json: expected an array of item ids`);
    }
    const result: StoriesResult = { items: [], skipped: [], failed: [] };
    type Outcome = { id: number; mapped: HackerNewsItem | SkipReason } | { id: number; error: string };
    const outcomes = await mapWithConcurrency(
      ids.slice(0, limit) as number[],
      concurrency,
      async (id): Promise<Outcome> => {
        try {
          return {
            id,
            mapped: toHackerNewsItem((await getJson(`item/${id}.json`, request.signal)) as RawHackerNewsItem),
          };
        } catch (error) {
          if (request.signal?.aborted) throw error;
          return { id, error: error instanceof Error ? error.message : String(error) };
        }
      },
    );
    for (const outcome of outcomes) {
      if ('error' in outcome) result.failed.push({ id: outcome.id, error: outcome.error });
      else if (typeof outcome.mapped === 'string')
        result.skipped.push({ id: outcome.id, reason: outcome.mapped });
      else result.items.push(outcome.mapped);
    }
    return result;
  }

  return { fetchStories };
}
