import { splitCompound } from './tokenize.js';
import type { WordVectors } from './word-vectors.js';

/**
 * What the model knows about one token: a word vector (when the vocabulary has the word or all
 * of its compound parts) and a frequency rank. Word weights come from the rank alone, through a
 * Zipf prior on the word vectors' own frequency ordering, so they are the same for every corpus
 * (nothing is fitted on the texts being embedded).
 */
export interface TokenEntry {
  /** 0 = most frequent; unknown words get a rank by their shape (see `unknownRank`). */
  rank: number;
  /** The word's vector (mean of the parts for a compound); undefined for unknown words. */
  vector: Float32Array | undefined;
}

/** Smoothing of SIF weights a / (a + p(w)) (Arora et al. 2017): frequent words count for little. */
const SIF_SMOOTHING = 1e-3;
/** IDF-like weight ln(rank / IDF_PIVOT): words more frequent than the pivot barely count. */
const IDF_PIVOT = 50;
const IDF_FLOOR = 0.1;
/** Ranks of the top words whose frequency-weighted mean is the common direction removed. */
const COMMON_DIRECTION_WORDS = 50_000;

export class Lexicon {
  readonly dim: number;
  /** Frequency-weighted mean word vector: the direction every word shares, removed before kernels. */
  readonly commonDirection: Float64Array;
  private readonly harmonic: number;

  constructor(private readonly words: WordVectors) {
    this.dim = words.dim;
    this.harmonic = Math.log(words.size) + 0.5772156649;
    this.commonDirection = new Float64Array(words.dim);
    let total = 0;
    for (let rank = 0; rank < Math.min(COMMON_DIRECTION_WORDS, words.size); rank++) {
      const p = this.probability(rank);
      total += p;
      for (let d = 0; d < words.dim; d++)
        this.commonDirection[d]! += p * words.vectors[rank * words.dim + d]!;
    }
    for (let d = 0; d < words.dim; d++) this.commonDirection[d]! /= total;
  }

  entry(token: string): TokenEntry {
    const whole = this.words.rows.get(token);
    if (whole !== undefined) return { rank: whole, vector: this.row(whole) };
    const parts = splitCompound(token);
    if (parts.length > 1) {
      const rows = parts.map((part) => this.words.rows.get(part));
      if (rows.every((row) => row !== undefined)) {
        const vector = new Float32Array(this.dim);
        for (const row of rows) {
          const source = this.row(row);
          for (let d = 0; d < this.dim; d++) vector[d]! += source[d]! / rows.length;
        }
        // A compound is as rare as its rarest part.
        return { rank: Math.max(...rows), vector };
      }
    }
    return { rank: this.unknownRank(token), vector: undefined };
  }

  /**
   * The vocabulary lacks one-character tokens and numbers: a letter is as common as a stop word,
   * a number as a fairly common word; anything else unknown is as rare as the rarest word.
   */
  unknownRank(token: string): number {
    if ([...token].length <= 1) return 10;
    if (/^\p{N}+$/u.test(token)) return 2_000;
    return this.words.size;
  }

  /** Zipf's law on the frequency rank: p(r) = 1 / ((r + 1) · H). */
  probability(rank: number): number {
    return 1 / ((rank + 1) * this.harmonic);
  }

  sifWeight(rank: number): number {
    return SIF_SMOOTHING / (SIF_SMOOTHING + this.probability(rank));
  }

  idfWeight(rank: number): number {
    return Math.max(IDF_FLOOR, Math.log((rank + 1) / IDF_PIVOT));
  }

  private row(row: number): Float32Array {
    return this.words.vectors.subarray(row * this.dim, (row + 1) * this.dim);
  }
}
