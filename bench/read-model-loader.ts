import { qualified, type Database } from '../services/platform/src/index.js';
import type { VectorPoint, VectorStore } from '../services/vectors/src/index.js';

export const MODEL = 'bench-model';
export const WORDS_PER_TOPIC = 6;
export const COMMON = Array.from({ length: 400 }, (_, i) => `common${i.toString(36)}`);

/**
 * The read model at scale for bench/query-store.ts and bench/api.ts: N items in C topics as bulk
 * SQL rows (the same rows the query projection writes), memberships, clusters and hourly buckets
 * derived from the rows, vectors near each topic's centre, then ANALYZE.
 */
export async function loadReadModel(o: {
  db: Database;
  vectors: VectorStore;
  n: number;
  clusterCount: number;
  dim: number;
  near: (c: number) => Float32Array;
  topicWords: string[][];
  pick: <T>(list: readonly T[]) => T;
  random: () => number;
}): Promise<{ load_sql_ms: number; load_vectors_ms: number }> {
  const { db, n, clusterCount, random, pick } = o;
  const t = (table: string) => qualified(db.schema, table);
  const end = Date.parse('2026-03-01T00:00:00Z');
  const span = 14 * 24 * 3_600_000;
  let loadSqlMs = 0;
  let loadVectorMs = 0;
  const collection = await o.vectors.collection(MODEL, o.dim);
  const BATCH = 1000;
  for (let done = 0; done < n; done += BATCH) {
    const rows: Array<[string, string, string, string, string, string | null]> = [];
    const points: VectorPoint[] = [];
    for (let i = done; i < Math.min(n, done + BATCH); i++) {
      const c = Math.floor(random() * clusterCount);
      const words = o.topicWords[c]!;
      const title = `${pick(words)} ${pick(words)} ${pick(COMMON)} ${pick(COMMON)}`;
      const text = Array.from({ length: 40 }, () => (random() < 0.3 ? pick(words) : pick(COMMON))).join(' ');
      const publishedAt = new Date(end - Math.floor(random() ** 2 * span)).toISOString();
      const clustered = random() < 0.9 ? `cluster-${c}` : null;
      rows.push([`item-${i}`, `source-${i % 50}`, title, text, publishedAt, clustered]);
      points.push({
        id: `item-${i}`,
        vector: o.near(c),
        payload: { sourceId: `source-${i % 50}`, language: 'en', publishedAt: Date.parse(publishedAt) },
      });
    }
    let started = performance.now();
    await db.sql.query(
      `INSERT INTO ${t('items')} (id, source_id, source_type, title, text, url, language, published_at, model, content_hash, ts_config, cluster_id)
       SELECT id, src, 'rss', title, text, NULL, 'en', published::timestamptz, '${MODEL}', md5(id) || md5(id), 'english'::regconfig, cluster
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS x(id, src, title, text, published, cluster)`,
      [0, 1, 2, 3, 4, 5].map((k) => rows.map((r) => r[k])),
    );
    await db.sql.query(
      `INSERT INTO ${t('memberships')} (item_id, cluster_id, method, similarity, assigned_at)
       SELECT id, cluster, 'assigned', 0.8, now() FROM unnest($1::text[], $2::text[]) AS x(id, cluster) WHERE cluster IS NOT NULL`,
      [rows.map((r) => r[0]), rows.map((r) => r[5])],
    );
    loadSqlMs += performance.now() - started;
    started = performance.now();
    await collection.upsert(points);
    loadVectorMs += performance.now() - started;
  }
  const started = performance.now();
  await db.sql.query(
    `INSERT INTO ${t('clusters')} (id, version, model, label, keywords, size, status, emerging_score, velocity,
       representative_item_ids, created_at, updated_at, last_item_at)
     SELECT cluster_id, 3, '${MODEL}', 'topic ' || cluster_id, '[]', count(*)::int,
       (ARRAY['emerging', 'active', 'fading'])[1 + (hashtext(cluster_id) & 3) % 3], random() * 10, random() * 5,
       '[]', min(published_at), max(published_at), max(published_at)
     FROM ${t('items')} WHERE cluster_id IS NOT NULL GROUP BY cluster_id`,
  );
  await db.sql.query(
    `INSERT INTO ${t('cluster_buckets')} (cluster_id, bucket_start, count)
     SELECT cluster_id, date_trunc('hour', published_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', count(*)::int
     FROM ${t('items')} WHERE cluster_id IS NOT NULL GROUP BY 1, 2`,
  );
  for (const table of ['items', 'clusters', 'cluster_buckets', 'memberships'])
    await db.sql.query(`ANALYZE ${t(table)}`);
  loadSqlMs += performance.now() - started;
  return { load_sql_ms: Math.round(loadSqlMs), load_vectors_ms: Math.round(loadVectorMs) };
}
