import { existsSync } from 'node:fs';
import { join } from 'node:path';

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
