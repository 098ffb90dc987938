/**
 * Lowercase word tokens, Unicode-aware: runs of letters, marks and digits, keeping inner
 * hyphens and apostrophes (`e-commerce`, `o'neill`) so compound words can still be looked up
 * whole. NFKC folds full-width and compatibility forms first. English contractions become the
 * words the word vectors know (`doesn't` → `does not`, `scala's` → `scala`).
 *
 * A text with no word at all (only emoji or symbols) falls back to its whitespace-separated
 * chunks, so it still has something to be compared by. At most `MAX_TOKENS` tokens are read.
 */
const WORD = /[\p{L}\p{M}\p{N}]+(?:['-][\p{L}\p{M}\p{N}]+)*/gu;
const CHUNK = /\S+/gu;
const CONTRACTION_SUFFIX = /^(.+)'(?:s|re|ve|ll|d|m)$/;
const IRREGULAR_NEGATIONS: Readonly<Record<string, string>> = {
  "can't": 'can',
  "won't": 'will',
  "shan't": 'shall',
};

/** Longest prefix of a text that is read, in tokens; keeps one pathological text from stalling a batch. */
export const MAX_TOKENS = 2_048;

export function tokenize(text: string): string[] {
  const folded = text.normalize('NFKC').toLowerCase().replace(/[’‘]/g, "'");
  const words = folded.match(WORD) ?? folded.match(CHUNK) ?? [];
  const tokens: string[] = [];
  for (const word of words) {
    for (const token of expandContraction(word)) tokens.push(token);
    if (tokens.length >= MAX_TOKENS) return tokens.slice(0, MAX_TOKENS);
  }
  return tokens;
}

function expandContraction(word: string): string[] {
  if (!word.includes("'")) return [word];
  const irregular = IRREGULAR_NEGATIONS[word];
  if (irregular) return [irregular, 'not'];
  if (word.endsWith("n't") && word.length > 3) return [word.slice(0, -3), 'not'];
  const possessive = CONTRACTION_SUFFIX.exec(word);
  if (possessive) return [possessive[1]!];
  return [word];
}

/** The pieces of a compound token (`e-commerce` → `e`, `commerce`); a plain word is its own piece. */
export function splitCompound(token: string): string[] {
  return token.split(/[-']/).filter((part) => part.length > 0);
}
