import { expect } from 'chai';
import fs, { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { feedFixture } from '../../test/fixtures/feeds/index.js';
import { ENTITIES_REFUSED, parseFeed } from './index.js';
import { parseXmlDocument } from './xml-document.js';
import { makeXmlSafe } from './xml-safety.js';

const refused = { title: null, link: null, items: [], error: ENTITIES_REFUSED };
const rssWith = (doctype: string, title = '&e;') =>
  `<?xml version="1.0"?>${doctype}<rss version="2.0"><channel><title>${title}</title></channel></rss>`;

describe('XML safety', () => {
  describe('entity declarations', () => {
    it('refuses billion laughs without expanding it: heap grows by less than 50 MB', () => {
      const body = feedFixture('billion-laughs.xml');
      const heapBefore = process.memoryUsage().heapUsed;
      const result = parseFeed(body);
      const heapGrowth = process.memoryUsage().heapUsed - heapBefore;
      expect(result).to.deep.equal(refused);
      expect(heapGrowth).to.be.below(50 * 1024 * 1024);
    });

    it('refuses XXE (SYSTEM "file:///etc/passwd") without reading the file', () => {
      const result = parseFeed(feedFixture('xxe.xml'));
      expect(result).to.deep.equal(refused);
      expect(JSON.stringify(result)).not.to.contain('root:');
    });

    it('never opens a file named by an external entity', () => {
      const dir = mkdtempSync(join(tmpdir(), 'trendmill-xxe-'));
      const secret = join(dir, 'secret.txt');
      writeFileSync(secret, 'TOP-SECRET-MARKER');
      const opened: unknown[] = [];
      const { openSync, readFileSync } = fs;
      fs.openSync = ((...args: Parameters<typeof openSync>) => {
        opened.push(args[0]);
        return openSync(...args);
      }) as typeof openSync;
      fs.readFileSync = ((...args: Parameters<typeof readFileSync>) => {
        opened.push(args[0]);
        return readFileSync(...args);
      }) as typeof readFileSync;
      try {
        const url = pathToFileURL(secret).href;
        const results = [
          parseFeed(rssWith(`<!DOCTYPE rss [<!ENTITY e SYSTEM "${url}">]>`)),
          parseFeed(rssWith(`<!DOCTYPE rss [<!ENTITY % p SYSTEM "${url}"> %p;]>`)),
        ];
        expect(results).to.deep.equal([refused, refused]);
        expect(JSON.stringify(results)).not.to.contain('TOP-SECRET');
        expect(opened.filter((path) => String(path).includes(dir))).to.deep.equal([]);
      } finally {
        fs.openSync = openSync;
        fs.readFileSync = readFileSync;
        rmSync(dir, { recursive: true });
      }
    });

    it('refuses entity declarations however the DOCTYPE is spelled or wherever it is put', () => {
      const declared = '[<!ENTITY e "boom">]>';
      for (const body of [
        rssWith(`<!doctype rss ${declared}`),
        rssWith(`<!DOCTYPE rss PUBLIC "-//x//EN" "http://x.test/a.dtd" ${declared}`),
        rssWith(`<!DOCTYPE rss [<!-- a comment --><!entity e "boom">]>`),
        `<rss version="2.0"><!DOCTYPE rss ${declared}<channel><title>&e;</title></channel></rss>`,
      ]) {
        expect(parseFeed(body), body).to.deep.equal(refused);
      }
    });

    it('ignores a DOCTYPE inside a comment or CDATA section, as the parser does', () => {
      const feed = parseFeed(
        rssWith('<!-- <!DOCTYPE rss [<!ENTITY e "x">]> -->', '<![CDATA[<!DOCTYPE x [<!ENTITY y "z">]>]]>'),
      );
      expect(feed.error).to.equal(undefined);
      expect(feed.title).to.equal('<!DOCTYPE x [<!ENTITY y "z">]>');
    });

    it('keeps a DOCTYPE without entity declarations out of the parser, and never fetches its DTD', () => {
      expect(parseFeed(feedFixture('external-dtd.xml'))).to.deep.equal({
        title: 'External DTD is never read',
        link: 'https://dtd.example.com/',
        items: [
          {
            id: 'https://dtd.example.com/1',
            title: 'Undeclared &ext; stays as written',
            link: 'https://dtd.example.com/1',
            published: null,
            author: null,
            summary: null,
            content: null,
          },
        ],
      });
    });

    it('would not expand DTD entities even if a DOCTYPE reached the parser (second line of defence)', () => {
      const doc = parseXmlDocument(rssWith('<!DOCTYPE rss [<!ENTITY e "EXPANDED">]>', 'a &e; &amp; b'));
      expect(JSON.stringify(doc)).not.to.contain('EXPANDED');
      expect(JSON.stringify(doc)).to.contain('a &e; & b');
    });
  });

  describe('makeXmlSafe', () => {
    it('replaces a DOCTYPE by its newlines so error lines stay right', () => {
      const xml = '<?xml version="1.0"?>\n<!DOCTYPE rss\n  SYSTEM "x.dtd">\n<rss>\n<a></b>\n</rss>';
      expect(makeXmlSafe(xml).xml).to.equal('<?xml version="1.0"?>\n\n\n<rss>\n<a></b>\n</rss>');
      expect(parseFeed(xml).error).to.match(/^malformed XML at line 5, /);
      expect(parseFeed(`\n\n${xml}`).error).to.match(/^malformed XML at line 7, /);
    });

    it('escapes bare ampersands outside comments and CDATA only', () => {
      expect(makeXmlSafe('<a href="?a=1&b=2">AT&T &amp; &#38; &#x26; &eacute;</a>').xml).to.equal(
        '<a href="?a=1&amp;b=2">AT&amp;T &amp; &#38; &#x26; &eacute;</a>',
      );
      expect(makeXmlSafe('<a><![CDATA[R&D]]><!-- Q&A --></a>').xml).to.equal(
        '<a><![CDATA[R&D]]><!-- Q&A --></a>',
      );
    });

    it('reports an unterminated DOCTYPE', () => {
      expect(makeXmlSafe('<!DOCTYPE rss "unclosed').error).to.equal('malformed XML: unterminated DOCTYPE');
    });

    it('copies an unterminated comment or CDATA section to the end, for the validator to report', () => {
      expect(makeXmlSafe('<a><![CDATA[x & y').xml).to.equal('<a><![CDATA[x & y');
      expect(parseFeed('<rss><![CDATA[x & y').error).to.match(/^malformed XML/);
    });
  });
});
