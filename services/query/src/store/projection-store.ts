import { qualified, type SqlClient } from '@trendmill/platform';
import { bucketDeltas } from '../domain/buckets.js';
import { textSearchConfig } from '../domain/text-search-config.js';

/**
 * Writes of the projection, inside the caller's transaction. Every write is idempotent on its own
 * (upserts keyed by item or cluster id, guarded by event time or version), so a replayed event
 * that slips past the inbox still changes nothing.
 */
export class ProjectionStore {
  constructor(
    private readonly tx: SqlClient,
    private readonly schema: string,
  ) {}

  private t(table: string): string {
    return qualified(this.schema, table);
  }

  /**
   * Inserts or updates item rows in one statement. A new row takes the cluster its membership
   * already names (item.clustered may arrive before item.embedded); a clustered item whose
   * publish time changed moves between hourly buckets. The same item twice: the later one wins.
   */
  async upsertItems(items: readonly ItemRow[]): Promise<void> {
    const latest = [...new Map(items.map((item) => [item.id, item])).values()].sort((a, b) =>
      a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
    );
    if (latest.length === 0) return;
    const ids = latest.map((i) => i.id);
    const before = new Map(
      (
        await this.tx.query<{ id: string; cluster_id: string | null; published_at: Date }>(
          `SELECT id, cluster_id, published_at FROM ${this.t('items')}
           WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE`,
          [ids],
        )
      ).map((r) => [r.id, r]),
    );
    const after = await this.tx.query<{ id: string; cluster_id: string | null; published_at: Date }>(
      `INSERT INTO ${this.t('items')} AS i
         (id, source_id, source_type, title, text, url, language, published_at, model, content_hash, ts_config, cluster_id)
       SELECT v.id, v.source_id, v.source_type, v.title, v.text, v.url, v.language, v.published_at, v.model,
              v.content_hash, v.ts_config::regconfig, m.cluster_id
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                   $8::timestamptz[], $9::text[], $10::text[], $11::text[])
            AS v(id, source_id, source_type, title, text, url, language, published_at, model, content_hash, ts_config)
       LEFT JOIN ${this.t('memberships')} m ON m.item_id = v.id
       ON CONFLICT (id) DO UPDATE SET source_id = EXCLUDED.source_id, source_type = EXCLUDED.source_type,
         title = EXCLUDED.title, text = EXCLUDED.text, url = EXCLUDED.url, language = EXCLUDED.language,
         published_at = EXCLUDED.published_at, model = EXCLUDED.model, content_hash = EXCLUDED.content_hash,
         ts_config = EXCLUDED.ts_config, indexed_at = CURRENT_TIMESTAMP
       RETURNING id, cluster_id, published_at`,
      [
        ids,
        latest.map((i) => i.sourceId),
        latest.map((i) => i.sourceType),
        latest.map((i) => i.title),
        latest.map((i) => i.text),
        latest.map((i) => i.url),
        latest.map((i) => i.language.toLowerCase()),
        latest.map((i) => i.publishedAt),
        latest.map((i) => i.model),
        latest.map((i) => i.contentHash),
        latest.map((i) => textSearchConfig(i.language)),
      ],
    );
    const moves: Array<{ from: string | null; to: string | null; publishedAt: Date }> = [];
    for (const row of after) {
      if (!row.cluster_id) continue;
      const old = before.get(row.id);
      if (!old) moves.push({ from: null, to: row.cluster_id, publishedAt: row.published_at });
      else if (old.published_at.getTime() !== row.published_at.getTime())
        moves.push(
          { from: row.cluster_id, to: null, publishedAt: old.published_at },
          { from: null, to: row.cluster_id, publishedAt: row.published_at },
        );
    }
    if (moves.length > 0) await this.adjust(moves);
  }

  /**
   * Puts items in a cluster (or in none: pooled) as of `at`. An item whose membership was set by a
   * later event keeps it; items already in the read model move, with their hourly buckets.
   */
  assign(
    itemIds: readonly string[],
    clusterId: string | null,
    at: string,
    detail: { method?: string; similarity?: number } = {},
  ): Promise<number> {
    return this.assignEach(itemIds.map((itemId) => ({ itemId, clusterId, at, ...detail })));
  }

  /**
   * `assign` with each item's own cluster, time and detail, in one statement per step. Of several
   * assignments of one item the latest wins (the later one listed, at equal times), as it would
   * have one after another.
   */
  async assignEach(assignments: readonly Assignment[]): Promise<number> {
    const latest = new Map<string, Assignment>();
    for (const a of assignments) {
      const held = latest.get(a.itemId);
      if (!held || Date.parse(held.at) <= Date.parse(a.at)) latest.set(a.itemId, a);
    }
    const list = [...latest.values()].sort((a, b) => (a.itemId < b.itemId ? -1 : 1));
    if (list.length === 0) return 0;
    const changed = await this.tx.query<{ item_id: string; cluster_id: string | null }>(
      `INSERT INTO ${this.t('memberships')} AS m (item_id, cluster_id, method, similarity, assigned_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[], $5::timestamptz[])
       ON CONFLICT (item_id) DO UPDATE SET
         cluster_id = EXCLUDED.cluster_id,
         method = CASE WHEN m.cluster_id IS NOT DISTINCT FROM EXCLUDED.cluster_id
                       THEN COALESCE(EXCLUDED.method, m.method) ELSE EXCLUDED.method END,
         similarity = CASE WHEN m.cluster_id IS NOT DISTINCT FROM EXCLUDED.cluster_id
                       THEN COALESCE(EXCLUDED.similarity, m.similarity) ELSE EXCLUDED.similarity END,
         assigned_at = EXCLUDED.assigned_at
       WHERE m.assigned_at <= EXCLUDED.assigned_at
       RETURNING item_id, cluster_id`,
      [
        list.map((a) => a.itemId),
        list.map((a) => a.clusterId),
        list.map((a) => a.method ?? null),
        list.map((a) => a.similarity ?? null),
        list.map((a) => a.at),
      ],
    );
    if (changed.length === 0) return 0;
    const moving = await this.tx.query<{
      id: string;
      cluster_id: string | null;
      to_cluster: string | null;
      published_at: Date;
    }>(
      `SELECT i.id, i.cluster_id, v.cluster_id AS to_cluster, i.published_at
       FROM ${this.t('items')} i JOIN unnest($1::text[], $2::text[]) AS v(id, cluster_id) ON v.id = i.id
       WHERE i.cluster_id IS DISTINCT FROM v.cluster_id ORDER BY i.id FOR UPDATE OF i`,
      [changed.map((r) => r.item_id), changed.map((r) => r.cluster_id)],
    );
    if (moving.length === 0) return 0;
    await this.tx.query(
      `UPDATE ${this.t('items')} i SET cluster_id = v.cluster_id
       FROM unnest($1::text[], $2::text[]) AS v(id, cluster_id) WHERE i.id = v.id`,
      [moving.map((r) => r.id), moving.map((r) => r.to_cluster)],
    );
    await this.adjust(
      moving.map((r) => ({ from: r.cluster_id, to: r.to_cluster, publishedAt: r.published_at })),
    );
    return moving.length;
  }

  /** Hourly buckets and last-item times follow items moving between clusters. */
  private async adjust(moves: Array<{ from: string | null; to: string | null; publishedAt: Date }>) {
    const deltas = bucketDeltas(moves);
    if (deltas.length > 0) {
      await this.tx.query(
        `INSERT INTO ${this.t('cluster_buckets')} (cluster_id, bucket_start, count)
         SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::int[])
         ON CONFLICT (cluster_id, bucket_start) DO UPDATE SET count = ${this.t('cluster_buckets')}.count + EXCLUDED.count`,
        [
          deltas.map((d) => d.clusterId),
          deltas.map((d) => new Date(d.start).toISOString()),
          deltas.map((d) => d.delta),
        ],
      );
      const emptied = [...new Set(deltas.filter((d) => d.delta < 0).map((d) => d.clusterId))];
      if (emptied.length > 0)
        await this.tx.query(
          `DELETE FROM ${this.t('cluster_buckets')} WHERE cluster_id = ANY($1::text[]) AND count <= 0`,
          [emptied],
        );
    }
    const latest = new Map<string, Date>();
    for (const m of moves)
      if (m.to && (latest.get(m.to)?.getTime() ?? -Infinity) < m.publishedAt.getTime())
        latest.set(m.to, m.publishedAt);
    if (latest.size === 0) return;
    const bumps = [...latest].sort(([a], [b]) => (a < b ? -1 : 1));
    await this.tx.query(
      `UPDATE ${this.t('clusters')} c SET last_item_at = GREATEST(c.last_item_at, v.at)
       FROM unnest($1::text[], $2::timestamptz[]) AS v(id, at) WHERE c.id = v.id`,
      [bumps.map(([id]) => id), bumps.map(([, at]) => at.toISOString())],
    );
  }

  /** The newest member's publish time, or the creation time for a cluster with none here yet; one statement for all. */
  async refreshLastItemAt(clusterIds: readonly string[]): Promise<void> {
    if (clusterIds.length === 0) return;
    await this.tx.query(
      `UPDATE ${this.t('clusters')} c SET last_item_at = COALESCE(
         (SELECT max(published_at) FROM ${this.t('items')} WHERE cluster_id = c.id), c.last_item_at)
       WHERE id = ANY($1::text[])`,
      [[...new Set(clusterIds)].sort()],
    );
  }

  /**
   * Applies a cluster event's state if its version is newer than the stored one, in one statement.
   * Resolves to `applied` (with `gap` when versions were skipped) or `stale`. Fields an event does
   * not carry keep their stored values (or the defaults, for a cluster first seen through such an
   * event). `seen`: versions of this cluster that the caller's batch holds (applied or superseded
   * there), so they are not counted as skipped.
   */
  async applyClusterVersion(
    clusterId: string,
    version: number,
    at: string,
    fields: ClusterFields,
    seen: readonly number[] = [],
  ): Promise<{ applied: boolean; gap: boolean }> {
    const columns = Object.keys(fields) as Array<keyof ClusterFields>;
    const names = columns.map((c) => COLUMN[c]);
    const values = columns.map((c) => {
      const v = fields[c];
      return Array.isArray(v) ? JSON.stringify(v) : v;
    });
    // A version between the stored one and this one that neither is stored nor came in the batch.
    const skipped = `EXISTS (SELECT 1 FROM generate_series(COALESCE((SELECT version FROM before), 0) + 1, $2::int - 1) g
                  WHERE g <> ALL($4::int[]))`;
    const base = ['id', 'version', 'updated_at', 'created_at', 'version_gaps', 'status'];
    const baseValues = ['$1', '$2', '$3', '$3', `(${skipped})::int`, "'active'"];
    if (!fields.lastItemAt) {
      base.push('last_item_at');
      baseValues.push('$3');
    }
    const keep = base.filter((b) => !names.includes(b));
    const keepValues = baseValues.filter((_, i) => !names.includes(base[i]!));
    const placeholders = columns.map((c, i) => `$${i + 5}${CAST[c] ?? ''}`);
    const rows = await this.tx.query<{ gap: boolean }>(
      `WITH before AS (SELECT version FROM ${this.t('clusters')} WHERE id = $1)
       INSERT INTO ${this.t('clusters')} AS c (${[...keep, ...names].join(', ')})
       VALUES (${[...keepValues, ...placeholders].join(', ')})
       ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version,
         updated_at = GREATEST(c.updated_at, EXCLUDED.updated_at),
         version_gaps = c.version_gaps + EXCLUDED.version_gaps
         ${names.map((n) => `, ${n} = EXCLUDED.${n}`).join('')}
       WHERE c.version < EXCLUDED.version
       RETURNING ${skipped} AS gap`,
      [clusterId, version, at, [...seen], ...values],
    );
    return { applied: rows.length > 0, gap: rows[0]?.gap === true };
  }

  /** What never changes (model, creation time) is filled in even from a late, older event. */
  async fillImmutable(clusterId: string, model: string, createdAt: string): Promise<void> {
    await this.tx.query(
      `UPDATE ${this.t('clusters')} SET model = CASE WHEN model = '' THEN $2 ELSE model END,
         created_at = LEAST(created_at, $3)
       WHERE id = $1`,
      [clusterId, model, createdAt],
    );
  }

  /** The first record of an item's duplicate detection stays (later ones change nothing). */
  async recordDuplicates(list: readonly DuplicateRow[]): Promise<void> {
    if (list.length === 0) return;
    await this.tx.query(
      `INSERT INTO ${this.t('duplicates')} (item_id, original_item_id, method, similarity, detected_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[], $5::timestamptz[])
       ON CONFLICT (item_id) DO NOTHING`,
      [
        list.map((d) => d.itemId),
        list.map((d) => d.originalItemId),
        list.map((d) => d.method),
        list.map((d) => d.similarity),
        list.map((d) => d.detectedAt),
      ],
    );
  }
}

export interface ItemRow {
  id: string;
  sourceId: string;
  sourceType: string;
  title: string;
  text: string;
  url: string | null;
  language: string;
  publishedAt: string;
  model: string;
  contentHash: string;
}

export interface Assignment {
  itemId: string;
  clusterId: string | null;
  at: string;
  method?: string;
  similarity?: number;
}

export interface DuplicateRow {
  itemId: string;
  originalItemId: string;
  method: string;
  similarity: number;
  detectedAt: string;
}

export interface ClusterFields {
  model?: string;
  label?: string;
  keywords?: Array<{ term: string; weight: number }>;
  size?: number;
  status?: string;
  emergingScore?: number;
  velocity?: number;
  representativeItemIds?: string[];
  mergedInto?: string;
  retiredAt?: string | null;
  retiredReason?: string | null;
  lastItemAt?: string;
}

const COLUMN: Record<keyof ClusterFields, string> = {
  model: 'model',
  label: 'label',
  keywords: 'keywords',
  size: 'size',
  status: 'status',
  emergingScore: 'emerging_score',
  velocity: 'velocity',
  representativeItemIds: 'representative_item_ids',
  mergedInto: 'merged_into',
  retiredAt: 'retired_at',
  retiredReason: 'retired_reason',
  lastItemAt: 'last_item_at',
};

const CAST: Partial<Record<keyof ClusterFields, string>> = {
  keywords: '::jsonb',
  representativeItemIds: '::jsonb',
  retiredAt: '::timestamptz',
  lastItemAt: '::timestamptz',
};
