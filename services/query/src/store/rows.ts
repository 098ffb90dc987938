import { qualified } from '@trendmill/platform';
import type { ClusterStatus, ClusterSummary, ItemSummary } from '@trendmill/shared-contracts';

/** Columns of an item summary, from `items` aliased `i`. */
export const itemSummaryColumns = (
  schema: string,
) => `i.id, i.title, i.url, left(i.text, 280) AS snippet, i.source_id, i.source_type,
  i.language, i.published_at, i.cluster_id, i.model,
  (SELECT count(*)::int FROM ${qualified(schema, 'duplicates')} d WHERE d.original_item_id = i.id) AS duplicate_count`;

export interface ItemSummaryRow {
  id: string;
  title: string;
  url: string | null;
  snippet: string;
  source_id: string;
  source_type: string;
  language: string;
  published_at: Date;
  cluster_id: string | null;
  model: string;
  duplicate_count: number;
}

export function toItemSummary(row: ItemSummaryRow): ItemSummary {
  return {
    id: row.id,
    title: row.title,
    url: row.url,
    snippet: row.snippet,
    sourceId: row.source_id,
    sourceType: row.source_type as ItemSummary['sourceType'],
    language: row.language,
    publishedAt: row.published_at.toISOString(),
    clusterId: row.cluster_id,
    duplicateCount: row.duplicate_count,
  };
}

/** Columns of a cluster summary, from `clusters` aliased `c`. */
export const CLUSTER_SUMMARY_COLUMNS = `c.id, c.version, c.model, c.label, c.keywords, c.size, c.status,
  c.emerging_score, c.velocity, c.created_at, c.updated_at, c.last_item_at`;

export interface ClusterSummaryRow {
  id: string;
  version: number;
  model: string;
  label: string;
  keywords: Array<{ term: string; weight: number }>;
  size: number;
  status: string;
  emerging_score: number;
  velocity: number;
  created_at: Date;
  updated_at: Date;
  last_item_at: Date;
}

export function toClusterSummary(row: ClusterSummaryRow): ClusterSummary {
  return {
    id: row.id,
    label: row.label,
    keywords: row.keywords,
    size: row.size,
    status: row.status as ClusterStatus,
    version: row.version,
    model: row.model,
    emergingScore: row.emerging_score,
    velocity: row.velocity,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    lastItemAt: row.last_item_at.toISOString(),
  };
}
