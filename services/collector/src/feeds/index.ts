export { parseFeed, parseFeedWithFormat, DEFAULT_MAX_FEED_BYTES } from './parse-feed.js';
export { decodeBody, chooseCharset, type DecodedBody } from './decode-body.js';
export { ENTITIES_REFUSED } from './xml-safety.js';
export type { FeedFormat, ParsedFeed, ParsedFeedItem, ParseFeedOptions } from './types.js';
