import type { Transaction } from '@electric-sql/pglite';
import type { PgliteHandle } from './pglite-thread.js';
import type { SqlClient } from './sql-client.js';

/**
 * A SqlClient over a PGlite instance. PGlite has a single connection and runs one transaction at
 * a time: statements issued outside a running transaction wait until it ends, so several
 * services can share one instance without seeing each other's uncommitted work. The flip side:
 * never wait, inside a transaction, on work that needs the same instance outside it.
 */
export function pgliteSqlClient(pglite: PgliteHandle): SqlClient {
  return {
    dialect: 'pglite',
    query: async <Row>(sql: string, params: readonly unknown[] = []) =>
      (await pglite.query<Row>(sql, [...params])).rows,
    exec: async (sql) => {
      await pglite.exec(sql);
    },
    transaction: (fn) => pglite.transaction((tx) => fn(transactionClient(tx))),
  };
}

function transactionClient(tx: Transaction): SqlClient {
  const client: SqlClient = {
    dialect: 'pglite',
    query: async <Row>(sql: string, params: readonly unknown[] = []) =>
      (await tx.query<Row>(sql, [...params])).rows,
    exec: async (sql) => {
      await tx.exec(sql);
    },
    transaction: (fn) => fn(client),
  };
  return client;
}
