import type { Broker, Database } from '@trendmill/platform';

/** The consumer groups (one queue each) the admin API reports: every service's, and the gateway's two. */
export const DEFAULT_QUEUE_GROUPS = [
  'normalizer',
  'embedder',
  'clusterer',
  'query',
  'gateway',
  'gateway-cache',
];

export interface QueueStatus {
  group: string;
  /** Messages waiting; null when the transport cannot tell (Kafka lag is not read here). */
  depth: number | null;
  deadLetters: number | null;
}

export async function queueStatus(broker: Broker, groups: readonly string[]): Promise<QueueStatus[]> {
  return Promise.all(
    groups.map(async (group) => ({
      group,
      depth: (await broker.queueDepth(group).catch(() => undefined)) ?? null,
      deadLetters: await broker.deadLetters.depth(group).catch(() => null),
    })),
  );
}

export interface DatabaseStatus {
  backend: 'postgres' | 'pglite';
  schema: string;
  /** pg pool counters (PostgreSQL only). */
  pool: { total: number; idle: number; waiting: number; max: number } | null;
  reachable: boolean;
}

export async function databaseStatus(db: Database): Promise<DatabaseStatus> {
  const reachable = await db.sql.query('SELECT 1 AS ok').then(
    (rows) => rows.length === 1,
    () => false,
  );
  const pool = db.pool
    ? {
        total: db.pool.totalCount,
        idle: db.pool.idleCount,
        waiting: db.pool.waitingCount,
        max: db.pool.options.max ?? 10,
      }
    : null;
  return { backend: db.pool ? 'postgres' : 'pglite', schema: db.schema, pool, reachable };
}

/** GET <embedder>/info, for its live model and cache hit ratio. */
export function embedderInfoOverHttp(url: string, apiKey?: string): () => Promise<unknown> {
  const base = url.replace(/\/+$/, '');
  return async () => {
    const response = await fetch(`${base}/info`, {
      headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {},
      signal: AbortSignal.timeout(3_000),
    });
    if (!response.ok) throw new Error(`embedder /info answered ${response.status}`);
    return response.json();
  };
}
