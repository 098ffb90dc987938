import pg from 'pg';
import { call, type Gateway } from './gateway-client.js';

/**
 * What came out of the pipeline for the items that went in, read exactly: row counts from the
 * query service's own PostgreSQL schema (the gateway API pages and caches; a count must be
 * exact), dead letters from the gateway's `GET /admin/queues`, `cluster.created` events from the
 * gateway's event log (every event it consumed, once per event id).
 */
export interface Accounting {
  queryable: number;
  /** Rows of this run's texts minus distinct texts: the same item projected twice under two ids. */
  duplicated: number;
  /** Accepted items the normalizer flagged as a near-copy of another queryable item (the data sets hold some). */
  flagged_duplicate: number;
  lost: number;
  dead_lettered: number;
  waiting: number;
  /** Non-empty queues as `group waiting/dead-lettered`, for the progress lines. */
  queues: string;
  clusters_created: number;
  duplicate_cluster_created: number;
}

const POSTGRES_URL = process.env.TRENDMILL_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export async function account(gw: Gateway, prefix: string, accepted: Set<string>): Promise<Accounting> {
  const ids = [...accepted];
  const pool = new pg.Pool({ connectionString: POSTGRES_URL, max: 1 });
  try {
    const q = `"${prefix}_query"`;
    const one = async (sql: string, params: unknown[] = []) =>
      Number(Object.values((await pool.query(sql, params)).rows[0] as Record<string, unknown>)[0]);
    const queryable = await one(`SELECT count(*) FROM ${q}.items WHERE id = ANY($1)`, [ids]);
    const duplicated = await one(
      `SELECT count(*) - count(DISTINCT title) FROM ${q}.items WHERE title NOT LIKE 'Fault probe %'`,
    );
    // A flag counts only when it names another item that is queryable (never itself).
    const flagged = await one(
      `SELECT count(*) FROM ${q}.duplicates d JOIN ${q}.items o ON o.id = d.original_item_id
        WHERE d.item_id = ANY($1) AND d.original_item_id <> d.item_id
          AND NOT EXISTS (SELECT 1 FROM ${q}.items i WHERE i.id = d.item_id)`,
      [ids],
    );
    const g = `"${prefix}_gateway"`;
    const created = await pool.query<{ subject: string; n: string }>(
      `SELECT subject, count(*) AS n FROM ${g}.event_log WHERE type LIKE 'trendmill.cluster.created.%' GROUP BY subject`,
    );
    const queues = await queueTotals(gw);
    return {
      queryable,
      duplicated,
      flagged_duplicate: flagged,
      lost: ids.length - queryable - flagged,
      dead_lettered: queues.deadLetters,
      waiting: queues.depth,
      queues: queues.byGroup,
      clusters_created: created.rows.length,
      duplicate_cluster_created: created.rows.reduce((sum, r) => sum + Number(r.n) - 1, 0),
    };
  } finally {
    await pool.end();
  }
}

export async function queueTotals(
  gw: Gateway,
): Promise<{ depth: number; deadLetters: number; byGroup: string }> {
  const res = await call<{
    queues: Array<{ group: string; depth: number | null; deadLetters: number | null }>;
  }>(gw, '/admin/queues');
  const queues = res.body?.queues ?? [];
  return {
    byGroup: queues
      .filter((q) => q.depth || q.deadLetters)
      .map((q) => `${q.group} ${q.depth ?? '?'}/${q.deadLetters ?? '?'}`)
      .join(', '),
    depth: queues.reduce((s, q) => s + (q.depth ?? 0), 0),
    deadLetters: queues.reduce((s, q) => s + (q.deadLetters ?? 0), 0),
  };
}

/**
 * Waits until every accepted item is accounted for (queryable or flagged) and the queues are
 * empty (or `stallMs` after the last item arrived), or until the queues are empty and nothing moved for `stallMs` (what is missing then is lost), or `timeoutMs`.
 */
export async function drain(
  gw: Gateway,
  prefix: string,
  accepted: Set<string>,
  options: { timeoutMs: number; stallMs: number; progress: (message: string) => void },
): Promise<Accounting> {
  const deadline = Date.now() + options.timeoutMs;
  let last = -1;
  let lastMove = Date.now();
  let lastReport = 0;
  let completeAt: number | undefined;
  for (;;) {
    const a = await account(gw, prefix, accepted).catch(() => undefined);
    if (a) {
      const done = a.queryable + a.flagged_duplicate;
      // Complete: still give the queues (the clusterer's may lag) a while to empty, so a late
      // duplicate would be seen.
      if (done >= accepted.size) {
        completeAt ??= Date.now();
        if (a.waiting === 0 || Date.now() - completeAt > options.stallMs) return a;
      }
      if (done !== last) {
        last = done;
        lastMove = Date.now();
      }
      if (Date.now() - lastReport > 10_000) {
        lastReport = Date.now();
        options.progress(`${done}/${accepted.size} accounted; queues ${a.queues || 'empty'}`);
      }
      if ((a.waiting === 0 && Date.now() - lastMove > options.stallMs) || Date.now() > deadline) return a;
    }
    await new Promise((r) => setTimeout(r, 1_000));
  }
}
