import type { Fingerprint } from './fingerprint-scheme.js';
import { NearDuplicateIndex, type NearDuplicateIndexOptions } from './near-duplicate-index.js';
import { InMemoryNearDuplicateStore, strongestCandidates, type Candidate } from './near-duplicate-store.js';

/** An item of a batch as the duplicate decision sees it. */
export interface DedupItem {
  itemId: string;
  canonicalUrl: string | undefined;
  contentHash: string;
  fingerprint: Fingerprint;
}

/** What the store already holds that bears on a batch, looked up for all its items at once. */
export interface StoredMatches {
  /** Items of the batch that were decided before (redeliveries). */
  decided: ReadonlySet<string>;
  /** Canonical URL -> the earliest kept item with it, for the batch's URLs that have one. */
  byUrl: ReadonlyMap<string, string>;
  /** Content hash -> the earliest kept item with it. */
  byHash: ReadonlyMap<string, string>;
  /**
   * Per item, in batch order: the stored items sharing its band keys, strongest first, at most
   * `maxCandidates`.
   */
  candidates: ReadonlyArray<readonly Candidate[] | undefined>;
}

export type DedupMethod = 'url' | 'content-hash' | 'near-duplicate';

export type DedupDecision =
  | { outcome: 'already-processed' }
  | { outcome: 'kept' }
  | { outcome: 'duplicate'; originalItemId: string; method: DedupMethod; similarity: number };

/**
 * Decides a batch of items against what is stored and against each other, with the lookups done
 * beforehand for the whole batch (one query) instead of per item. The result is
 * what deciding the items one by one in arrival order against one store would give, the store
 * growing by every item kept: an item is already processed when stored as decided or seen earlier
 * in the batch; else a duplicate of the earliest kept item with its canonical URL, else with its
 * content hash, else of its most similar near-duplicate candidate (stored ones merged with the
 * batch's earlier kept items, then cut to `maxCandidates` as one store would); else kept.
 */
export class BatchDedup {
  readonly maxCandidates: number;
  /** Fingerprints and compares; its own store stays empty, candidates are handed to it. */
  private readonly index: NearDuplicateIndex;

  constructor(options: NearDuplicateIndexOptions = {}) {
    this.index = new NearDuplicateIndex(new InMemoryNearDuplicateStore(), options);
    this.maxCandidates = this.index.maxCandidates;
  }

  fingerprint(title: string, text: string): Fingerprint {
    return this.index.fingerprint(title, text);
  }

  decide(items: readonly DedupItem[], stored: StoredMatches): DedupDecision[] {
    const seen = new Set<string>();
    const keptUrls = new Map<string, string>();
    const keptHashes = new Map<string, string>();
    const kept = new InMemoryNearDuplicateStore();
    const duplicate = (originalItemId: string, method: DedupMethod, similarity: number): DedupDecision => ({
      outcome: 'duplicate',
      originalItemId,
      method,
      similarity,
    });

    return items.map((item, i): DedupDecision => {
      if (stored.decided.has(item.itemId) || seen.has(item.itemId)) return { outcome: 'already-processed' };
      seen.add(item.itemId);
      const url = item.canonicalUrl || undefined;
      const byUrl = url === undefined ? undefined : (stored.byUrl.get(url) ?? keptUrls.get(url));
      if (byUrl !== undefined) return duplicate(byUrl, 'url', 1);
      const byHash = stored.byHash.get(item.contentHash) ?? keptHashes.get(item.contentHash);
      if (byHash !== undefined) return duplicate(byHash, 'content-hash', 1);
      const { bandKeys, signature } = item.fingerprint;
      if (bandKeys.length > 0) {
        const candidates = strongestCandidates(
          [...(stored.candidates[i] ?? []), ...kept.candidatesNow(bandKeys, this.maxCandidates)],
          this.maxCandidates,
        );
        const near = this.index.duplicateAmong(item.fingerprint, candidates, item.itemId);
        if (near) return duplicate(near.duplicateOf, 'near-duplicate', near.similarity);
      }
      if (url !== undefined) keptUrls.set(url, item.itemId);
      keptHashes.set(item.contentHash, item.itemId);
      kept.addNow(item.itemId, bandKeys, signature);
      return { outcome: 'kept' };
    });
  }
}
