/**
 * Where a NearDuplicateIndex keeps its fingerprints. SQL-friendly on purpose: in Postgres, one row per
 * (band_key text, item_id) with an index on band_key, and one row per (item_id, signature text).
 */
export interface NearDuplicateStore {
  /**
   * Items that share at least one of the band keys, those sharing the most keys first, at most `limit`
   * (`GROUP BY item_id ORDER BY count(*) DESC LIMIT $2`).
   */
  candidates(bandKeys: readonly string[], limit: number): Promise<StoredFingerprint[]>;
  /** Idempotent: adding an item again (a redelivered event) changes nothing. */
  add(itemId: string, bandKeys: readonly string[], signature: string): Promise<void>;
}

export interface StoredFingerprint {
  itemId: string;
  signature: string;
}

/** The store in a Map, for tests and benchmarks. */
export class InMemoryNearDuplicateStore implements NearDuplicateStore {
  private readonly signatures = new Map<string, string>();
  private readonly bands = new Map<string, string[]>();

  async candidates(bandKeys: readonly string[], limit: number): Promise<StoredFingerprint[]> {
    const shared = new Map<string, number>();
    for (const key of bandKeys)
      for (const itemId of this.bands.get(key) ?? []) shared.set(itemId, (shared.get(itemId) ?? 0) + 1);
    return [...shared]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
      .slice(0, limit)
      .map(([itemId]) => ({ itemId, signature: this.signatures.get(itemId)! }));
  }

  async add(itemId: string, bandKeys: readonly string[], signature: string): Promise<void> {
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
