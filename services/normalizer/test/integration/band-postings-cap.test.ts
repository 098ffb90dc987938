import { expect } from 'chai';
import { createPrismaClient, migrate, qualified } from '@trendmill/platform';
import { createPostgresTestDatabase, type TestDatabase } from '@trendmill/platform/testing';
import { BAND_POSTINGS_CAP, InMemoryNearDuplicateStore } from '../../src/domain/index.js';
import { NORMALIZER_MIGRATIONS_DIR } from '../../src/service.js';
import { FingerprintStore, bandKeySql } from '../../src/store/fingerprint-store.js';
import { PrismaClient } from '../../src/store/prisma.js';

/**
 * The PostgreSQL store skips a band key held by more than BAND_POSTINGS_CAP items, as the in-memory
 * store does, so a lookup reads a bounded number of postings however many items share a common key.
 */
describe('normalizer fingerprint store: common band keys are skipped (PostgreSQL)', function () {
  this.timeout(60_000);
  let db: TestDatabase;
  let prisma: PrismaClient;
  const table = (name: string) => qualified(db.schema, name);

  before(async () => {
    db = await createPostgresTestDatabase({ prefix: 'normcap' });
    await migrate(db.sql, { schema: db.schema, dirs: [NORMALIZER_MIGRATIONS_DIR] });
    prisma = createPrismaClient(PrismaClient, db);
  });
  after(async () => {
    await prisma?.$disconnect();
    await db.close();
  });

  /** `count` stored items holding `key` (item-<prefix>-NNNN), one of which (the 8th) also holds `rare-<prefix>`. */
  async function store(prefix: string, key: string, count: number): Promise<void> {
    const ids = Array.from({ length: count }, (_, i) => `item-${prefix}-${String(i).padStart(4, '0')}`);
    await db.sql.query(
      `INSERT INTO ${table('fingerprints')} (item_id, source_id, content_hash, signature)
       SELECT id, 's', 'hash-' || id, 'sig-' || id FROM unnest($1::text[]) AS id`,
      [ids],
    );
    await db.sql.query(
      `INSERT INTO ${table('fingerprint_bands')} (band_key, item_id)
       SELECT ${bandKeySql('k')}, id FROM unnest($1::text[], $2::text[]) AS b(k, id)`,
      [
        [...ids.map(() => key), `rare-${prefix}`],
        [...ids, ids[7]!],
      ],
    );
  }

  const lookup = (keys: string[]) =>
    prisma.$transaction((tx) =>
      new FingerprintStore(tx, db.schema).lookup(
        [
          {
            itemId: 'probe',
            canonicalUrl: undefined,
            contentHash: 'probe',
            fingerprint: { signature: 'x', bandKeys: keys },
          },
        ],
        1_000,
      ),
    );

  it('finds every item of a key held by BAND_POSTINGS_CAP items, and none of a key held by one more', async () => {
    await store('a', 'held-by-cap', BAND_POSTINGS_CAP);
    await store('b', 'held-by-more', BAND_POSTINGS_CAP + 1);
    const full = await lookup(['held-by-cap']);
    expect(full.candidates[0]).to.have.length(BAND_POSTINGS_CAP);
    const skipped = await lookup(['held-by-more']);
    expect(skipped.candidates[0]).to.deep.equal([]);
    // The other keys of the lookup still count, the same as the in-memory store counts them.
    const mixed = await lookup(['held-by-more', 'rare-b']);
    expect(mixed.candidates[0]).to.deep.equal([
      { itemId: 'item-b-0007', signature: 'sig-item-b-0007', shared: 1 },
    ]);
    const memory = new InMemoryNearDuplicateStore();
    for (let i = 0; i <= BAND_POSTINGS_CAP; i++)
      memory.addNow(
        `item-b-${String(i).padStart(4, '0')}`,
        ['held-by-more', ...(i === 7 ? ['rare-b'] : [])],
        `sig-item-b-${String(i).padStart(4, '0')}`,
      );
    expect(memory.candidatesNow(['held-by-more', 'rare-b'], 1_000)).to.deep.equal(mixed.candidates[0]);
  });
});
