import { decodeBody } from './decode-body.js';
import { parseJsonFeed } from './json-feed.js';
import { absoluteUrl } from './resolve-links.js';
import {
  failedFeed,
  type FeedFormat,
  type FormatSink,
  type ParseFeedOptions,
  type ParsedFeed,
} from './types.js';
import { parseXmlFeed } from './xml-feed.js';

export const DEFAULT_MAX_FEED_BYTES = 10 * 1024 * 1024;

/**
 * Reads an RSS, RDF, Atom or JSON Feed body. Never throws: a body that cannot be read gives
 * `{ title: null, link: null, items: [], error }` with the reason.
 */
export function parseFeed(body: Buffer | string, options: ParseFeedOptions = {}): ParsedFeed {
  return parseFeedWithFormat(body, options).feed;
}

/** parseFeed, plus the format the feed was read as (null when it could not be read). */
export function parseFeedWithFormat(
  body: Buffer | string,
  options: ParseFeedOptions = {},
): { feed: ParsedFeed; format: FeedFormat | null } {
  const found: FormatSink = {};
  let feed: ParsedFeed;
  try {
    feed = readFeed(body, options, found);
  } catch (err) {
    feed = failedFeed(`could not read feed: ${err instanceof Error ? err.message : String(err)}`);
  }
  return { feed, format: feed.error === undefined ? (found.format ?? null) : null };
}

function readFeed(
  body: Buffer | string | Uint8Array,
  options: ParseFeedOptions,
  found: FormatSink,
): ParsedFeed {
  if (typeof body !== 'string' && !(body instanceof Uint8Array))
    return failedFeed('body must be a Buffer or a string');
  const maxBytes = validLimit(options.maxBytes) ?? DEFAULT_MAX_FEED_BYTES;
  const size = typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
  if (size > maxBytes) return failedFeed(`feed is ${size} bytes, over the ${maxBytes}-byte limit`);

  const feedUrl = options.url === undefined ? null : absoluteUrl(options.url);
  if (options.url !== undefined && !feedUrl)
    return failedFeed(`feed URL "${options.url}" is not an absolute URL`);

  const text =
    typeof body === 'string'
      ? body.replace(/^\uFEFF/, '')
      : decodeBody(Buffer.isBuffer(body) ? body : Buffer.from(body), options.contentType).text;
  const start = text.search(/\S/);
  if (start === -1) return failedFeed('empty body');
  const first = text.charAt(start);
  if (first === '{' || first === '[') {
    found.format = 'jsonfeed';
    return parseJsonFeed(text, feedUrl);
  }
  if (first === '<') return parseXmlFeed(text, feedUrl, found);
  return failedFeed('not a feed: the body is neither XML nor JSON');
}

function validLimit(maxBytes: unknown): number | null {
  return typeof maxBytes === 'number' && maxBytes >= 0 && Number.isFinite(maxBytes) ? maxBytes : null;
}
