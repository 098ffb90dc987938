import { createHash } from 'node:crypto';

/**
 * sha256 hex of title + text after Unicode NFKC folding, lower-casing and collapsing every run of
 * whitespace to one space, so copies differing only in case, spacing or line breaks hash the same.
 */
export function contentHash(title: string, text: string): string {
  const normalised = `${title} ${text}`.normalize('NFKC').toLowerCase().replace(/\s+/gu, ' ').trim();
  return createHash('sha256').update(normalised, 'utf8').digest('hex');
}
