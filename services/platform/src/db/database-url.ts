/** Where a service's relational data lives, decided by the URL scheme. */
export type DatabaseLocation =
  | { kind: 'postgres'; url: string }
  /** `location` is `memory`, `memory/<name>` or a data directory (relative to the working dir). */
  | { kind: 'pglite'; location: string };

/**
 * `postgres://…` / `postgresql://…` → PostgreSQL; `pglite://memory` (or `pglite://memory/<name>`)
 * → an in-memory PGlite; `pglite://<dir>` → PGlite persisted under `<dir>` (`pglite://./data/pglite`,
 * `pglite:///var/lib/trendmill`).
 */
export function parseDatabaseUrl(url: string): DatabaseLocation {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1]?.toLowerCase();
  if (scheme === 'postgres' || scheme === 'postgresql') return { kind: 'postgres', url };
  if (scheme === 'pglite') {
    const location = url.slice('pglite://'.length);
    if (!location || location === 'memory/') throw new Error(`database URL ${url} names no PGlite location`);
    return { kind: 'pglite', location };
  }
  throw new Error(
    `unsupported database URL ${JSON.stringify(redactDatabaseUrl(url))}: expected postgres://, postgresql:// or pglite://`,
  );
}

/** The URL without its password, for error messages and logs. */
export function redactDatabaseUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*):[^@/]*@/i, '$1:***@');
}
