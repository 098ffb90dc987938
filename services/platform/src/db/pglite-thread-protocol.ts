/**
 * Messages between `PgliteThread` (the process's threads that use the database) and the thread
 * that runs PGlite (`pglite-thread-worker.ts`). Every request carries an id; its answer carries
 * the same id. Statements of a transaction name it (`tx`).
 */
export type ThreadRequest =
  | {
      id: number;
      op: 'query';
      sql: string;
      params: unknown[];
      rowMode?: 'array' | 'object';
      rawTypes?: number[];
      tx?: number;
    }
  | { id: number; op: 'exec'; sql: string; tx?: number }
  | { id: number; op: 'begin' }
  | { id: number; op: 'rollback'; tx: number }
  /** Ends the transaction: `ok` commits (unless rolled back), otherwise it rolls back. */
  | { id: number; op: 'end'; tx: number; ok: boolean }
  | { id: number; op: 'close' };

export type ThreadAnswer =
  { id: number; ok: true; value: unknown } | { id: number; ok: false; error: ThreadError };

/** An error as it crosses threads: a PostgreSQL error keeps its fields (code, detail, …). */
export interface ThreadError {
  message: string;
  name: string;
  database: boolean;
  fields: Record<string, unknown>;
}

export interface ThreadInit {
  /** A data directory, or undefined for an in-memory database. */
  dataDir: string | undefined;
  /**
   * A just-initialised cluster (`pglite-template.ts`) to copy into `dataDir` should it hold none
   * yet, instead of running initdb. Without it, a thread that runs initdb sends its fresh cluster
   * back with `ready` (`ThreadReady`), before any statement.
   */
  template?: Uint8Array;
}

/** The thread's first message: the database is open. */
export interface ThreadReady {
  ready: true;
  /** The cluster initdb just made (when the thread ran initdb without a template). */
  template?: Uint8Array;
}

export function toThreadError(error: unknown): ThreadError {
  if (!(error instanceof Error))
    return { message: String(error), name: 'Error', database: false, fields: {} };
  const fields: Record<string, unknown> = {};
  // Only plain values cross: PGlite adds the query's options (parsers: functions) to its errors.
  for (const [key, value] of Object.entries(error)) {
    if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) fields[key] = value;
  }
  return {
    message: error.message,
    name: error.name,
    database: 'severity' in error && 'code' in error,
    fields,
  };
}
