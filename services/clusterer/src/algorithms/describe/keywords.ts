import { DescribeError } from './errors.js';
import { isPhrase } from './keyword-terms.js';

export interface KeywordOptions {
  /** How many keywords (default 10). */
  k?: number;
  /**
   * A phrase stands in for its word when the phrase weighs at least this share of the word
   * (default 0.7). A phrase is never commoner than its word but usually rarer elsewhere (higher
   * idf), so 0.7 asks that the phrase account for most of the word's uses here, roughly. Lower
   * prefers phrases more often; above 1 only when the phrase outweighs the word.
   */
  phraseStrength?: number;
}

export const DEFAULT_KEYWORD_COUNT = 10;
export const DEFAULT_PHRASE_STRENGTH = 0.7;

/**
 * The top `k` terms of a weighted profile, with phrases preferred over the words they contain.
 *
 * Terms are taken by weight (ties by term, so the answer is deterministic). When a word comes up and
 * its best phrase still available (not chosen, no word of it listed alone) weighs at least
 * `phraseStrength` × the word, the phrase takes the word's place: "climate" and "climate summit"
 * give one keyword, "climate summit", ranked where "climate" was.
 * Otherwise the word is kept and later phrases containing it are skipped as redundant. Words already
 * covered by a chosen phrase are skipped; two phrases may share a word ("climate summit", "climate
 * finance") since they name different things.
 */
export function selectKeywords(profile: ReadonlyMap<string, number>, options: KeywordOptions = {}): string[] {
  const k = options.k ?? DEFAULT_KEYWORD_COUNT;
  const strength = options.phraseStrength ?? DEFAULT_PHRASE_STRENGTH;
  if (!Number.isInteger(k) || k < 0) {
    throw new DescribeError('invalid_argument', `k must be a whole number ≥ 0, got ${k}`);
  }
  if (!(strength >= 0)) {
    throw new DescribeError('invalid_argument', `phraseStrength must be ≥ 0, got ${strength}`);
  }

  const ranked = [...profile].sort(([ta, wa], [tb, wb]) => wb - wa || compare(ta, tb));
  const phrasesOf = new Map<string, Array<{ phrase: string; weight: number }>>(); // best first
  for (const [term, weight] of ranked) {
    if (!isPhrase(term)) continue;
    for (const word of new Set(term.split(' '))) {
      const list = phrasesOf.get(word) ?? [];
      list.push({ phrase: term, weight });
      phrasesOf.set(word, list);
    }
  }

  const chosen: string[] = [];
  const chosenSet = new Set<string>();
  const covered = new Set<string>(); // words inside a chosen phrase
  const standalone = new Set<string>(); // words chosen on their own
  const available = (phrase: string) =>
    !chosenSet.has(phrase) && !phrase.split(' ').some((word) => standalone.has(word));
  const choose = (term: string) => {
    chosen.push(term);
    chosenSet.add(term);
    if (isPhrase(term)) for (const word of term.split(' ')) covered.add(word);
    else standalone.add(term);
  };

  for (const [term, weight] of ranked) {
    if (chosen.length >= k) break;
    if (chosenSet.has(term) || covered.has(term)) continue;
    if (isPhrase(term)) {
      if (available(term)) choose(term);
      continue;
    }
    const best = phrasesOf.get(term)?.find(({ phrase }) => available(phrase));
    choose(best !== undefined && best.weight >= strength * weight ? best.phrase : term);
  }
  return chosen;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
