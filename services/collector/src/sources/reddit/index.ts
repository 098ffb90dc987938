export {
  createRedditClient,
  DEFAULT_RATE_LIMIT_DELAY_MS,
  REDDIT_API_ORIGIN,
  REDDIT_PAGE_SIZE,
  type FetchSubredditOptions,
  type RedditClient,
  type RedditClientOptions,
  type RedditSort,
  type RedditTopPeriod,
  type SubredditFetchResult,
} from './reddit-client.js';
export {
  parseListing,
  REDDIT_WEB_ORIGIN,
  RedditResponseError,
  type ParsedListing,
  type RedditItem,
  type RedditMetadata,
} from './listing.js';
export { InvalidSubredditNameError, parseSubredditName } from './subreddit-name.js';
export type { SourceItem } from '../source-item.js';
