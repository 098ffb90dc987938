import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The platform's runtime tables (outbox, processed events), applied into every service schema first. */
export const PLATFORM_MIGRATIONS_DIR = fileURLToPath(new URL('../../prisma/migrations', import.meta.url));

/** One `<dir>/<timestamp>_<name>/migration.sql`, the folder layout `prisma migrate` uses. */
export interface Migration {
  /** The folder name, e.g. `20261123000000_runtime_tables`; the ledger's key. */
  name: string;
  /** Absolute path of its migration.sql, for error messages. */
  file: string;
  sql: string;
  /** sha256 of the file's bytes, hex (the same checksum Prisma records). */
  checksum: string;
}

const MIGRATION_FOLDER = /^\d+_[A-Za-z0-9_.-]+$/;

/**
 * Reads migration folders: the directories in the order given, each one's folders in name
 * (= timestamp) order. Anything unexpected is an error rather than silently skipped, because a
 * migration that is quietly not applied is worse than a service that does not start.
 */
export async function loadMigrations(dirs: readonly string[]): Promise<Migration[]> {
  const all: Migration[] = [];
  const seen = new Map<string, string>();
  for (const dir of dirs) {
    const entries = await readdir(dir, { withFileTypes: true }).catch((err: Error) => {
      throw new Error(`cannot read migrations directory ${dir}: ${err.message}`);
    });
    const folders = entries
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
    for (const name of folders) {
      if (!MIGRATION_FOLDER.test(name)) {
        throw new Error(
          `unexpected folder ${join(dir, name)}: migration folders are named <timestamp>_<name>`,
        );
      }
      const file = join(dir, name, 'migration.sql');
      if (seen.has(name)) throw new Error(`migration ${name} exists twice: ${seen.get(name)} and ${file}`);
      seen.set(name, file);
      const bytes = await readFile(file).catch((err: Error) => {
        throw new Error(`migration folder ${join(dir, name)} has no readable migration.sql: ${err.message}`);
      });
      all.push({ name, file, sql: bytes.toString('utf8'), checksum: sha256(bytes) });
    }
  }
  return all;
}

export function sha256(bytes: Buffer | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}
