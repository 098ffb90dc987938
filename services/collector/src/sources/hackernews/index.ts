export {
  createHackerNewsClient,
  DEFAULT_HACKER_NEWS_CONCURRENCY,
  HACKER_NEWS_API_BASE,
  HackerNewsResponseError,
  type FetchStoriesOptions,
  type HackerNewsClient,
  type HackerNewsClientOptions,
  type HackerNewsList,
  type StoriesResult,
} from './hackernews-client.js';
export {
  HACKER_NEWS_WEB_ORIGIN,
  toHackerNewsItem,
  type HackerNewsItem,
  type HackerNewsMetadata,
  type RawHackerNewsItem,
  type SkipReason,
} from './story.js';
export { mapWithConcurrency } from './map-with-concurrency.js';
