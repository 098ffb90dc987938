import { readFileSync } from 'node:fs';

/** A recorded response body from test/fixtures/recorded/, as served; null when there is none. */
export function recorded(path: string): string | null {
  try {
    return readFileSync(new URL(`../../fixtures/recorded/${path}`, import.meta.url), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
