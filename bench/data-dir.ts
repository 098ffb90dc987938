import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The labelled data sets: `$TRENDMILL_DATA_DIR`, else `../shared/data` beside the repository. */
export function sharedDataDir(): string {
  return (
    process.env.TRENDMILL_DATA_DIR ?? resolve(dirname(fileURLToPath(import.meta.url)), '../../shared/data')
  );
}
