import { buildItem, cleanText } from './feed-item.js';
import { absoluteUrl, resolveLink } from './resolve-links.js';
import { failedFeed, type ParsedFeed } from './types.js';

type Json = Record<string, unknown>;

const VERSION = /^https?:\/\/jsonfeed\.org\/version\/1(\.\d+)?\/?$/;

/**
 * Reads a JSON Feed 1.0 / 1.1 (https://jsonfeed.org/version/1.1). The top level must be an object
 * with a jsonfeed.org `version` and an `items` array; items that are not objects are skipped and
 * fields of the wrong type count as missing. Relative URLs resolve against the feed URL, else the
 * feed's own `feed_url` / `home_page_url`.
 */
export function parseJsonFeed(text: string, feedUrl: string | null): ParsedFeed {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    return failedFeed(`malformed JSON: ${(err as Error).message}`);
  }
  if (!isObject(doc)) return failedFeed('not a JSON Feed: the top level is not an object');
  if (typeof doc.version !== 'string' || !VERSION.test(doc.version))
    return failedFeed('not a JSON Feed: "version" is not https://jsonfeed.org/version/1 or 1.x');
  if (!Array.isArray(doc.items)) return failedFeed('not a JSON Feed: "items" is not an array');

  const base = feedUrl ?? absoluteUrl(str(doc.feed_url)) ?? absoluteUrl(str(doc.home_page_url));
  const feedAuthor = authorOf(doc);
  return {
    title: cleanText(str(doc.title)),
    link: resolveLink(str(doc.home_page_url), base),
    items: doc.items.filter(isObject).map((item) =>
      buildItem({
        guid: typeof item.id === 'number' ? String(item.id) : str(item.id),
        title: str(item.title),
        link: resolveLink(str(item.url) ?? str(item.external_url), base),
        published: date(item.date_published) ?? date(item.date_modified),
        author: authorOf(item) ?? feedAuthor,
        summary: str(item.summary),
        content: str(item.content_html) ?? str(item.content_text),
      }),
    ),
  };
}

/** 1.1 `authors[0]`, else 1.0 `author`: its name, else its URL. */
function authorOf(node: Json): string | null {
  const author = Array.isArray(node.authors) ? node.authors.find(isObject) : node.author;
  if (!isObject(author)) return null;
  return cleanText(str(author.name)) ?? cleanText(str(author.url));
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function date(value: unknown): Date | null {
  if (typeof value !== 'string') return null;
  const parsed = new Date(value);
  return Number.isNaN(parsed.getTime()) ? null : parsed;
}
