import { expect } from 'chai';
import { generateApiKey, hashSecret, maskKey, parseApiKey, secretMatches } from './api-key-format.js';
import { grants, parseScopes } from './scopes.js';

describe('API key format', () => {
  it('generates keys that parse back to their id and match their own hash only', () => {
    const key = generateApiKey();
    const parsed = parseApiKey(key.plaintext);
    expect(parsed?.id).to.equal(key.id);
    expect(secretMatches(key.salt, parsed!.secret, key.hash)).to.equal(true);
    const other = generateApiKey();
    expect(secretMatches(key.salt, parseApiKey(other.plaintext)!.secret, key.hash)).to.equal(false);
    expect(key.hash).to.not.include(parsed!.secret);
  });

  it('salts each key so equal secrets hash differently', () => {
    expect(hashSecret('a', 'secret')).to.not.equal(hashSecret('b', 'secret'));
  });

  it('refuses strings that are not keys', () => {
    for (const bad of [
      '',
      'tm_',
      'Bearer x',
      `tm_ABCDEFGHIJKL_${'a'.repeat(43)}`,
      `tm_abcdefghijkl_${'a'.repeat(42)}`,
    ])
      expect(parseApiKey(bad), bad).to.equal(undefined);
  });

  it('masks keys for display', () => {
    expect(maskKey('abc')).to.equal('tm_abc_…');
  });
});

describe('scopes', () => {
  it('ranks admin over write over read', () => {
    expect(grants(['admin'], 'read')).to.equal(true);
    expect(grants(['write'], 'admin')).to.equal(false);
    expect(grants(['read'], 'write')).to.equal(false);
    expect(grants(['bogus'], 'read')).to.equal(false);
  });

  it('parses comma lists and refuses unknown or empty ones', () => {
    expect(parseScopes('read, write,read')).to.deep.equal(['read', 'write']);
    expect(() => parseScopes('read,root')).to.throw(/unknown scope root/);
    expect(() => parseScopes(' , ')).to.throw(/at least one/);
  });
});
