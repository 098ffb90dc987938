import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { assertSchemaName } from '@trendmill/platform';

/**
 * Where the embedded default keeps its services' schemas under its data directory.
 *
 * - `<data>/pglite/intake/` (collector, normalizer, embedder) and `<data>/pglite/topics/`
 *   (clusterer, query, gateway): two PGlite databases, each in its own worker thread, the layout of
 *   every new data directory. PGlite is a single-user PostgreSQL: one statement at a time. With
 *   every service in one database, the services queued behind each other's transactions while the
 *   second core sat half idle; with two, the intake side (dedup, embeddings) and the topic side
 *   (clusters, read model, event log) run side by side. Measured with `npm run bench -- scale
 *   10000` on 2 cores: one database 68.6 items/s, 1.5 GB RSS at the end; two 93.1 items/s, 1.9 GB;
 *   one per service 100.8 items/s, 3.1 GB (each instance has its own WASM heap). Two take most of
 *   the gain for a fraction of the memory.
 * - `<data>/pglite/` itself (it holds `PG_VERSION`): one database for every schema, the layout of
 *   data directories made before 2026-12-08. Kept as it is, so their data stays where it is; PGlite
 *   offers no dump and restore to move a schema between instances.
 */
export type EmbeddedLayout = 'split' | 'shared';

/** Which database of the split layout holds each service's schema. */
export const EMBEDDED_DATABASES: Readonly<Record<string, 'intake' | 'topics'>> = {
  collector: 'intake',
  normalizer: 'intake',
  embedder: 'intake',
  clusterer: 'topics',
  query: 'topics',
  gateway: 'topics',
};

export function embeddedLayout(dataDir: string): EmbeddedLayout {
  return existsSync(join(dataDir, 'pglite', 'PG_VERSION')) ? 'shared' : 'split';
}

/** The `pglite://` URL of the database that holds `schema` in the embedded data directory `dataDir`. */
export function embeddedDatabaseUrl(
  dataDir: string,
  schema: string,
  layout: EmbeddedLayout = embeddedLayout(dataDir),
): string {
  const root = join(dataDir, 'pglite');
  if (layout === 'shared') return `pglite://${root}`;
  const database = EMBEDDED_DATABASES[assertSchemaName(schema)];
  if (!database)
    throw new RangeError(
      `schema ${schema} is not one of the embedded default's (${Object.keys(EMBEDDED_DATABASES).join(', ')})`,
    );
  return `pglite://${join(root, database)}`;
}
