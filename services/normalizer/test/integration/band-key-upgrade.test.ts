import { expect } from 'chai';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate, qualified } from '@trendmill/platform';
import { createPostgresTestDatabase, waitFor, type TestDatabase } from '@trendmill/platform/testing';
import { EVENT_TYPES } from '@trendmill/shared-contracts';
import { InMemoryNearDuplicateStore, NearDuplicateIndex, normalizeItem } from '../../src/domain/index.js';
import { NORMALIZER_MIGRATIONS_DIR } from '../../src/service.js';
import { rssArticle, syndicatedCopy } from '../fixtures/collected-items.js';
import { NormalizerHarness, collected, collectedMessage } from './harness.js';

/**
 * A store written before band keys were hashed (20261207020000_band_key_hash): its text keys are
 * converted when the service starts on the new code, and an item stored then is still found as
 * the original of a near-duplicate that arrives afterwards.
 */
describe('normalizer band keys: a store with text keys upgrades in place (PostgreSQL)', function () {
  this.timeout(60_000);
  let db: TestDatabase;
  let h: NormalizerHarness;
  let initOnly: string;

  before(async () => {
    db = await createPostgresTestDatabase({ prefix: 'normbands' });
    h = new NormalizerHarness(db);
    await h.recordOutputs();
    initOnly = mkdtempSync(join(tmpdir(), 'normalizer-init-'));
    cpSync(join(NORMALIZER_MIGRATIONS_DIR, '20261123010000_init'), join(initOnly, '20261123010000_init'), {
      recursive: true,
    });
  });
  after(async () => {
    await h.stopServices();
    await h.broker.close();
    await db.close();
    rmSync(initOnly, { recursive: true, force: true });
  });

  it('keeps finding the near-duplicates of items stored with text keys', async () => {
    await migrate(db.sql, { schema: db.schema, dirs: [initOnly] });
    const table = (name: string) => qualified(db.schema, name);
    // The original as the earlier code stored it: its 64 band keys as text.
    const normalized = normalizeItem(rssArticle, new Date('2024-06-01T12:00:00.000Z'));
    if (!normalized.ok) throw new Error('fixture did not normalize');
    const print = new NearDuplicateIndex(new InMemoryNearDuplicateStore()).fingerprint(
      normalized.item.title,
      normalized.item.text,
    );
    await db.sql.query(
      `INSERT INTO ${table('fingerprints')} (item_id, source_id, content_hash, signature) VALUES ($1, $2, $3, $4)`,
      [rssArticle.itemId, rssArticle.sourceId, normalized.item.contentHash, print.signature],
    );
    await db.sql.query(
      `INSERT INTO ${table('fingerprint_bands')} (band_key, item_id) SELECT DISTINCT unnest($1::text[]), $2`,
      [print.bandKeys, rssArticle.itemId],
    );
    await db.sql.query(`INSERT INTO ${table('item_outcomes')} (item_id, outcome) VALUES ($1, 'normalized')`, [
      rssArticle.itemId,
    ]);

    await h.startService(db);
    const [column] = await db.sql.query<{ data_type: string }>(
      `SELECT data_type FROM information_schema.columns
        WHERE table_schema = $1 AND table_name = 'fingerprint_bands' AND column_name = 'band_key'`,
      [db.schema],
    );
    expect(column?.data_type).to.equal('bigint');
    const [{ count }] = (await db.sql.query<{ count: number }>(
      `SELECT count(*)::int AS count FROM ${table('fingerprint_bands')} WHERE item_id = $1`,
      [rssArticle.itemId],
    )) as [{ count: number }];
    expect(count).to.equal(new Set(print.bandKeys).size);

    // Another URL and wording: neither the URL nor the content hash matches, only the bands can.
    await h.broker.publish([collectedMessage(collected(syndicatedCopy))]);
    await waitFor(() => h.emitted.length === 1, { what: 'the copy decided' });
    expect(h.of(EVENT_TYPES.itemDuplicateDetected, syndicatedCopy.itemId)[0]?.data).to.include({
      originalItemId: rssArticle.itemId,
      method: 'near-duplicate',
    });
  });
});
