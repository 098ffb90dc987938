import { expect } from 'chai';
import { MigrationChecksumError, migrationLockKey } from './migrator.js';

describe('migrationLockKey', () => {
  it('is a stable signed 64-bit integer per schema', () => {
    const key = migrationLockKey('collector');
    expect(key).to.equal(migrationLockKey('collector'));
    expect(key).to.match(/^-?\d+$/);
    const n = BigInt(key);
    expect(n >= -(2n ** 63n) && n < 2n ** 63n).to.equal(true);
  });

  it('differs between schemas, so services migrate in parallel', () => {
    const schemas = ['collector', 'normalizer', 'embedder', 'clusterer', 'query', 'gateway'];
    expect(new Set(schemas.map(migrationLockKey)).size).to.equal(schemas.length);
  });
});

describe('MigrationChecksumError', () => {
  it('names the file, the schema and what to do instead', () => {
    const error = new MigrationChecksumError(
      '20260101000000_a',
      '/m/20260101000000_a/migration.sql',
      'aaa',
      'bbb',
      'query',
    );
    expect(error.name).to.equal('MigrationChecksumError');
    expect(error.message).to.equal(
      'migration /m/20260101000000_a/migration.sql was changed after it was applied to schema "query" ' +
        '(recorded sha256 aaa, file now bbb); migrations are forward-only: restore the file and put the change in a new migration',
    );
  });
});
