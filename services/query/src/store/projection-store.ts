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

  async upsertItem(item: {
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
  }): Promise<void> {
    const [existing] = await this.tx.query<{ cluster_id: string | null; published_at: Date }>(
      `SELECT cluster_id, published_at FROM ${this.t('items')} WHERE id = $1 FOR UPDATE`,
      [item.id],
    );
    const values = [
      item.id,
      item.sourceId,
      item.sourceType,
      item.title,
      item.text,
      item.url,
      item.language.toLowerCase(),
      item.publishedAt,
      item.model,
      item.contentHash,
      textSearchConfig(item.language),
    ];
    if (!existing) {
      const [inserted] = await this.tx.query<{ cluster_id: string | null; published_at: Date }>(
        `INSERT INTO ${this.t('items')}
           (id, source_id, source_type, title, text, url, language, published_at, model, content_hash, ts_config, cluster_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::regconfig,
           (SELECT cluster_id FROM ${this.t('memberships')} WHERE item_id = $1))
         RETURNING cluster_id, published_at`,
        values,
      );
      if (inserted?.cluster_id)
        await this.adjust([{ from: null, to: inserted.cluster_id, publishedAt: inserted.published_at }]);
      return;
    }
    await this.tx.query(
      `UPDATE ${this.t('items')} SET source_id = $2, source_type = $3, title = $4, text = $5, url = $6,
         language = $7, published_at = $8, model = $9, content_hash = $10, ts_config = $11::regconfig,
         indexed_at = CURRENT_TIMESTAMP
       WHERE id = $1`,
      values,
    );
    const publishedAt = new Date(item.publishedAt);
    if (existing.cluster_id && publishedAt.getTime() !== existing.published_at.getTime())
      await this.adjust([
        { from: existing.cluster_id, to: null, publishedAt: existing.published_at },
        { from: null, to: existing.cluster_id, publishedAt },
      ]);
  }

  /**
   * Puts items in a cluster (or in none: pooled) as of `at`. An item whose membership was set by a
   * later event keeps it; items already in the read model move, with their hourly buckets.
   */
  async assign(
    itemIds: readonly string[],
    clusterId: string | null,
    at: string,
    detail: { method?: string; similarity?: number } = {},
  ): Promise<number> {
    const ids = [...new Set(itemIds)].sort();
    if (ids.length === 0) return 0;
    const changed = await this.tx.query<{ item_id: string }>(
      `INSERT INTO ${this.t('memberships')} AS m (item_id, cluster_id, method, similarity, assigned_at)
       SELECT unnest($1::text[]), $2, $3, $4, $5
       ON CONFLICT (item_id) DO UPDATE SET
         cluster_id = EXCLUDED.cluster_id,
         method = CASE WHEN m.cluster_id IS NOT DISTINCT FROM EXCLUDED.cluster_id
                       THEN COALESCE(EXCLUDED.method, m.method) ELSE EXCLUDED.method END,
         similarity = CASE WHEN m.cluster_id IS NOT DISTINCT FROM EXCLUDED.cluster_id
                       THEN COALESCE(EXCLUDED.similarity, m.similarity) ELSE EXCLUDED.similarity END,
         assigned_at = EXCLUDED.assigned_at
       WHERE m.assigned_at <= EXCLUDED.assigned_at
       RETURNING item_id`,
      [ids, clusterId, detail.method ?? null, detail.similarity ?? null, at],
    );
    if (changed.length === 0) return 0;
    const moving = await this.tx.query<{ id: string; cluster_id: string | null; published_at: Date }>(
      `SELECT id, cluster_id, published_at FROM ${this.t('items')}
       WHERE id = ANY($1::text[]) AND cluster_id IS DISTINCT FROM $2 ORDER BY id FOR UPDATE`,
      [changed.map((r) => r.item_id), clusterId],
    );
    if (moving.length === 0) return 0;
    await this.tx.query(`UPDATE ${this.t('items')} SET cluster_id = $2 WHERE id = ANY($1::text[])`, [
      moving.map((r) => r.id),
      clusterId,
    ]);
    await this.adjust(
      moving.map((r) => ({ from: r.cluster_id, to: clusterId, publishedAt: r.published_at })),
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
    for (const [clusterId, at] of [...latest].sort(([a], [b]) => (a < b ? -1 : 1)))
      await this.tx.query(
        `UPDATE ${this.t('clusters')} SET last_item_at = GREATEST(last_item_at, $2) WHERE id = $1`,
        [clusterId, at.toISOString()],
      );
  }

  /** The newest member's publish time, or the creation time for a cluster with none here yet. */
  async refreshLastItemAt(clusterId: string): Promise<void> {
    await this.tx.query(
      `UPDATE ${this.t('clusters')} c SET last_item_at = COALESCE(
         (SELECT max(published_at) FROM ${this.t('items')} WHERE cluster_id = c.id), c.last_item_at)
       WHERE id = $1`,
      [clusterId],
    );
  }

  /**
   * Applies a cluster event's state if its version is newer than the stored one. Resolves to
   * `applied` (with `gap` when versions were skipped) or `stale`. Fields an event does not carry
   * keep their stored values (or the defaults, for a cluster first seen through such an event).
   */
  async applyClusterVersion(
    clusterId: string,
    version: number,
    at: string,
    fields: ClusterFields,
  ): Promise<{ applied: boolean; gap: boolean }> {
    const [before] = await this.tx.query<{ version: number }>(
      `SELECT version FROM ${this.t('clusters')} WHERE id = $1 FOR UPDATE`,
      [clusterId],
    );
    if (before && before.version >= version) return { applied: false, gap: false };
    const gap = version > (before?.version ?? 0) + 1;
    const columns = Object.keys(fields) as Array<keyof ClusterFields>;
    const names = columns.map((c) => COLUMN[c]);
    const values = columns.map((c) => {
      const v = fields[c];
      return Array.isArray(v) ? JSON.stringify(v) : v;
    });
    const base = ['id', 'version', 'updated_at', 'created_at', 'version_gaps', 'status'];
    const baseValues = ['$1', '$2', '$3', '$3', '$4', "'active'"];
    if (!fields.lastItemAt) {
      base.push('last_item_at');
      baseValues.push('$3');
    }
    const keep = base.filter((b) => !names.includes(b));
    const keepValues = baseValues.filter((_, i) => !names.includes(base[i]!));
    const placeholders = columns.map((c, i) => `$${i + 5}${CAST[c] ?? ''}`);
    const rows = await this.tx.query(
      `INSERT INTO ${this.t('clusters')} AS c (${[...keep, ...names].join(', ')})
       VALUES (${[...keepValues, ...placeholders].join(', ')})
       ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version,
         updated_at = GREATEST(c.updated_at, EXCLUDED.updated_at),
         version_gaps = c.version_gaps + EXCLUDED.version_gaps
         ${names.map((n) => `, ${n} = EXCLUDED.${n}`).join('')}
       WHERE c.version < EXCLUDED.version
       RETURNING id`,
      [clusterId, version, at, gap ? 1 : 0, ...values],
    );
    return { applied: rows.length > 0, gap: rows.length > 0 && gap };
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

  async recordDuplicate(d: {
    itemId: string;
    originalItemId: string;
    method: string;
    similarity: number;
    detectedAt: string;
  }): Promise<void> {
    await this.tx.query(
      `INSERT INTO ${this.t('duplicates')} (item_id, original_item_id, method, similarity, detected_at)
       VALUES ($1, $2, $3, $4, $5) ON CONFLICT (item_id) DO NOTHING`,
      [d.itemId, d.originalItemId, d.method, d.similarity, d.detectedAt],
    );
  }
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
