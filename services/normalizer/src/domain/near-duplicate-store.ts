/**
 * Where a NearDuplicateIndex keeps its fingerprints. SQL-friendly on purpose: in Postgres, one row per
 * (band_key text, item_id) with an index on band_key, and one row per (item_id, signature text).
 */
export interface NearDuplicateStore {
  /**
   * Items that share at least one of the band keys, those sharing the most keys first, at most `limit`
   * (`GROUP BY item_id ORDER BY count(*) DESC LIMIT $2`). A key held by more than
   * BAND_POSTINGS_CAP stored items is skipped (see there).
   */
  candidates(bandKeys: readonly string[], limit: number): Promise<Candidate[]>;
  /** Idempotent: adding an item again (a redelivered event) changes nothing. */
  add(itemId: string, bandKeys: readonly string[], signature: string): Promise<void>;
}

export interface StoredFingerprint {
  itemId: string;
  signature: string;
}

/**
 * A band key shared by more stored items than this says nothing about any one of them, and a lookup
 * skips it: like a stop word in a search index. Such keys come from texts made mostly of common
 * words (the minimum hashes of a band all fall on them); their posting lists grow with everything
 * stored, so without the cap each lookup fetched more rows the more items there were (in the
 * embedded default at 25k items, 12 keys held 100–497 items each, and a batch's lookup cost 3.5×
 * what it did at 2.5k). A near-duplicate pair shares several keys (at Jaccard 0.5, 8 of the 64 on
 * average), so skipping the few common ones loses little; exact copies are caught by content hash
 * and URL regardless. bench/dedup.ts: the default scheme's figures are the same with the cap, and
 * better where shared site templates make common keys (F1 0.727 → 0.788 on agnews).
 */
export const BAND_POSTINGS_CAP = 100;

/** A stored fingerprint found by a lookup, with how many of the looked-up band keys it shares. */
export interface Candidate extends StoredFingerprint {
  shared: number;
}

/**
 * The `limit` candidates sharing the most band keys, ties by item id: the order and cut every store
 * applies, so candidates gathered from two stores (Postgres and the batch being decided) can be
 * merged into what one store holding both would have returned.
 */
export function strongestCandidates(candidates: Iterable<Candidate>, limit: number): Candidate[] {
  return [...candidates]
    .sort((a, b) => b.shared - a.shared || (a.itemId < b.itemId ? -1 : a.itemId > b.itemId ? 1 : 0))
    .slice(0, limit);
}

/** The store in a Map, for tests and benchmarks. */
export class InMemoryNearDuplicateStore implements NearDuplicateStore {
  private readonly signatures = new Map<string, string>();
  private readonly bands = new Map<string, string[]>();
  private readonly postingsCap: number;

  /**
   * `postingsCap`: BAND_POSTINGS_CAP unless given; bench/dedup.ts lifts it for the schemes it
   * compares with the default (SimHash's 16-value bands are held by hundreds of items by design).
   */
  constructor(options: { postingsCap?: number } = {}) {
    this.postingsCap = options.postingsCap ?? BAND_POSTINGS_CAP;
  }

  async candidates(bandKeys: readonly string[], limit: number): Promise<Candidate[]> {
    return this.candidatesNow(bandKeys, limit);
  }

  async add(itemId: string, bandKeys: readonly string[], signature: string): Promise<void> {
    this.addNow(itemId, bandKeys, signature);
  }

  /** `candidates`, synchronously. */
  candidatesNow(bandKeys: readonly string[], limit: number): Candidate[] {
    const shared = new Map<string, number>();
    for (const key of new Set(bandKeys)) {
      const postings = this.bands.get(key) ?? [];
      if (postings.length > this.postingsCap) continue;
      for (const itemId of postings) shared.set(itemId, (shared.get(itemId) ?? 0) + 1);
    }
    return strongestCandidates(
      [...shared].map(([itemId, count]) => ({
        itemId,
        signature: this.signatures.get(itemId)!,
        shared: count,
      })),
      limit,
    );
  }

  /** `add`, synchronously. */
  addNow(itemId: string, bandKeys: readonly string[], signature: string): void {
    if (this.signatures.has(itemId)) return;
    this.signatures.set(itemId, signature);
    for (const key of new Set(bandKeys)) {
      const items = this.bands.get(key);
      if (items) items.push(itemId);
      else this.bands.set(key, [itemId]);
    }
  }

  get size(): number {
    return this.signatures.size;
  }
}
