import { qualified } from '@trendmill/platform';
import {
  BAND_POSTINGS_CAP,
  type Candidate,
  type DedupItem,
  type DedupMethod,
  type StoredMatches,
} from '../domain/index.js';
import type { Prisma } from './prisma.js';

type Tx = Prisma.TransactionClient;

/**
 * How a band key (text, e.g. "mh192r3s12.5:3f843b7b80893486") is stored and looked up: its 64-bit
 * hash, computed by PostgreSQL so the migration that converted older text keys
 * (20261207020000_band_key_hash) and every later write and probe agree. `expr` is a SQL text
 * expression.
 */
export function bandKeySql(expr: string): string {
  return `hashtextextended(${expr}, 0)`;
}

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
 * The normalizer's fingerprint tables, read and written for a whole batch inside its transaction:
 * one statement for every lookup and one for every write, whatever the batch size, since each
 * round trip costs the most when the host is busy (the batch then waited more on its own process
 * between statements than on PostgreSQL).
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

  /**
   * What is stored about these items: which were decided before, the earliest kept item with each
   * of their canonical URLs and content hashes, and per item its near-duplicate candidates (the
   * stored items sharing the most of its band keys, at most `limit`, ties by item id).
   */
  async lookup(items: readonly DedupItem[], limit: number): Promise<StoredMatches> {
    const entries: number[] = [];
    const keys: string[] = [];
    items.forEach((item, entry) => {
      for (const key of new Set(item.fingerprint.bandKeys)) {
        entries.push(entry);
        keys.push(key);
      }
    });
    const prints = this.table('fingerprints');
    const earliest = (column: string, param: string) =>
      `SELECT json_agg(json_build_array(k.value, f.item_id))
         FROM unnest(${param}::text[]) AS k(value)
         CROSS JOIN LATERAL (SELECT item_id FROM ${prints} WHERE ${column} = k.value
                              ORDER BY created_at, item_id LIMIT 1) f`;
    // json as text: parsed here, the same whichever driver adapter runs the query. The LIMIT keeps
    // each LATERAL subquery a per-key index probe (see the class comment) and reads at most one
    // posting past BAND_POSTINGS_CAP: a key holding more is skipped, as the in-memory store does.
    const [row] = await this.tx.$queryRawUnsafe<
      Array<Record<'decided' | 'urls' | 'hashes' | 'candidates', string | null>>
    >(
      `WITH postings AS (
         SELECT k.entry, b.item_id, count(*) OVER (PARTITION BY k.entry, k.band_key) AS held
           FROM unnest($4::int[], $5::text[]) AS k(entry, band_key)
           CROSS JOIN LATERAL (SELECT item_id FROM ${this.table('fingerprint_bands')}
                                WHERE band_key = ${bandKeySql('k.band_key')} LIMIT $7::int + 1) b
       ), hits AS (
         SELECT entry, item_id, count(*)::int AS shared
           FROM postings WHERE held <= $7::int
          GROUP BY entry, item_id
       ), ranked AS (
         SELECT entry, item_id, shared,
                row_number() OVER (PARTITION BY entry ORDER BY shared DESC, item_id) AS rank
           FROM hits
       )
       SELECT
         (SELECT json_agg(item_id) FROM ${this.table('item_outcomes')}
           WHERE item_id = ANY($1::text[]))::text AS decided,
         (${earliest('canonical_url', '$2')})::text AS urls,
         (${earliest('content_hash', '$3')})::text AS hashes,
         (SELECT json_agg(json_build_array(r.entry, r.item_id, r.shared, f.signature) ORDER BY r.entry, r.rank)
            FROM ranked r
            CROSS JOIN LATERAL (SELECT signature FROM ${prints} WHERE item_id = r.item_id OFFSET 0) f
           WHERE r.rank <= $6)::text AS candidates`,
      items.map((i) => i.itemId),
      [...new Set(items.flatMap((i) => (i.canonicalUrl ? [i.canonicalUrl] : [])))],
      [...new Set(items.map((i) => i.contentHash))],
      entries,
      keys,
      limit,
      BAND_POSTINGS_CAP,
    );
    const parsed = <T>(json: string | null | undefined): T[] => (json ? (JSON.parse(json) as T[]) : []);
    const candidates: Candidate[][] = items.map(() => []);
    for (const [entry, itemId, shared, signature] of parsed<[number, string, number, string]>(
      row?.candidates,
    ))
      candidates[entry]!.push({ itemId, signature, shared });
    return {
      decided: new Set(parsed<string>(row?.decided)),
      byUrl: new Map(parsed<[string, string]>(row?.urls)),
      byHash: new Map(parsed<[string, string]>(row?.hashes)),
      candidates,
    };
  }

  /** Writes a batch's decisions: the fingerprints and band keys of the items kept, every outcome. */
  async write(kept: readonly KeptFingerprint[], outcomes: readonly DecidedOutcome[]): Promise<void> {
    if (kept.length === 0 && outcomes.length === 0) return;
    const bands = kept.flatMap((k) => [...new Set(k.bandKeys)].map((key) => [key, k.itemId] as const));
    // The band rows' foreign key is checked at the end of the statement, when the fingerprints are in.
    await this.tx.$executeRawUnsafe(
      `WITH prints AS (
         INSERT INTO ${this.table('fingerprints')} (item_id, source_id, canonical_url, content_hash, signature)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
       ), bands AS (
         INSERT INTO ${this.table('fingerprint_bands')} (band_key, item_id)
         SELECT ${bandKeySql('b.key')}, b.item_id FROM unnest($6::text[], $7::text[]) AS b(key, item_id)
         ON CONFLICT DO NOTHING
       )
       INSERT INTO ${this.table('item_outcomes')} (item_id, outcome, method, original_item_id, similarity)
       SELECT * FROM unnest($8::text[], $9::text[], $10::text[], $11::text[], $12::float8[])`,
      kept.map((k) => k.itemId),
      kept.map((k) => k.sourceId),
      kept.map((k) => k.canonicalUrl ?? null),
      kept.map((k) => k.contentHash),
      kept.map((k) => k.signature),
      bands.map((b) => b[0]),
      bands.map((b) => b[1]),
      outcomes.map((o) => o.itemId),
      outcomes.map((o) => o.outcome),
      outcomes.map((o) => o.method ?? null),
      outcomes.map((o) => o.originalItemId ?? null),
      outcomes.map((o) => o.similarity ?? null),
    );
  }
}
