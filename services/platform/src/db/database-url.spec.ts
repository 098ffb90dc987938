import { expect } from 'chai';
import { parseDatabaseUrl, redactDatabaseUrl } from './database-url.js';

describe('parseDatabaseUrl', () => {
  it('sends postgres:// and postgresql:// URLs to PostgreSQL unchanged', () => {
    for (const url of ['postgres://u:p@db:5432/trendmill', 'postgresql://localhost/x?sslmode=require']) {
      expect(parseDatabaseUrl(url)).to.deep.equal({ kind: 'postgres', url });
    }
  });

  it('reads pglite:// as in-memory or a data directory, relative or absolute', () => {
    expect(parseDatabaseUrl('pglite://memory')).to.deep.equal({ kind: 'pglite', location: 'memory' });
    expect(parseDatabaseUrl('pglite://memory/tests')).to.deep.equal({
      kind: 'pglite',
      location: 'memory/tests',
    });
    expect(parseDatabaseUrl('pglite://./data/pglite')).to.deep.equal({
      kind: 'pglite',
      location: './data/pglite',
    });
    expect(parseDatabaseUrl('pglite://data/pglite')).to.deep.equal({
      kind: 'pglite',
      location: 'data/pglite',
    });
    expect(parseDatabaseUrl('pglite:///var/lib/tm')).to.deep.equal({
      kind: 'pglite',
      location: '/var/lib/tm',
    });
  });

  it('rejects other schemes and empty locations, without echoing a password', () => {
    expect(() => parseDatabaseUrl('mysql://root:hunter2@db/x')).to.throw(
      /unsupported.*mysql:\/\/root:\*\*\*@db/,
    );
    expect(() => parseDatabaseUrl('mysql://root:hunter2@db/x')).not.to.throw(/hunter2/);
    expect(() => parseDatabaseUrl('./data')).to.throw(/unsupported/);
    expect(() => parseDatabaseUrl('pglite://')).to.throw(/no PGlite location/);
  });
});

describe('redactDatabaseUrl', () => {
  it('hides the password and keeps the rest', () => {
    expect(redactDatabaseUrl('postgres://svc:s3cret@db:5432/tm')).to.equal('postgres://svc:***@db:5432/tm');
    expect(redactDatabaseUrl('postgres://db/tm')).to.equal('postgres://db/tm');
  });
});
