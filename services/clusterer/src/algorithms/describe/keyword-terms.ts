import { stopWordsFor } from './stop-words.js';

export interface KeywordTermOptions {
  /** ISO 639-1 code or tag of the text ('en', 'de-AT', 'und'); picks the stop words. */
  language?: string;
  /** Words shorter than this many characters are dropped (default 3). */
  minLength?: number;
  /** Also emit two adjacent kept words as one "a b" phrase (default true). */
  bigrams?: boolean;
}

export const DEFAULT_MIN_TERM_LENGTH = 3;

const URL = /\b(?:https?:\/\/|www\.)\S+/gu;
/** 's after a letter or digit ("Biden's" → "biden"): the possessive would otherwise split a phrase. */
const POSSESSIVE = /(?<=[\p{L}\p{N}])'s(?![\p{L}\p{M}\p{N}])/gu;
/** French elision (l'accord, d'énergie, qu'il): the article is glued to the word it precedes. */
const ELISION = /(?<![\p{L}\p{M}\p{N}'])(?:qu|[cdjlmnst])'(?=\p{L})/gu;
const CJK = '\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}';
/** A letter, mark or digit outside Han and Kana (set subtraction needs the v flag, Node ≥ 20). */
const WORD_CHAR = `[[\\p{L}\\p{M}\\p{N}]--[${CJK}]]`;
/**
 * One match per token: a run of Han/Kana (written without spaces), a word (letters, marks and digits,
 * with inner apostrophes as in "don't"), or a phrase break (punctuation other than ' and -, or a line
 * break). Words on either side of a break never form a phrase.
 */
const TOKEN = new RegExp(
  `(?<cjk>[${CJK}]+)|(?<word>${WORD_CHAR}+(?:'${WORD_CHAR}+)*)|(?<stop>[\\n\\r]|[^\\s\\p{L}\\p{M}\\p{N}'\\-])`,
  'gv',
);
const NUMBER = /^\p{N}+$/u;

/**
 * The terms a text contributes to its cluster's keyword counts: kept words and, with `bigrams`,
 * "a b" phrases of two adjacent kept words, in reading order.
 *
 * Text is NFKC-folded and lower-cased; URLs are removed; stop words, pure numbers and words shorter
 * than `minLength` are dropped, and a dropped word breaks adjacency, so "summit in Paris" gives no
 * "summit paris" phrase. Han and Kana runs have no spaces to split on; they contribute their
 * overlapping character pairs (the usual CJK bigrams) and never form phrases. Join an item's title
 * and text with a line break so that no phrase spans the two.
 */
export function keywordTerms(text: string, options: KeywordTermOptions = {}): string[] {
  const stopWords = stopWordsFor(options.language);
  const minLength = options.minLength ?? DEFAULT_MIN_TERM_LENGTH;
  const bigrams = options.bigrams ?? true;
  const folded = text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[’‘ʼ`´]/gu, "'")
    .replace(URL, '\n')
    .replace(POSSESSIVE, '')
    .replace(ELISION, '');

  const terms: string[] = [];
  let previous: string | undefined;
  for (const match of folded.matchAll(TOKEN)) {
    const { cjk, word } = match.groups ?? {};
    if (cjk !== undefined) {
      const chars = [...cjk];
      for (let i = 0; i + 1 < chars.length; i++) terms.push(chars[i]! + chars[i + 1]!);
      previous = undefined;
    } else if (word !== undefined && keep(word, stopWords, minLength)) {
      terms.push(word);
      if (bigrams && previous !== undefined) terms.push(`${previous} ${word}`);
      previous = word;
    } else {
      previous = undefined;
    }
  }
  return terms;
}

/** True for a phrase ("climate summit") rather than a single word. */
export function isPhrase(term: string): boolean {
  return term.includes(' ');
}

function keep(word: string, stopWords: ReadonlySet<string>, minLength: number): boolean {
  return [...word].length >= minLength && !NUMBER.test(word) && !stopWords.has(word);
}
