import { qualified } from '@trendmill/platform';
import type { Candidate, DedupMethod, StoredMatches } from '../domain/index.js';
import type { Prisma } from './prisma.js';

type Tx = Prisma.TransactionClient;

export interface KeptFingerprint {
  itemId: string;
  sourceId: string;
  canonicalUrl: string | undefined;
  contentHash: string;
  signature: string;
  bandKeys: readonly string[];
}

export interface DecidedOutcome {
  itemId: string;
  outcome: 'normalized' | 'duplicate';
  method?: DedupMethod;
  originalItemId?: string;
  similarity?: number;
}

/**
 * The normalizer's fingerprint tables, read and written for a whole batch at once inside its
 * transaction: a fixed handful of statements per batch instead of several per item.
 *
 * Lookups probe an index once per key, through a LATERAL subquery per unnested key that the
 * planner cannot turn into a join, instead of trusting its row estimates. Without statistics (a
 * fresh schema; autovacuum off, as on the test machine, or not yet run) PostgreSQL guesses that a
 * key matches 0.5 % of the rows, so `band_key = ANY(64 keys)` became a parallel sequential scan of
 * the whole band table per item, slower with every item stored (84 ms per item at 20k items).
 */
export class FingerprintStore {
  constructor(
    private readonly tx: Tx,
    private readonly schema: string,
  ) {}

  private table(name: 'item_outcomes' | 'fingerprints' | 'fingerprint_bands'): string {
    return qualified(this.schema, name);
  }

  /** The given items that already have an outcome. */
  async decided(itemIds: readonly string[]): Promise<Set<string>> {
    // item_id is the primary key: the planner knows each id matches one row, statistics or not.
    const rows = await this.tx.$queryRawUnsafe<Array<{ item_id: string }>>(
      `SELECT item_id FROM ${this.table('item_outcomes')} WHERE item_id = ANY($1::text[])`,
      [...itemIds],
    );
    return new Set(rows.map((r) => r.item_id));
  }

  /** For each canonical URL and content hash given, the earliest kept item that has it. */
  async exactMatches(
    canonicalUrls: readonly string[],
    contentHashes: readonly string[],
  ): Promise<Pick<StoredMatches, 'byUrl' | 'byHash'>> {
    const prints = this.table('fingerprints');
    const earliest = (column: string) =>
      `(SELECT item_id FROM ${prints} WHERE ${column} = k.value ORDER BY created_at, item_id LIMIT 1)`;
    const rows = await this.tx.$queryRawUnsafe<
      Array<{ method: DedupMethod; value: string; item_id: string }>
    >(
      `SELECT 'url' AS method, k.value, f.item_id
         FROM unnest($1::text[]) AS k(value) CROSS JOIN LATERAL ${earliest('canonical_url')} f
       UNION ALL
       SELECT 'content-hash', k.value, f.item_id
         FROM unnest($2::text[]) AS k(value) CROSS JOIN LATERAL ${earliest('content_hash')} f`,
      [...new Set(canonicalUrls)],
      [...new Set(contentHashes)],
    );
    const byUrl = new Map<string, string>();
    const byHash = new Map<string, string>();
    for (const row of rows) (row.method === 'url' ? byUrl : byHash).set(row.value, row.item_id);
    return { byUrl, byHash };
  }

  /**
   * Per list of band keys, the stored items sharing the most of them, at most `limit`, ties by
   * item id (an empty list gets none): every item's near-duplicate candidates in one statement.
   */
  async candidates(bandKeyLists: ReadonlyArray<readonly string[]>, limit: number): Promise<Candidate[][]> {
    const entries: number[] = [];
    const keys: string[] = [];
    bandKeyLists.forEach((list, entry) => {
      for (const key of new Set(list)) {
        entries.push(entry);
        keys.push(key);
      }
    });
    const found: Candidate[][] = bandKeyLists.map(() => []);
    if (keys.length === 0) return found;
    // OFFSET 0 keeps each subquery a per-key index probe (see the class comment).
    const rows = await this.tx.$queryRawUnsafe<Array<Candidate & { entry: number }>>(
      `WITH hits AS (
         SELECT k.entry, b.item_id, count(*)::int AS shared
           FROM unnest($1::int[], $2::text[]) AS k(entry, band_key)
           CROSS JOIN LATERAL (SELECT item_id FROM ${this.table('fingerprint_bands')}
                                WHERE band_key = k.band_key OFFSET 0) b
          GROUP BY k.entry, b.item_id
       ), ranked AS (
         SELECT entry, item_id, shared,
                row_number() OVER (PARTITION BY entry ORDER BY shared DESC, item_id) AS rank
           FROM hits
       )
       SELECT r.entry, r.item_id AS "itemId", r.shared, f.signature
         FROM ranked r
         CROSS JOIN LATERAL (SELECT signature FROM ${this.table('fingerprints')}
                              WHERE item_id = r.item_id OFFSET 0) f
        WHERE r.rank <= $3
        ORDER BY r.entry, r.rank`,
      entries,
      keys,
      limit,
    );
    for (const { entry, ...candidate } of rows) found[entry]!.push(candidate);
    return found;
  }

  /** Stores the fingerprints and band keys of items kept as originals. */
  async keep(kept: readonly KeptFingerprint[]): Promise<void> {
    if (kept.length === 0) return;
    await this.tx.$executeRawUnsafe(
      `INSERT INTO ${this.table('fingerprints')} (item_id, source_id, canonical_url, content_hash, signature)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])`,
      kept.map((k) => k.itemId),
      kept.map((k) => k.sourceId),
      kept.map((k) => k.canonicalUrl ?? null),
      kept.map((k) => k.contentHash),
      kept.map((k) => k.signature),
    );
    const bands = kept.flatMap((k) => [...new Set(k.bandKeys)].map((key) => [key, k.itemId] as const));
    if (bands.length === 0) return;
    await this.tx.$executeRawUnsafe(
      `INSERT INTO ${this.table('fingerprint_bands')} (band_key, item_id)
       SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING`,
      bands.map((b) => b[0]),
      bands.map((b) => b[1]),
    );
  }

  async recordOutcomes(outcomes: readonly DecidedOutcome[]): Promise<void> {
    if (outcomes.length === 0) return;
    await this.tx.$executeRawUnsafe(
      `INSERT INTO ${this.table('item_outcomes')} (item_id, outcome, method, original_item_id, similarity)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::float8[])`,
      outcomes.map((o) => o.itemId),
      outcomes.map((o) => o.outcome),
      outcomes.map((o) => o.method ?? null),
      outcomes.map((o) => o.originalItemId ?? null),
      outcomes.map((o) => o.similarity ?? null),
    );
  }
}
