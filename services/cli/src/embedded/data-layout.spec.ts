import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import { embeddedDatabaseUrl, embeddedLayout } from './data-layout.js';

describe('embedded data layout', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'trendmill-layout-'));
  });
  afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

  it('splits a new data directory in two databases: intake (collector, normalizer, embedder) and topics', () => {
    expect(embeddedLayout(dataDir)).to.equal('split');
    const url = (database: string) => `pglite://${join(dataDir, 'pglite', database)}`;
    for (const schema of ['collector', 'normalizer', 'embedder'])
      expect(embeddedDatabaseUrl(dataDir, schema), schema).to.equal(url('intake'));
    for (const schema of ['clusterer', 'query', 'gateway'])
      expect(embeddedDatabaseUrl(dataDir, schema), schema).to.equal(url('topics'));
  });

  it('keeps every schema in the one database of a data directory made before the split', () => {
    mkdirSync(join(dataDir, 'pglite'));
    writeFileSync(join(dataDir, 'pglite', 'PG_VERSION'), '17\n');
    expect(embeddedLayout(dataDir)).to.equal('shared');
    for (const schema of ['collector', 'gateway'])
      expect(embeddedDatabaseUrl(dataDir, schema)).to.equal(`pglite://${join(dataDir, 'pglite')}`);
  });

  it('refuses a schema that is not a plain name, or not one of the embedded services', () => {
    for (const schema of ['../gateway', 'a/b', 'Gateway', '', 'gate way'])
      expect(() => embeddedDatabaseUrl(dataDir, schema), schema).to.throw(/invalid schema name/);
    expect(() => embeddedDatabaseUrl(dataDir, 'gw')).to.throw(
      RangeError,
      /not one of the embedded default's/,
    );
  });
});
