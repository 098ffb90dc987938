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

  it('absoluteUrl accepts only absolute URLs', () => {
    expect(absoluteUrl('https://example.com')).to.equal('https://example.com/');
    expect(absoluteUrl('/feed.xml')).to.equal(null);
    expect(absoluteUrl(undefined)).to.equal(null);
  });
});
