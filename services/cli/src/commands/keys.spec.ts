import { expect } from 'chai';
import { keysEnvironment, parseKeysArgs } from './keys.js';

describe('trendmill keys (arguments)', () => {
  it('reads create with scopes and a name', () => {
    expect(parseKeysArgs(['create', '--scope', 'read,write', '--name', 'ci'])).to.include({
      action: 'create',
      name: 'ci',
    });
    expect((parseKeysArgs(['create', '--scope', 'admin']) as { scopes: string[] }).scopes).to.deep.equal([
      'admin',
    ]);
  });

  it('refuses unknown actions and scopes, and create without --scope', () => {
    expect(() => parseKeysArgs(['rotate'])).to.throw(/expected "create"/);
    expect(() => parseKeysArgs(['create', '--scope', 'root'])).to.throw(/unknown scope root/);
    expect(() => parseKeysArgs(['create'])).to.throw(/needs --scope/);
    expect(() => parseKeysArgs(['revoke'])).to.throw(/needs the key id/);
  });

  it('uses DATABASE_URL when set, else the embedded PGlite under TRENDMILL_DATA', () => {
    expect(keysEnvironment({ DATABASE_URL: 'postgres://x/y', GATEWAY_DB_SCHEMA: 'gw' })).to.deep.equal({
      databaseUrl: 'postgres://x/y',
      schema: 'gw',
    });
    // A new data directory: the PGlite database that holds the gateway's schema, as the launcher opens it.
    expect(keysEnvironment({ TRENDMILL_DATA: '/nonexistent/d' }).databaseUrl).to.equal(
      'pglite:///nonexistent/d/pglite/topics',
    );
  });
});
