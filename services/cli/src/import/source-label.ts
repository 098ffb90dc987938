import { basename } from 'node:path';

/** The collector's rule for source labels (`sourceLabel` in its ingest schema). */
export const SOURCE_LABEL = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;

/**
 * The label an import files its items under when none is given: the file's base name, made to fit
 * the label rule. Importing the same file again lands in the same source, so the collector's
 * per-source de-duplication turns the repeat into duplicates instead of new items.
 */
export function labelFromFileName(file: string): string {
  const label = basename(file)
    .replace(/[^A-Za-z0-9._:-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, 100);
  return SOURCE_LABEL.test(label) ? label : 'import';
}
