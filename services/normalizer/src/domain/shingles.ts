/**
 * Words and word shingles: the features both fingerprints (SimHash, MinHash) are computed from.
 *
 * Words are NFKC-folded, lower-cased runs of letters, marks and digits, so punctuation, case and
 * markup-level differences vanish. Han, Hiragana and Katakana are written without spaces, so each of
 * their characters counts as a word there (their shingles of size 2 are then the usual CJK bigrams).
 */
const WORD =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]|(?:(?![\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}])[\p{L}\p{M}\p{N}])+/gu;

export function words(text: string): string[] {
  return text.normalize('NFKC').toLowerCase().match(WORD) ?? [];
}

/** Contiguous runs of `size` words joined by a space; a text shorter than `size` gives itself. */
export function wordShingles(tokens: readonly string[], size: number): string[] {
  if (tokens.length === 0) return [];
  if (tokens.length <= size) return [tokens.join(' ')];
  const out: string[] = [];
  for (let i = 0; i + size <= tokens.length; i++) out.push(tokens.slice(i, i + size).join(' '));
  return out;
}
