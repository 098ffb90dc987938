import { AtomFeed } from '@rowanmanning/feed-parser/lib/feed/atom.js';
import { RssFeed } from '@rowanmanning/feed-parser/lib/feed/rss.js';
import { expect } from 'chai';
import { parseFeed } from './index.js';

/** Counts calls of a getter on a prototype while `body` runs. */
function countGetterCalls(proto: object, names: string[], body: () => void): Record<string, number> {
  const counts: Record<string, number> = {};
  const originals = names.map((name) => [name, Object.getOwnPropertyDescriptor(proto, name)!] as const);
  for (const [name, descriptor] of originals) {
    counts[name] = 0;
    Object.defineProperty(proto, name, {
      ...descriptor,
      get(this: unknown) {
        counts[name]!++;
        return descriptor.get!.call(this);
      },
    });
  }
  try {
    body();
  } finally {
    for (const [name, descriptor] of originals) Object.defineProperty(proto, name, descriptor);
  }
  return counts;
}

describe('parseXmlFeed on large feeds', () => {
  const items = (n: number, entry: (i: number) => string) =>
    Array.from({ length: n }, (_, i) => entry(i)).join('');

  it('computes RSS feed-level fallbacks once, not once per item (quadratic on large feeds)', () => {
    const body = `<rss version="2.0"><channel><title>t</title><link>https://x.test/</link>${items(
      50,
      (i) => `<item><title>${i}</title><link>/p/${i}</link></item>`,
    )}</channel></rss>`;
    let feed;
    const counts = countGetterCalls(RssFeed.prototype, ['url', 'authors', 'categories'], () => {
      feed = parseFeed(body);
    });
    expect(feed!.items).to.have.length(50);
    expect(counts).to.deep.equal({ url: 1, authors: 1, categories: 1 });
  });

  it('computes Atom feed-level fallbacks once, not once per entry', () => {
    const body = `<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><link href="https://x.test/"/>${items(
      50,
      (i) => `<entry><id>${i}</id><link href="/p/${i}"/></entry>`,
    )}</feed>`;
    let feed;
    const counts = countGetterCalls(AtomFeed.prototype, ['url', 'authors', 'categories'], () => {
      feed = parseFeed(body);
    });
    expect(feed!.items).to.have.length(50);
    expect(counts).to.deep.equal({ url: 1, authors: 1, categories: 1 });
  });
});
