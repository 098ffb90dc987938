import { expect } from 'chai';
import iconv from 'iconv-lite';
import { feedFixture } from '../../test/fixtures/feeds/index.js';
import { chooseCharset, decodeBody } from './decode-body.js';
import { parseFeed } from './index.js';

const FRENCH = 'Café crème brûlée à la française, déjà vu';
const SMART = '“Smart quotes” – it’s €5';
const itemTitle = (name: string, contentType?: string) =>
  parseFeed(feedFixture(name), contentType ? { contentType } : {}).items[0]?.title;

describe('feed encodings', () => {
  describe('fixtures', () => {
    it('UTF-8 without a BOM', () => {
      expect(itemTitle('utf8-no-bom.xml')).to.equal(`${FRENCH} “ok” — 日本語 ☕`);
    });

    it('UTF-8 with a BOM', () => {
      expect(parseFeed(feedFixture('utf8-bom.xml')).title).to.equal('UTF-8 with BOM');
      expect(itemTitle('utf8-bom.xml')).to.equal(`${FRENCH} “ok”`);
    });

    it('ISO-8859-1 declared in the XML declaration', () => {
      expect(itemTitle('iso-8859-1.xml')).to.equal(FRENCH);
    });

    it('windows-1252 declared in the XML declaration (smart quotes, en dash, euro)', () => {
      expect(itemTitle('windows-1252.xml')).to.equal(SMART);
    });

    it('ISO-8859-1 declared but 0x93/0x94 present: read as windows-1252 smart quotes, not C1 controls', () => {
      expect(itemTitle('iso-8859-1-smart-quotes.xml')).to.equal(SMART);
    });

    it('UTF-16LE with a BOM', () => {
      expect(itemTitle('utf16le-bom.xml')).to.equal(`${FRENCH} ☕`);
    });

    it('declared ISO-8859-1 but the bytes are valid multi-byte UTF-8: UTF-8 wins', () => {
      expect(itemTitle('declared-latin1-actually-utf8.xml')).to.equal(FRENCH);
    });

    it('declared UTF-8 but the bytes are windows-1252: the declaration is dropped and the bytes sniffed', () => {
      expect(itemTitle('declared-utf8-actually-windows-1252.xml')).to.equal(`${FRENCH} ${SMART}`);
    });

    it('no declaration: the Content-Type charset is used, else the bytes are sniffed', () => {
      expect(itemTitle('undeclared-latin1.xml', 'application/rss+xml; charset=ISO-8859-1')).to.equal(FRENCH);
      expect(itemTitle('undeclared-latin1.xml')).to.equal(FRENCH);
    });
  });

  describe('chooseCharset', () => {
    const latin1Declaring = (encoding: string) =>
      iconv.encode(`<?xml version="1.0" encoding="${encoding}"?><rss><title>café</title></rss>`, 'latin1');

    it('prefers the Content-Type charset over the XML declaration', () => {
      const body = latin1Declaring('ISO-8859-5');
      expect(chooseCharset(body)).to.equal('iso-8859-5');
      expect(chooseCharset(body, 'text/xml; charset="ISO-8859-1"')).to.equal('windows-1252');
      expect(decodeBody(body, 'text/xml; charset=latin1').text).to.contain('<title>café</title>');
    });

    it('falls through to the XML declaration when the Content-Type says UTF-8 and the bytes are not', () => {
      expect(chooseCharset(feedFixture('iso-8859-1.xml'), 'application/xml; charset=utf-8')).to.equal(
        'windows-1252',
      );
    });

    it('ignores charset labels it does not know', () => {
      expect(chooseCharset(latin1Declaring('x-klingon'), 'text/xml; charset=x-bogus')).to.equal(
        'windows-1252',
      );
    });

    it('trusts a byte-order mark over any declaration, and drops the BOM from the text', () => {
      const body = feedFixture('utf8-bom.xml');
      expect(chooseCharset(body, 'text/xml; charset=iso-8859-1')).to.equal('utf-8');
      expect(decodeBody(body).text.startsWith('<?xml')).to.equal(true);
      expect(chooseCharset(Buffer.from([0xfe, 0xff, 0, 0x3c]))).to.equal('utf-16be');
    });

    it('recognises BOM-less UTF-16 from the zero bytes beside a leading < or {', () => {
      expect(chooseCharset(iconv.encode('<?xml version="1.0"?><rss/>', 'utf-16le'))).to.equal('utf-16le');
      expect(chooseCharset(iconv.encode('<?xml version="1.0"?><rss/>', 'utf-16be'))).to.equal('utf-16be');
      expect(chooseCharset(iconv.encode('{"version": 1}', 'utf-16le'))).to.equal('utf-16le');
    });

    it('drops a UTF-16 declaration that the bytes contradict', () => {
      expect(chooseCharset(Buffer.from('<?xml version="1.0" encoding="UTF-16"?><rss/>'))).to.equal('utf-8');
    });

    it('keeps a declared single-byte charset for pure ASCII bytes', () => {
      expect(chooseCharset(Buffer.from('<rss/>'), 'text/xml; charset=koi8-r')).to.equal('koi8-r');
    });

    it('defaults to UTF-8 when nothing is declared and the bytes are valid UTF-8', () => {
      expect(chooseCharset(Buffer.from('<rss><title>日本語</title></rss>'))).to.equal('utf-8');
    });
  });
});
