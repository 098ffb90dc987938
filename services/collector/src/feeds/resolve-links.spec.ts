import { expect } from 'chai';
import { absoluteUrl, resolveLink } from './resolve-links.js';

describe('resolveLink', () => {
  const base = 'https://example.com/feeds/main.xml';

  it('resolves relative links against the base', () => {
    expect(resolveLink('/a', base)).to.equal('https://example.com/a');
    expect(resolveLink(' b?x=1 ', base)).to.equal('https://example.com/feeds/b?x=1');
    expect(resolveLink('//cdn.example.net/c', base)).to.equal('https://cdn.example.net/c');
  });

  it('keeps absolute http(s) links and drops other schemes', () => {
    expect(resolveLink('http://other.test/x', base)).to.equal('http://other.test/x');
    for (const link of [
      'javascript:alert(1)',
      'JavaScript:alert(1)',
      'data:text/html,hi',
      'file:///etc/passwd',
    ])
      expect(resolveLink(link, base), link).to.equal(null);
    expect(resolveLink('javascript:alert(1)')).to.equal(null);
  });

  it('keeps a relative link as written when there is no base, and turns blanks into null', () => {
    expect(resolveLink('/a')).to.equal('/a');
    expect(resolveLink('   ')).to.equal(null);
    expect(resolveLink(null, base)).to.equal(null);
  });

  it('drops a link that does not resolve against a usable base (found by the mutation fuzz: a NUL in the host)', () => {
    expect(resolveLink('//\u0000dn.example.net/3', 'https://example.com/feed/')).to.equal(null);
    expect(resolveLink('/ok', 'https://example.com/feed/')).to.equal('https://example.com/ok');
    // An unusable base is no base: the relative link is kept as written.
    expect(resolveLink('/ok', 'not a url')).to.equal('/ok');
  });

  it('absoluteUrl accepts only absolute URLs', () => {
    expect(absoluteUrl('https://example.com')).to.equal('https://example.com/');
    expect(absoluteUrl('/feed.xml')).to.equal(null);
    expect(absoluteUrl(undefined)).to.equal(null);
  });
});
