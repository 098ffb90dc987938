import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';

/**
 * A just-initialised PostgreSQL cluster (PGlite's `dumpDataDir('none')`: an uncompressed tar,
 * ~40 MB) from which this process makes its later fresh data directories: a copy opens in ~0.6 s
 * where initdb takes 2–3 s. The embedded default makes one directory per service on its first
 * start, so all but the first are copies. The first fresh directory of the process supplies it; it
 * is dropped a minute after it was last used, so a long-running process does not keep it.
 */
const KEEP_MS = 60_000;

let template: Uint8Array | undefined;
let drop: NodeJS.Timeout | undefined;

/** True when `dataDir` holds no cluster yet (opening it would run initdb). */
export function needsInitdb(dataDir: string): boolean {
  return !existsSync(join(dataDir, 'PG_VERSION'));
}

/** The template, if one is at hand; each use keeps it another minute. */
export function clusterTemplate(): Uint8Array | undefined {
  if (template) keep();
  return template;
}

/** Keeps `bytes` (a just-initialised cluster) as the template for the next fresh directories. */
export function offerClusterTemplate(bytes: Uint8Array): void {
  template ??= bytes;
  keep();
}

function keep(): void {
  clearTimeout(drop);
  drop = setTimeout(() => (template = undefined), KEEP_MS);
  drop.unref();
}

/**
 * Opens PGlite on `dataDir`. A directory that holds no cluster yet is made from `template` when
 * given, otherwise by initdb; in that last case `made` is the cluster initdb just made, dumped
 * before any statement, to serve as the template for the next ones. The dump is only a saving:
 * should it fail, the database is open all the same and the next fresh directory runs initdb.
 */
export async function createPglite(
  dataDir: string,
  template: Uint8Array | undefined,
): Promise<{ db: PGlite; made?: Uint8Array<ArrayBuffer> }> {
  if (!needsInitdb(dataDir)) return { db: await PGlite.create({ dataDir }) };
  if (template) return { db: await PGlite.create({ dataDir, loadDataDir: new Blob([template]) }) };
  const db = await PGlite.create({ dataDir });
  const made = await db
    .dumpDataDir('none')
    .then(async (tar) => new Uint8Array(await tar.arrayBuffer()))
    .catch(() => undefined);
  return made ? { db, made } : { db };
}
