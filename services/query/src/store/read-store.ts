import { qualified, type SqlClient } from '@trendmill/platform';
import type { ClusterListParams, ClusterSort } from '@trendmill/shared-contracts';
import { decodeCursor, encodeCursor } from '../domain/cursor.js';
import { invalidCursor } from '../errors.js';
import { SqlWhere, whereItems, type ItemFilters } from '../domain/sql-where.js';
import { queryConfigs } from '../domain/text-search-config.js';
import {
  CLUSTER_SUMMARY_COLUMNS,
  itemSummaryColumns,
  type ClusterSummaryRow,
  type ItemSummaryRow,
} from './rows.js';

const SORT_COLUMN: Record<ClusterSort, { column: string; kind: 'number' | 'time' }> = {
  size: { column: 'c.size', kind: 'number' },
  growth: { column: 'c.velocity', kind: 'number' },
  emerging: { column: 'c.emerging_score', kind: 'number' },
  recent: { column: 'c.last_item_at', kind: 'time' },
};

const LIVE = ['emerging', 'active', 'fading'];

/** The tsquery of `q` (bound as `placeholder`) in every configuration it is matched with. */
function tsquery(placeholder: string, language: string | undefined): string {
  return queryConfigs(language)
    .map((config) => `websearch_to_tsquery('${config}'::regconfig, ${placeholder})`)
    .join(' || ');
}

/** The read side's SQL: pages by keyset, filters as bound parameters. */
export class ReadStore {
  constructor(
    readonly sql: SqlClient,
    readonly schema: string,
  ) {}

  private t(table: string): string {
    return qualified(this.schema, table);
  }

  async listClusters(
    p: ClusterListParams,
  ): Promise<{ rows: ClusterSummaryRow[]; nextCursor: string | null }> {
    const where = new SqlWhere();
    if (p.status === 'live') where.and(`c.status IN (${LIVE.map((s) => where.bind(s)).join(', ')})`);
    else if (p.status !== 'all') where.and(`c.status = ${where.bind(p.status)}`);
    const member = new SqlWhere(where.params);
    whereItems(member, { source: p.source, language: p.language, since: p.since, until: p.until });
    if (member.sql)
      where.and(`EXISTS (SELECT 1 FROM ${this.t('items')} i ${member.sql} AND i.cluster_id = c.id)`);
    const sort = SORT_COLUMN[p.sort];
    const ordering = `clusters:${p.sort}`;
    if (p.cursor) {
      const cursor = decodeCursor(p.cursor, ordering);
      const valid =
        sort.kind === 'time'
          ? typeof cursor.v === 'string' && !Number.isNaN(Date.parse(cursor.v))
          : typeof cursor.v === 'number';
      if (!valid) throw invalidCursor();
      const value = where.bind(cursor.v);
      const cast = sort.kind === 'time' ? '::timestamptz' : '';
      where.and(
        `${sort.column} < ${value}${cast} OR (${sort.column} = ${value}${cast} AND c.id > ${where.bind(cursor.id)})`,
      );
    }
    const rows = await this.sql.query<ClusterSummaryRow>(
      `SELECT ${CLUSTER_SUMMARY_COLUMNS} FROM ${this.t('clusters')} c ${where.sql}
       ORDER BY ${sort.column} DESC, c.id ASC LIMIT ${where.bind(p.limit + 1)}`,
      where.params,
    );
    const page = rows.slice(0, p.limit);
    const last = page[page.length - 1];
    const nextCursor =
      rows.length > p.limit && last
        ? encodeCursor({ o: ordering, v: sortValue(last, p.sort), id: last.id })
        : null;
    return { rows: page, nextCursor };
  }

  /**
   * A cluster with everything its detail shows, in one round trip: hourly buckets of the `hours`
   * before its last item, members per source and per language, and the ids of its newest
   * `memberSample` members in its model's space (for the centroid).
   */
  async clusterDetail(id: string, hours: number, memberSample: number) {
    const [row] = await this.sql.query<
      ClusterSummaryRow & {
        representative_item_ids: string[];
        merged_into: string | null;
        retired_at: Date | null;
        retired_reason: string | null;
        bucket_counts: Array<[number, number]>;
        breakdown: Array<{ s: string | null; t: string | null; l: string | null; n: number }>;
        member_ids: string[];
      }
    >(
      `SELECT ${CLUSTER_SUMMARY_COLUMNS}, c.representative_item_ids, c.merged_into, c.retired_at, c.retired_reason,
         (SELECT COALESCE(json_agg(json_build_array((extract(epoch FROM b.bucket_start) * 1000)::float8, b.count)), '[]')
            FROM ${this.t('cluster_buckets')} b
            WHERE b.cluster_id = c.id AND b.bucket_start > c.last_item_at - make_interval(hours => $2::int)
              AND b.bucket_start <= c.last_item_at) AS bucket_counts,
         (SELECT COALESCE(json_agg(json_build_object('s', g.source_id, 't', g.source_type, 'l', g.language, 'n', g.n)), '[]')
            FROM (SELECT source_id, source_type, language, count(*)::int AS n FROM ${this.t('items')}
                  WHERE cluster_id = c.id GROUP BY GROUPING SETS ((source_id, source_type), (language))) g) AS breakdown,
         ARRAY(SELECT i.id FROM ${this.t('items')} i WHERE i.cluster_id = c.id AND i.model = c.model
               ORDER BY i.published_at DESC, i.id DESC LIMIT $3) AS member_ids
       FROM ${this.t('clusters')} c WHERE c.id = $1`,
      [id, hours, memberSample],
    );
    if (!row) return undefined;
    const order = <T extends { count: number }>(list: T[], key: (t: T) => string) =>
      list.sort((a, b) => b.count - a.count || (key(a) < key(b) ? -1 : 1)).slice(0, 50);
    return {
      row,
      buckets: new Map(row.bucket_counts.map(([ms, count]) => [ms, count])),
      sources: order(
        row.breakdown.flatMap((g) => (g.s !== null ? [{ sourceId: g.s, sourceType: g.t!, count: g.n }] : [])),
        (x) => x.sourceId,
      ),
      languages: order(
        row.breakdown.flatMap((g) => (g.l !== null ? [{ language: g.l, count: g.n }] : [])),
        (x) => x.language,
      ),
      memberIds: row.member_ids,
    };
  }

  async clusterExists(id: string): Promise<boolean> {
    return (await this.sql.query(`SELECT 1 FROM ${this.t('clusters')} WHERE id = $1`, [id])).length > 0;
  }

  /** Items newest first; `q` narrows to full-text matches. */
  async listItems(
    p: ItemFilters & { q?: string | undefined; limit: number; cursor?: string | undefined },
  ): Promise<{ rows: ItemSummaryRow[]; nextCursor: string | null }> {
    const where = whereItems(new SqlWhere(), p);
    if (p.q) where.and(`i.search @@ (${tsquery(where.bind(p.q), p.language)})`);
    const ordering = 'items:recent';
    if (p.cursor) {
      const cursor = decodeCursor(p.cursor, ordering);
      if (typeof cursor.v !== 'string' || Number.isNaN(Date.parse(cursor.v))) throw invalidCursor();
      where.and(`(i.published_at, i.id) < (${where.bind(cursor.v)}::timestamptz, ${where.bind(cursor.id)})`);
    }
    const rows = await this.sql.query<ItemSummaryRow>(
      `SELECT ${itemSummaryColumns(this.schema)} FROM ${this.t('items')} i ${where.sql}
       ORDER BY i.published_at DESC, i.id DESC LIMIT ${where.bind(p.limit + 1)}`,
      where.params,
    );
    const page = rows.slice(0, p.limit);
    const last = page[page.length - 1];
    const nextCursor =
      rows.length > p.limit && last
        ? encodeCursor({ o: ordering, v: last.published_at.toISOString(), id: last.id })
        : null;
    return { rows: page, nextCursor };
  }

  async item(id: string) {
    const [row] = await this.sql.query<
      ItemSummaryRow & {
        text: string;
        content_hash: string;
        indexed_at: Date;
        method: string | null;
        similarity: number | null;
        assigned_at: Date | null;
      }
    >(
      `SELECT ${itemSummaryColumns(this.schema)}, i.text, i.content_hash, i.indexed_at,
         m.method, m.similarity, m.assigned_at
       FROM ${this.t('items')} i LEFT JOIN ${this.t('memberships')} m ON m.item_id = i.id AND m.cluster_id IS NOT DISTINCT FROM i.cluster_id
       WHERE i.id = $1`,
      [id],
    );
    return row;
  }

  /** Summaries of the given items, in the given order; ids not in the read model are left out. */
  async itemsByIds(ids: readonly string[]): Promise<ItemSummaryRow[]> {
    if (ids.length === 0) return [];
    const rows = await this.sql.query<ItemSummaryRow>(
      `SELECT ${itemSummaryColumns(this.schema)} FROM ${this.t('items')} i WHERE i.id = ANY($1::text[])`,
      [ids],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.flatMap((id) => byId.get(id) ?? []);
  }

  /** Full-text matches ranked by ts_rank_cd (cover density; title weighted above text), newest first on ties. */
  async fulltext(
    q: string,
    filters: ItemFilters,
    limit: number,
  ): Promise<Array<ItemSummaryRow & { rank: number }>> {
    const where = new SqlWhere();
    const query = tsquery(where.bind(q), filters.language);
    whereItems(where, filters);
    where.and('i.search @@ q.query');
    return this.sql.query<ItemSummaryRow & { rank: number }>(
      `SELECT ${itemSummaryColumns(this.schema)}, ts_rank_cd(i.search, q.query) AS rank
       FROM ${this.t('items')} i, (SELECT ${query} AS query) q ${where.sql}
       ORDER BY rank DESC, i.published_at DESC, i.id LIMIT ${where.bind(limit)}`,
      where.params,
    );
  }

  /** Ids (and models) of items matching the filters, newest first: candidates for an exact vector scan. */
  async candidateIds(filters: ItemFilters, limit: number): Promise<Array<{ id: string; model: string }>> {
    const where = whereItems(new SqlWhere(), filters);
    return this.sql.query<{ id: string; model: string }>(
      `SELECT i.id, i.model FROM ${this.t('items')} i ${where.sql}
       ORDER BY i.published_at DESC, i.id DESC LIMIT ${where.bind(limit)}`,
      where.params,
    );
  }

  /** Member counts per live cluster in [from, to) and [previousFrom, from), from the hourly buckets. */
  async windowCounts(previousFrom: string, from: string, to: string) {
    return this.sql.query<{ cluster_id: string; window_count: number; previous_count: number }>(
      `SELECT b.cluster_id,
         COALESCE(sum(b.count) FILTER (WHERE b.bucket_start >= $2), 0)::int AS window_count,
         COALESCE(sum(b.count) FILTER (WHERE b.bucket_start < $2), 0)::int AS previous_count
       FROM ${this.t('cluster_buckets')} b JOIN ${this.t('clusters')} c ON c.id = b.cluster_id
       WHERE b.bucket_start >= $1 AND b.bucket_start < $3 AND c.status IN ('emerging', 'active', 'fading')
       GROUP BY b.cluster_id`,
      [previousFrom, from, to],
    );
  }

  /** The same counts from the items themselves, when a source or language narrows them. */
  async windowCountsFiltered(previousFrom: string, from: string, to: string, filters: ItemFilters) {
    const where = new SqlWhere([previousFrom, from, to]);
    whereItems(where, { source: filters.source, language: filters.language });
    where.and('i.published_at >= $1 AND i.published_at < $3 AND i.cluster_id IS NOT NULL');
    where.and(`c.status IN ('emerging', 'active', 'fading')`);
    return this.sql.query<{ cluster_id: string; window_count: number; previous_count: number }>(
      `SELECT i.cluster_id,
         count(*) FILTER (WHERE i.published_at >= $2)::int AS window_count,
         count(*) FILTER (WHERE i.published_at < $2)::int AS previous_count
       FROM ${this.t('items')} i JOIN ${this.t('clusters')} c ON c.id = i.cluster_id ${where.sql}
       GROUP BY i.cluster_id`,
      where.params,
    );
  }

  async clustersByIds(ids: readonly string[]): Promise<ClusterSummaryRow[]> {
    if (ids.length === 0) return [];
    return this.sql.query<ClusterSummaryRow>(
      `SELECT ${CLUSTER_SUMMARY_COLUMNS} FROM ${this.t('clusters')} c WHERE c.id = ANY($1::text[])`,
      [ids],
    );
  }

  async stats() {
    const [counts] = await this.sql.query<{
      items: number;
      clustered: number;
      duplicates: number;
      sources: number;
      languages: number;
      gaps: number;
      last_event_at: Date | null;
    }>(
      `SELECT (SELECT count(*)::int FROM ${this.t('items')}) AS items,
         (SELECT count(*)::int FROM ${this.t('items')} WHERE cluster_id IS NOT NULL) AS clustered,
         (SELECT count(*)::int FROM ${this.t('duplicates')}) AS duplicates,
         (SELECT count(DISTINCT source_id)::int FROM ${this.t('items')}) AS sources,
         (SELECT count(DISTINCT language)::int FROM ${this.t('items')}) AS languages,
         (SELECT COALESCE(sum(version_gaps), 0)::int FROM ${this.t('clusters')}) AS gaps,
         (SELECT max(processed_at) FROM ${this.t('processed_events')}) AS last_event_at`,
    );
    const byStatus = await this.sql.query<{ status: string; count: number }>(
      `SELECT status, count(*)::int AS count FROM ${this.t('clusters')} GROUP BY status`,
    );
    return { counts: counts!, byStatus };
  }
}

function sortValue(row: ClusterSummaryRow, sort: ClusterSort): number | string {
  switch (sort) {
    case 'size':
      return row.size;
    case 'growth':
      return row.velocity;
    case 'emerging':
      return row.emerging_score;
    case 'recent':
      return row.last_item_at.toISOString();
  }
}
