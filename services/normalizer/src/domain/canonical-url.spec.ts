import { expect } from 'chai';
import fc from 'fast-check';
import { canonicalUrl, isTrackingParameter } from './canonical-url.js';

describe('canonicalUrl', () => {
  it('lower-cases scheme and host, drops the default port and the fragment, keeps path case', () => {
    expect(canonicalUrl('HTTPS://News.Example.COM:443/World/Story-1#comments')).to.equal(
      'https://news.example.com/World/Story-1',
    );
    expect(canonicalUrl('http://example.com:80/a')).to.equal('http://example.com/a');
    expect(canonicalUrl('http://example.com:8080/a')).to.equal('http://example.com:8080/a');
  });

  it('drops tracking parameters and sorts the others, keeping their encoding', () => {
    expect(
      canonicalUrl(
        'https://example.com/s?utm_source=x&utm_Medium=y&q=a%20b&fbclid=1&gclid=2&b=2&a=1&mc_eid=3&_hsenc=4',
      ),
    ).to.equal('https://example.com/s?a=1&b=2&q=a%20b');
  });

  it('keeps the order of repeated parameters', () => {
    expect(canonicalUrl('https://example.com/?tag=b&id=1&tag=a')).to.equal(
      'https://example.com/?id=1&tag=b&tag=a',
    );
  });

  it('removes a bare or emptied query', () => {
    expect(canonicalUrl('https://example.com/a?')).to.equal('https://example.com/a');
    expect(canonicalUrl('https://example.com/a?utm_source=rss&&')).to.equal('https://example.com/a');
  });

  it('resolves relative links against a base', () => {
    expect(canonicalUrl('../b/c?x=1', 'https://Example.com/a/d/e')).to.equal('https://example.com/a/b/c?x=1');
    expect(canonicalUrl('//cdn.example.com/x', 'http://example.com/')).to.equal('http://cdn.example.com/x');
  });

  it('drops credentials and a trailing dot on the host', () => {
    expect(canonicalUrl('https://user:secret@example.com./a')).to.equal('https://example.com/a');
  });

  it('gives undefined for what is not an http(s) URL', () => {
    for (const raw of [
      '',
      '   ',
      'not a url',
      '/relative/without/base',
      'mailto:a@example.com',
      'javascript:alert(1)',
      'ftp://example.com/',
      null,
      undefined,
    ]) {
      expect(canonicalUrl(raw), String(raw)).to.equal(undefined);
    }
  });

  it('knows the documented tracking parameters, and not generic names', () => {
    for (const name of [
      'utm_source',
      'UTM_CAMPAIGN',
      'fbclid',
      'gclid',
      'dclid',
      'msclkid',
      'mc_cid',
      'mc_eid',
      'igshid',
      'ref_src',
      '_hsenc',
      '_hsmi',
      'yclid',
      'pk_campaign',
    ]) {
      expect(isTrackingParameter(name), name).to.equal(true);
    }
    for (const name of ['id', 'ref', 'source', 'page', 'q', 'v'])
      expect(isTrackingParameter(name), name).to.equal(false);
  });

  const urlish = fc.oneof(
    fc.webUrl({ withQueryParameters: true, withFragments: true }),
    fc
      .tuple(
        fc.webUrl({ withQueryParameters: true }),
        fc.array(
          fc.tuple(fc.constantFrom('utm_source', 'b', 'A', 'fbclid', 'a', '', 'x y', '%zz'), fc.string()),
          { maxLength: 5 },
        ),
      )
      .map(
        ([url, params]) =>
          `${url}${url.includes('?') ? '&' : '?'}${params.map(([k, v]) => `${k}=${v}`).join('&')}`,
      ),
    fc.string({ unit: 'grapheme' }),
    fc.string({ unit: 'binary' }),
  );

  it('never throws (property)', () => {
    fc.assert(
      fc.property(urlish, fc.option(fc.oneof(fc.webUrl(), fc.string())), (raw, base) => {
        const result = canonicalUrl(raw, base);
        expect(result === undefined || typeof result === 'string').to.equal(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('is idempotent (property)', () => {
    fc.assert(
      fc.property(urlish, (raw) => {
        const once = canonicalUrl(raw);
        if (once !== undefined) expect(canonicalUrl(once)).to.equal(once);
      }),
      { numRuns: 1000 },
    );
  });
});
