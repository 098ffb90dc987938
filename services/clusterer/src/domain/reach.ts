/**
 * A cluster's own assignment threshold ("reach") for discovery's leftover noise, from the spread
 * of its members: mean − REACH_SIGMAS·σ of their similarity to the centroid, kept within
 * [assignThreshold − REACH_BELOW, assignThreshold + REACH_ABOVE] and never below `floor` (the
 * engine passes the stream's background + margin: below it, a broad cluster takes items of
 * unrelated topics and new topics never form). A broad topic (news about world events) takes a
 * pool item the model-wide threshold would leave out; a tight one (one event) takes only close
 * items.
 *
 * Chosen with bench/cluster-quality.ts on the five labelled sets in shared/data: searchsnippets'
 * NMI ratio to k-means rose from 0.858 to 0.899 (BENCHMARKS.md, cluster-quality). Without the
 * floor it also lifted agnews (0.73 → 0.82), but the distributed e2e test, items arriving a few at
 * a time, then found fewer than 3 of its 9 topics.
 */
export const REACH_SIGMAS = 3;
export const REACH_BELOW = 0.05;
export const REACH_ABOVE = 0.15;

export function clusterReach(
  similarities: readonly number[],
  assignThreshold: number,
  floor = Number.NEGATIVE_INFINITY,
): number {
  if (similarities.length === 0) return Math.max(floor, assignThreshold);
  let sum = 0;
  let squares = 0;
  for (const s of similarities) {
    sum += s;
    squares += s * s;
  }
  const mean = sum / similarities.length;
  const sd = Math.sqrt(Math.max(0, squares / similarities.length - mean * mean));
  return Math.max(
    floor,
    Math.min(
      assignThreshold + REACH_ABOVE,
      Math.max(assignThreshold - REACH_BELOW, mean - REACH_SIGMAS * sd),
    ),
  );
}
