import { encodeSignature, lshBandKeys, minHash } from './minhash.js';
import { wordShingles } from './shingles.js';
import { hammingDistance, simHash } from './simhash.js';

/**
 * How a text becomes something a NearDuplicateIndex can look up: an opaque signature (stored as a
 * string) plus band keys (two texts that may be near-duplicates share at least one band key).
 */
export interface Fingerprint {
  signature: string;
  bandKeys: string[];
}

export interface FingerprintScheme {
  /** Prefix of every band key, so keys of differently configured schemes never meet in one store. */
  readonly id: string;
  fingerprint(words: readonly string[]): Fingerprint;
  /** In [0, 1]; 0 for signatures of another scheme. */
  similarity(a: string, b: string): number;
}

export interface MinHashSchemeOptions {
  /** Signature length; the estimate's standard error is about sqrt(J(1-J)/hashes). */
  hashes?: number;
  /** Slots per LSH band; bands = hashes / rows. Fewer rows find more pairs but fetch more candidates. */
  rows?: number;
  /** Word shingle sizes whose union makes the set. */
  shingleSizes?: number[];
  /**
   * 'containment' (the default): shared shingles over the smaller set's size, i.e. how much of the
   * shorter text the other one contains, estimated from the Jaccard estimate J and both set sizes as
   * J (|A| + |B|) / (1 + J) / min(|A|, |B|). A re-post that adds boilerplate or a sentence keeps a high
   * containment while its Jaccard drops. 'jaccard': the plain estimate.
   */
  measure?: 'jaccard' | 'containment';
}

/**
 * The default near-duplicate scheme, chosen with bench/dedup.ts (its output holds the comparison):
 * MinHash over the union of word 1- and 2-shingles, 192 hashes in 64 LSH bands of 3 rows, containment.
 * - Unigrams keep word swaps and insertions cheap; bigrams keep apart same-topic texts that merely
 *   share vocabulary.
 * - 64 bands of 3 make a pair a candidate with probability 1 - (1 - J^3)^64: 0.83 at an estimated
 *   Jaccard of 0.3, 0.98 at 0.4, while a lookup fetched about one candidate in a 3,000-item corpus.
 *   128 hashes (42 bands) cost a third less storage and lost about 1 point of recall.
 * - Containment rather than Jaccard: a re-post that adds boilerplate keeps its containment.
 * - SimHash separated these ~25-word texts far worse even when compared exhaustively (64 bits are too
 *   coarse at that length), and its indexable form (bands of 16 bits) only finds pairs a few bits apart.
 */
export function minHashScheme(options: MinHashSchemeOptions = {}): FingerprintScheme {
  const hashes = options.hashes ?? 192;
  const rows = options.rows ?? 3;
  const sizes = options.shingleSizes ?? [1, 2];
  const measure = options.measure ?? 'containment';
  const id = `mh${hashes}r${rows}s${sizes.join('')}`;
  return {
    id,
    fingerprint(words) {
      const shingles = new Set(sizes.flatMap((size) => wordShingles(words, size)));
      const signature = minHash(shingles, hashes);
      return {
        // The set size travels with the signature: containment needs it.
        signature: `${shingles.size}:${encodeSignature(signature)}`,
        bandKeys: lshBandKeys(signature, rows, `${id}.`),
      };
    },
    similarity(a, b) {
      const [sizeA, hexA] = split(a);
      const [sizeB, hexB] = split(b);
      if (hexA.length !== hashes * 8 || hexB.length !== hashes * 8) return 0;
      const j = agreement(hexA, hexB);
      if (measure === 'jaccard' || !(sizeA > 0 && sizeB > 0)) return j;
      return Math.min(1, (j * (sizeA + sizeB)) / (1 + j) / Math.min(sizeA, sizeB));
    },
  };
}

export interface SimHashSchemeOptions {
  /** 64 / bands bits per band key; a pair within bands - 1 differing bits always shares a key. */
  bands?: number;
  shingleSizes?: number[];
}

export function simHashScheme(options: SimHashSchemeOptions = {}): FingerprintScheme {
  const bands = options.bands ?? 4;
  const sizes = options.shingleSizes ?? [1, 2];
  if (![1, 2, 4, 8, 16].includes(bands))
    throw new RangeError(`bands must divide 16 hex digits, got ${bands}`);
  const width = 16 / bands;
  const id = `sh${bands}s${sizes.join('')}`;
  return {
    id,
    fingerprint(words) {
      const signature = simHash(weightedShingles(words, sizes));
      const bandKeys: string[] = [];
      for (let band = 0; band < bands; band++)
        bandKeys.push(`${id}.${band}:${signature.slice(band * width, band * width + width)}`);
      return { signature, bandKeys };
    },
    similarity(a, b) {
      return 1 - hammingDistance(a, b) / 64;
    },
  };
}

export function weightedShingles(words: readonly string[], sizes: number[]): Map<string, number> {
  const weights = new Map<string, number>();
  for (const size of sizes)
    for (const shingle of wordShingles(words, size)) weights.set(shingle, (weights.get(shingle) ?? 0) + 1);
  return weights;
}

/** "size:hex" -> [size, hex]; a signature without a size gives size 0 (Jaccard only). */
function split(signature: string): [number, string] {
  const colon = signature.indexOf(':');
  return colon < 0 ? [0, signature] : [Number(signature.slice(0, colon)), signature.slice(colon + 1)];
}

/** Share of 8-hex slots that are equal, compared in place. */
function agreement(a: string, b: string): number {
  const slots = a.length / 8;
  let same = 0;
  for (let slot = 0; slot < slots; slot++) {
    let equal = true;
    for (let c = slot * 8; c < slot * 8 + 8; c++) {
      if (a.charCodeAt(c) !== b.charCodeAt(c)) {
        equal = false;
        break;
      }
    }
    if (equal) same++;
  }
  return same / slots;
}
