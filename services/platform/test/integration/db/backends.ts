import { fileURLToPath } from 'node:url';
import {
  createPgliteTestDatabase,
  createPostgresTestDatabase,
  sharedTestPglite,
  sharedTestPgliteThread,
  type TestDatabase,
} from '../../../src/testing/db.js';

/**
 * The storage backends every db integration test runs on: the local PostgreSQL, and one PGlite
 * shared by the whole run (as the embedded default shares one between services), in this thread
 * and in a thread of its own (`PgliteThread`, what the embedded default runs).
 */
export interface Backend {
  name: 'postgres' | 'pglite' | 'pglite thread';
  /** A fresh throwaway schema name on its own handle; drop it with `cleanup()`. */
  open(prefix?: string): Promise<TestDatabase>;
}

export const backends: Backend[] = [
  { name: 'postgres', open: (prefix) => createPostgresTestDatabase({ prefix }) },
  {
    name: 'pglite',
    open: async (prefix) => createPgliteTestDatabase({ prefix, pglite: await sharedTestPglite() }),
  },
  {
    name: 'pglite thread',
    open: async (prefix) => createPgliteTestDatabase({ prefix, pglite: await sharedTestPgliteThread() }),
  },
];

/** A service's own migrations (widgets), applied after the platform's runtime tables. */
export const WIDGET_MIGRATIONS = fileURLToPath(new URL('./fixtures/migrations', import.meta.url));
/** A consuming service's migrations (tallies). */
export const TALLY_MIGRATIONS = fileURLToPath(new URL('./fixtures/consumer-migrations', import.meta.url));
