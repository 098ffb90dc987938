import type { FeedAuthor } from '@rowanmanning/feed-parser/lib/feed/base.js';
import type { FeedItem } from '@rowanmanning/feed-parser/lib/feed/item/base.js';
import { AtomFeed } from '@rowanmanning/feed-parser/lib/feed/atom.js';
import { RssFeed } from '@rowanmanning/feed-parser/lib/feed/rss.js';
import { Document } from '@rowanmanning/feed-parser/lib/xml/document.js';
import { buildItem, cleanText } from './feed-item.js';
import { resolveLink } from './resolve-links.js';
import { failedFeed, type FormatSink, type ParsedFeed } from './types.js';
import { firstElementName, parseXmlDocument, setRootBase } from './xml-document.js';
import { makeXmlSafe } from './xml-safety.js';

/**
 * Reads RSS 0.9x / 2.0, RDF (RSS 1.0) and Atom 0.3 / 1.0. The XML is made safe and parsed here;
 * @rowanmanning/feed-parser's feed classes then do the format knowledge (which element holds what,
 * dates, xml:base, entity-decoded text).
 */
export function parseXmlFeed(text: string, feedUrl: string | null, found: FormatSink = {}): ParsedFeed {
  // Whitespace before `<?xml` (PHP feeds) is not well-formed but harmless: drop it, keep line numbers.
  const leading = /^\s*/.exec(text)?.[0] ?? '';
  const safe = makeXmlSafe(text.slice(leading.length));
  if (safe.error !== undefined) return failedFeed(safe.error);
  if (firstElementName(safe.xml)?.toLowerCase() === 'html')
    return failedFeed('not a feed: the body is an HTML page');

  const doc = parseXmlDocument(safe.xml, leading.split('\n').length - 1);
  if ('error' in doc) return failedFeed(doc.error);
  const kind = feedKind(doc.rootName);
  if (!kind)
    return failedFeed(`not a feed: the root element is <${doc.rootName}>, not <rss>, <rdf:RDF> or <feed>`);
  if (feedUrl) setRootBase(doc, feedUrl);

  const document = new Document(doc.nodes);
  let feed: RssFeed | AtomFeed;
  try {
    feed = kind === 'atom' ? new AtomFeed(document) : new RssFeed(document);
  } catch (err) {
    // feed-parser's InvalidFeedError: the XML is a feed's root but not a usable feed (no <channel>).
    if (err instanceof Error && 'code' in err && err.code === 'INVALID_FEED')
      return failedFeed(`not a feed: ${err.message}`);
    throw err;
  }
  freezeFeedLevelFields(feed);
  found.format = kind === 'atom' ? 'atom' : /(^|:)rdf$/i.test(doc.rootName) ? 'rdf' : 'rss';
  return {
    title: cleanText(feed.title),
    link: resolveLink(feed.url, feedUrl),
    items: feed.items.map((item) =>
      buildItem({
        guid: item.id,
        title: item.title,
        link: resolveLink(item.url ?? permalinkGuid(item), feedUrl),
        // Atom entries often carry only <updated>; it is the best publication date they give.
        published: item.published ?? item.updated,
        author: authorName(item.authors),
        summary: item.description,
        content: item.content,
      }),
    ),
  };
}

/**
 * Every item asks its feed for `url`, `authors` and `categories` (as a base or a fallback), and
 * feed-parser recomputes them from all of the channel's children each time: quadratic in the number
 * of items. Computing them once and pinning them on the instance keeps a large feed linear.
 */
function freezeFeedLevelFields(feed: RssFeed | AtomFeed): void {
  for (const name of ['url', 'authors', 'categories'] as const) {
    Object.defineProperty(feed, name, { value: feed[name] });
  }
}

function feedKind(rootName: string): 'rss' | 'atom' | null {
  const local = rootName.slice(rootName.indexOf(':') + 1).toLowerCase();
  if (local === 'rss' || local === 'rdf') return 'rss';
  return local === 'feed' ? 'atom' : null;
}

/** An RSS 2.0 <guid> is the item's permalink unless isPermaLink="false". */
function permalinkGuid(item: FeedItem): string | null {
  const guid = item.element.findElementWithName('guid');
  if (!guid || guid.getAttribute('ispermalink')?.trim() === 'false') return null;
  const value = guid.textContentAsUrl;
  return /^https?:\/\//i.test(value) ? value : null;
}

function authorName(authors: FeedAuthor[]): string | null {
  for (const author of authors) {
    const name = author.name ?? author.email ?? author.url;
    if (name) return name;
  }
  return null;
}
