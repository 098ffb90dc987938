import { minHashScheme, type Fingerprint, type FingerprintScheme } from './fingerprint-scheme.js';
import type { NearDuplicateStore, StoredFingerprint } from './near-duplicate-store.js';
import { words } from './shingles.js';

export interface NearDuplicate {
  /** The stored item this one repeats (the most similar one when several qualify). */
  duplicateOf: string;
  /**
   * In [0, 1], as the scheme measures it: for the default MinHash scheme the estimated containment
   * (share of the shorter text's shingles found in the other); estimated Jaccard with
   * `measure: 'jaccard'`; 1 - hamming / 64 for SimHash.
   */
  similarity: number;
}

export interface NearDuplicateIndexOptions {
  scheme?: FingerprintScheme;
  /** Reported as a duplicate at or above this similarity. */
  threshold?: number;
  /** Candidates compared per lookup, most shared band keys first. */
  maxCandidates?: number;
}

/**
 * For the default scheme's containment: bench/dedup.ts tunes the threshold for best F1 on held-out
 * labelled pairs and found 0.61-0.67 across seeds.
 */
export const DEFAULT_NEAR_DUPLICATE_THRESHOLD = 0.63;

/**
 * Finds earlier items that are near-duplicates of a new one. Pure apart from the store it is given,
 * so detection spans restarts and replicas when the store is shared (Postgres).
 *
 * Every checked item is added, duplicates included, so a later copy may point at an earlier copy
 * rather than at the first original. Two replicas checking two copies of one story at the same
 * moment can both miss each other (check-then-add is not atomic); a unique (band_key, item_id)
 * constraint keeps re-adds harmless.
 */
export class NearDuplicateIndex {
  readonly scheme: FingerprintScheme;
  readonly threshold: number;
  /** Candidates compared per lookup, most shared band keys first. */
  readonly maxCandidates: number;

  constructor(
    private readonly store: NearDuplicateStore,
    options: NearDuplicateIndexOptions = {},
  ) {
    this.scheme = options.scheme ?? minHashScheme();
    this.threshold = options.threshold ?? DEFAULT_NEAR_DUPLICATE_THRESHOLD;
    this.maxCandidates = options.maxCandidates ?? 200;
  }

  fingerprint(title: string, text: string): Fingerprint {
    return this.scheme.fingerprint([...words(title), ...words(text)]);
  }

  /** The most similar stored item other than `itemId` itself, whatever its similarity. */
  async nearest(fingerprint: Fingerprint, itemId?: string): Promise<NearDuplicate | undefined> {
    if (fingerprint.bandKeys.length === 0) return undefined;
    return this.closest(
      fingerprint,
      await this.store.candidates(fingerprint.bandKeys, this.maxCandidates),
      itemId,
    );
  }

  /**
   * The most similar of `candidates` other than `itemId` itself, whatever its similarity; the most
   * similar ties go to the smallest item id. For callers that fetched the candidates themselves
   * (one query for a whole batch).
   */
  closest(
    fingerprint: Fingerprint,
    candidates: Iterable<StoredFingerprint>,
    itemId?: string,
  ): NearDuplicate | undefined {
    let best: NearDuplicate | undefined;
    for (const candidate of candidates) {
      if (candidate.itemId === itemId) continue;
      const similarity = this.scheme.similarity(fingerprint.signature, candidate.signature);
      if (
        !best ||
        similarity > best.similarity ||
        (similarity === best.similarity && candidate.itemId < best.duplicateOf)
      ) {
        best = { duplicateOf: candidate.itemId, similarity };
      }
    }
    return best;
  }

  /** `closest` when it is similar enough to count as a duplicate. */
  duplicateAmong(
    fingerprint: Fingerprint,
    candidates: Iterable<StoredFingerprint>,
    itemId?: string,
  ): NearDuplicate | undefined {
    return this.qualifying(this.closest(fingerprint, candidates, itemId));
  }

  async find(fingerprint: Fingerprint, itemId?: string): Promise<NearDuplicate | undefined> {
    return this.qualifying(await this.nearest(fingerprint, itemId));
  }

  private qualifying(best: NearDuplicate | undefined): NearDuplicate | undefined {
    return best && best.similarity >= this.threshold ? best : undefined;
  }

  add(itemId: string, fingerprint: Fingerprint): Promise<void> {
    return this.store.add(itemId, fingerprint.bandKeys, fingerprint.signature);
  }

  /** find, then add: what the service does for every new item. */
  async check(itemId: string, fingerprint: Fingerprint): Promise<NearDuplicate | undefined> {
    const found = await this.find(fingerprint, itemId);
    await this.add(itemId, fingerprint);
    return found;
  }
}
