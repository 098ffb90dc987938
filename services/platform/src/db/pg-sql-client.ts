import type pg from 'pg';
import type { SqlClient } from './sql-client.js';

/** A SqlClient over a `pg.Pool`: each transaction checks out its own connection. */
export function pgSqlClient(pool: pg.Pool): SqlClient {
  return {
    dialect: 'postgres',
    query: async <Row>(sql: string, params: readonly unknown[] = []) =>
      (await pool.query(sql, [...params])).rows as Row[],
    exec: async (sql) => {
      // No parameters: pg uses the simple query protocol, which accepts several statements.
      await pool.query(sql);
    },
    transaction: async (fn) => {
      const conn = await pool.connect();
      let broken: Error | undefined;
      // A checked-out client has no pool listener: when the server goes away (restart, failover)
      // it emits 'error', which unheard would crash the process. The query in flight fails with
      // the same error, so the transaction throws and the connection is discarded, not reused.
      const onError = (error: Error) => (broken = error);
      conn.on('error', onError);
      try {
        await conn.query('BEGIN');
        const result = await fn(connectionClient(conn));
        await conn.query('COMMIT');
        return result;
      } catch (err) {
        await conn.query('ROLLBACK').catch((rollbackError: Error) => {
          // The connection is unusable (server gone, socket closed): discard it, not reuse it.
          broken = rollbackError;
        });
        throw err;
      } finally {
        conn.removeListener('error', onError);
        conn.release(broken);
      }
    },
  };
}

function connectionClient(conn: pg.PoolClient): SqlClient {
  const client: SqlClient = {
    dialect: 'postgres',
    query: async <Row>(sql: string, params: readonly unknown[] = []) =>
      (await conn.query(sql, [...params])).rows as Row[],
    exec: async (sql) => {
      await conn.query(sql);
    },
    transaction: (fn) => fn(client),
  };
  return client;
}
