import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { Database } from '@trendmill/platform';

/** A session-level lock that makes one replica the active clusterer. */
export interface LeaderLock {
  /** Tries once; true when this process holds the lock (already or now). */
  tryAcquire(): Promise<boolean>;
  /** True while the lock's connection still answers; a dead connection means the lock is gone. */
  stillHeld(): Promise<boolean>;
  release(): Promise<void>;
  /** Told once each time a held lock is lost (its connection closed or failed). */
  onLost(listener: (reason: string) => void): void;
}

/** The advisory lock key for a clusterer schema (replicas sharing the schema compete for it). */
export function leaderLockKey(schema: string): string {
  return createHash('sha256')
    .update(`trendmill.clusterer.leader:${schema}`)
    .digest()
    .readBigInt64BE(0)
    .toString();
}

/**
 * On PostgreSQL: `pg_try_advisory_lock` on a connection of its own, held for as long as this
 * replica is active. The server releases a session lock when its session ends, so a replica that
 * dies (process killed, network gone) frees the lock without any timeout of ours, and the standby
 * polling for it takes over. On PGlite there is one process by construction: the lock always holds.
 */
export function createLeaderLock(db: Database): LeaderLock {
  if (!db.pool) {
    return {
      tryAcquire: async () => true,
      stillHeld: async () => true,
      release: async () => {},
      onLost: () => {},
    };
  }
  const pool = db.pool;
  const key = leaderLockKey(db.schema);
  const listeners: Array<(reason: string) => void> = [];
  type Connection = pg.PoolClient;
  let conn: Connection | undefined;
  let held = false;

  const drop = (reason: string) => {
    const c = conn;
    conn = undefined;
    const wasHeld = held;
    held = false;
    // Destroy rather than return to the pool: a session that may still hold the lock must end.
    if (c) c.release(new Error(reason));
    if (wasHeld) for (const listener of listeners) listener(reason);
  };

  const connection = async (): Promise<Connection> => {
    if (conn) return conn;
    const c = await pool.connect();
    c.on('error', (err: Error) => {
      if (conn === c) drop(`leader lock connection failed: ${err.message}`);
    });
    conn = c;
    return c;
  };

  return {
    async tryAcquire() {
      if (held) return true;
      try {
        const c = await connection();
        const result = await c.query<{ locked: boolean }>(
          'SELECT pg_try_advisory_lock($1::bigint) AS locked',
          [key],
        );
        held = result.rows[0]?.locked === true;
        return held;
      } catch (err) {
        drop(`leader lock attempt failed: ${(err as Error).message}`);
        return false;
      }
    },
    async stillHeld() {
      if (!held || !conn) return false;
      try {
        await conn.query('SELECT 1');
        return held;
      } catch (err) {
        drop(`leader lock connection failed: ${(err as Error).message}`);
        return false;
      }
    },
    async release() {
      const c = conn;
      if (!c) return;
      if (held) await c.query('SELECT pg_advisory_unlock($1::bigint)', [key]).catch(() => undefined);
      held = false;
      conn = undefined;
      c.release(true);
    },
    onLost(listener) {
      listeners.push(listener);
    },
  };
}
