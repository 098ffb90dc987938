/**
 * Reciprocal rank fusion (Cormack et al. 2009): score(d) = Σ 1 / (k + rank_i(d)) over the lists
 * d appears in. Robust to the lists' incomparable scores (ts_rank_cd vs cosine); k = 60 is the
 * paper's constant, damping the weight of the very top ranks.
 */
export const RRF_K = 60;

export interface FusedHit {
  id: string;
  score: number;
  /** 1-based rank in each input list, null when absent. */
  ranks: Array<number | null>;
}

export function reciprocalRankFusion(lists: ReadonlyArray<readonly string[]>, k = RRF_K): FusedHit[] {
  const fused = new Map<string, FusedHit>();
  lists.forEach((list, listIndex) => {
    list.forEach((id, index) => {
      let hit = fused.get(id);
      if (!hit) {
        hit = { id, score: 0, ranks: lists.map(() => null) };
        fused.set(id, hit);
      }
      if (hit.ranks[listIndex] !== null) return; // a repeated id keeps its best rank
      hit.ranks[listIndex] = index + 1;
      hit.score += 1 / (k + index + 1);
    });
  });
  // Ties (same score) fall back to the best single rank, then id, so results are deterministic.
  return [...fused.values()].sort(
    (a, b) => b.score - a.score || bestRank(a) - bestRank(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

function bestRank(hit: FusedHit): number {
  return Math.min(...hit.ranks.map((r) => r ?? Number.POSITIVE_INFINITY));
}
